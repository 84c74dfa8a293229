import { getHeapStatistics } from 'node:v8';
import { Inject, Injectable } from '@nestjs/common';
import { RequestMetricsStore } from '../http/RequestMetricsStore';
import { MONITORING_SOURCES, type MonitoringSources } from '../sources/MonitoringSources';
import type { HistoryPoint, MemoryMetrics, PerformanceSummary } from '../monitoring.types';

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Reads the current figures from the querylens sources, the HTTP store and the process. */
@Injectable()
export class MetricsCollector {
  constructor(
    @Inject(MONITORING_SOURCES) readonly sources: MonitoringSources,
    readonly requests: RequestMetricsStore,
  ) {}

  /** Current memory figures of this process. */
  memory(now = Date.now()): MemoryMetrics {
    const m = process.memoryUsage();
    const heapLimit = getHeapStatistics().heap_size_limit;
    return {
      timestamp: new Date(now).toISOString(),
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      heapLimit,
      rss: m.rss,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      utilizationPercent: round((m.heapUsed / heapLimit) * 100),
    };
  }

  /** A full point: summary (seed 1.2) plus query, cache, pool and memory figures. */
  collect(now = Date.now()): HistoryPoint {
    const report = this.sources.report();
    const cache = this.sources.cacheStats() ?? null;
    const pool = this.sources.poolStatus() ?? null;
    const memory = this.memory(now);
    const totals = this.requests.totals();
    const summary: PerformanceSummary = {
      timestamp: new Date(now).toISOString(),
      uptime: round(process.uptime(), 0),
      requests: { total: totals.total, perSecond: totals.perSecond, avgDuration: totals.avgDuration, errorRate: totals.errorRate },
      cache: cache
        ? { hitRate: round(cache.hitRate, 4), avgHitDuration: round(cache.avgHitMillis), avgMissDuration: round(cache.avgMissMillis) }
        : { hitRate: null, avgHitDuration: null, avgMissDuration: null },
      pool: pool
        ? { utilizationPercent: pool.utilizationPercent, waitingRequests: pool.waiting }
        : { utilizationPercent: null, waitingRequests: null },
      memory: { heapUsed: memory.heapUsed, utilizationPercent: memory.utilizationPercent },
    };
    return {
      timestamp: now,
      summary,
      queries: report
        ? {
            total: report.totalQueries,
            slow: report.slowQueries,
            avg: report.avgQueryTime,
            p50: report.p50QueryTime,
            p95: report.p95QueryTime,
            p99: report.p99QueryTime,
            nPlusOne: report.n1Detections.length,
          }
        : null,
      cache,
      pool,
      memory,
    };
  }
}
