import type { DurationRecorder } from './metrics/DurationHistogram';
import type { MeterProvider } from '@opentelemetry/api';
import type { SanitizeSqlOptions } from './sql/types';

/** Performance targets evaluated continuously into {@link PerformanceReport.alerts}. */
export interface QueryTargets {
  /** @default 100 */
  p50Millis?: number;
  /** @default 500 */
  p95Millis?: number;
  /** @default 1000 */
  p99Millis?: number;
  /** Number of N+1 detections tolerated. @default 0 */
  maxNPlusOne?: number;
  /** Queries needed in the window before percentile targets are evaluated. @default 10 */
  minSampleCount?: number;
}

/** How {@link SlowQuerySpanProcessor} records the application call site of slow queries. */
export type SlowQueryStackTraces = 'adaptive' | 'always' | 'off';

/** Options of {@link QueryLensSpanProcessor} (each sub-processor takes the subset it needs). */
export interface QueryLensOptions {
  /** A DB span longer than this is a slow query. @default 1000 */
  slowQueryMillis?: number;
  /** Repeats of one fingerprint under one parent that make an N+1. @default 5 */
  nPlusOneThreshold?: number;
  /** Window in which the repeats must fall. @default 1000 */
  nPlusOneWindowMillis?: number;
  /** Minimum summed duration of the repeats. @default 0 */
  nPlusOneMinTotalMillis?: number;
  /** Fingerprints of intended loops, never reported as N+1. @default [] */
  nPlusOneAllowList?: string[];
  /** Targets for alerts and status. */
  targets?: QueryTargets;
  /** Extra span attribute keys to remove before export. @default [] */
  redactAttributes?: string[];
  /** Extra span attribute keys whose values are replaced by a keyed hash. @default [] */
  hashAttributes?: string[];
  /**
   * Key of the HMAC-SHA256 used for `hashAttributes` (hashes are comparable only under one key).
   * @default a random key per process
   */
  hashSecret?: string;
  /**
   * Call-site capture for slow queries (`code.stacktrace`). `adaptive`: a stack is captured at
   * span start only for span names that were slow recently (at most 100 captures per second),
   * so the first slow occurrence has none and fast traffic pays nothing; `always`: every DB
   * span (costs about a microsecond per span); `off`: never.
   * @default 'adaptive'
   */
  slowQueryStackTraces?: SlowQueryStackTraces;
  /** Parent spans tracked at once for N+1 detection (LRU; the least recently active is finalized first). @default 4096 */
  maxTrackedParents?: number;
  /** Fingerprints listed in `report().topQueries`. @default 10 */
  topQueriesReportSize?: number;
  /** Interval of the continuous target evaluation (alerts, status). @default 10000 */
  alertEvaluationIntervalMillis?: number;
  /** Maximum fingerprints kept for per-query statistics (LRU by last use). @default 1000 */
  topQueriesLimit?: number;
  /** Length of the windowed view of the report. @default 300000 (5 minutes) */
  reportWindowMillis?: number;
  /** MeterProvider for querylens metrics. @default the global one */
  meterProvider?: MeterProvider;
  /**
   * Receives each query duration of `querylens.db.operation.duration` instead of a histogram
   * created on the meter (for example a {@link DurationHistogram} read by a MetricProducer
   * registered on the metric readers: `@querylens/node` does this, since the SDK's synchronous
   * histogram costs about as much per query as the rest of the processors).
   * @default a histogram of `meterProvider`
   */
  durationRecorder?: DurationRecorder;
  /** Options passed to {@link sanitizeSql}. */
  sanitize?: SanitizeSqlOptions;
}
