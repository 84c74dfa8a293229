/**
 * @querylens/core: PostgreSQL SQL sanitizer and OpenTelemetry span processors (PHI scrubbing,
 * slow queries, N+1 detection, percentiles, report, metrics).
 */
export { VERSION } from './version';
export { sanitizeSql } from './sql/sanitizeSql';
export type { SanitizeSqlOptions, SanitizedSql } from './sql/types';
export type { QueryLensOptions, QueryTargets, SlowQueryStackTraces } from './types';
export { MetricNames, AttributeNames, DB_OPERATION_DURATION_DESCRIPTION } from './metrics/names';
export { PhiScrubbingSpanProcessor } from './processors/PhiScrubbingSpanProcessor';
export { SlowQuerySpanProcessor, SLOW_QUERY_EVENT } from './processors/SlowQuerySpanProcessor';
export { NPlusOneSpanProcessor, N_PLUS_ONE_EVENT } from './processors/NPlusOneSpanProcessor';
export type { NPlusOneListener } from './processors/NPlusOneSpanProcessor';
export { QueryStatsSpanProcessor } from './processors/QueryStatsSpanProcessor';
export { QueryLensSpanProcessor } from './processors/QueryLensSpanProcessor';
export { scrubErrorText, scrubStackTrace } from './processors/scrubErrorText';
export { scrubQueryString, scrubUrl } from './processors/scrubUrl';
export { DURATION_BUCKETS_SECONDS, METER_NAME } from './metrics/meterOf';
export { DurationHistogram, OVERFLOW_ATTRIBUTES } from './metrics/DurationHistogram';
export type { DurationRecorder, DurationSeries } from './metrics/DurationHistogram';
export type {
  PerformanceReport, N1QueryDetection, PerformanceAlert, QueryStats, QueryFigures, QueryDistribution, WindowFigures,
} from './report/types';
