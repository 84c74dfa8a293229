/**
 * What the monitoring module reads from the querylens packages. The shapes are
 * the public contracts of `@querylens/node` (`report()`), and of
 * `@querylens/sequelize` (`QueryCache#stats()`, `poolStatus()`); the cache and
 * pool shapes are restated structurally so this module compiles against them
 * without importing the cache implementation.
 */
import type { N1QueryDetection, PerformanceReport } from '@querylens/core';

/** The live report of `@querylens/node` (`report()`), in milliseconds. */
export type PerformanceReportView = PerformanceReport;

/** One N+1 detection of the report (statement already sanitized by querylens). */
export type NPlusOneView = N1QueryDetection;

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
