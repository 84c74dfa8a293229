/**
 * What the monitoring module reads from the querylens packages. The shapes are
 * the public contracts of `@querylens/node` (`report()`), and of
 * `@querylens/sequelize` (`QueryCache#stats()`, `poolStatus()`), restated
 * structurally here so the module depends on nothing else and tests can read
 * the same figures from a real register, cache and pool.
 */

/** One N+1 detection as the report gives it (pattern already sanitized by querylens). */
export interface NPlusOneView {
  fingerprint?: string;
  pattern?: string;
  count?: number;
  [key: string]: unknown;
}

/** `PerformanceReport` of `@querylens/node` (milliseconds). */
export interface PerformanceReportView {
  totalQueries: number;
  slowQueries: number;
  avgQueryTime: number;
  p50QueryTime: number;
  p95QueryTime: number;
  p99QueryTime: number;
  queryDistribution: { fast: number; medium: number; slow: number; verySlow: number };
  n1Detections: NPlusOneView[];
  alerts: unknown[];
  topQueries: unknown[];
  status: string;
  window?: unknown;
  [key: string]: unknown;
}

/** `QueryCache#stats()` of `@querylens/sequelize`. */
export interface CacheStatsView {
  hits: number;
  misses: number;
  bypasses: number;
  errors: number;
  /** 0..1 */
  hitRate: number;
  avgHitMillis: number;
  avgMissMillis: number;
  entries: number;
}

/** `poolStatus(sequelize)` of `@querylens/sequelize`. */
export interface PoolStatusView {
  active: number;
  idle: number;
  waiting: number;
  max: number;
  utilizationPercent: number;
}

/**
 * Readers of the live figures. Each returns `undefined` when its source is not
 * available (no register loaded, no cache configured); they never throw.
 */
export interface MonitoringSources {
  report(): PerformanceReportView | undefined;
  cacheStats(): CacheStatsView | undefined;
  poolStatus(): PoolStatusView | undefined;
}

/** Nest injection token of the {@link MonitoringSources} provider. */
export const MONITORING_SOURCES = Symbol('MONITORING_SOURCES');
