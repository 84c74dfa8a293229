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
}

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
  /** Maximum fingerprints kept for per-query statistics (LRU by last use). @default 1000 */
  topQueriesLimit?: number;
  /** Length of the windowed view of the report. @default 300000 (5 minutes) */
  reportWindowMillis?: number;
  /** MeterProvider for querylens metrics. @default the global one */
  meterProvider?: MeterProvider;
  /** Options passed to {@link sanitizeSql}. */
  sanitize?: SanitizeSqlOptions;
}
