/**
 * What the monitoring module reads from the querylens packages. Only public
 * contracts: `report()` of `@querylens/node` (typed by `@querylens/core`), and
 * `QueryCache#stats()` and `poolStatus()` of `@querylens/sequelize`.
 */
import type { N1QueryDetection, PerformanceReport } from '@querylens/core';
import type { CacheStats, PoolStatus } from '@querylens/sequelize';

/** The live report of `@querylens/node` (`report()`), in milliseconds. */
export type PerformanceReportView = PerformanceReport;

/** One N+1 detection of the report (statement already sanitized by querylens). */
export type NPlusOneView = N1QueryDetection;

/** `QueryCache#stats()` of `@querylens/sequelize` (`entries` is -1 when the store cannot tell, e.g. Redis). */
export type CacheStatsView = CacheStats;

/** `poolStatus(sequelize)` of `@querylens/sequelize`. */
export type PoolStatusView = PoolStatus;

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
