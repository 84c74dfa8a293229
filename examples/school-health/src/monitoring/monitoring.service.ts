import { Inject, Injectable } from '@nestjs/common';
import { classifyTrend, type PerformanceTrend } from './history/classifyTrend';
import { MetricsCollector } from './history/MetricsCollector';
import { MetricsHistory } from './history/MetricsHistory';
import { evaluateHealth } from './health/evaluateHealth';
import { RequestMetricsStore, type RequestMetrics } from './http/RequestMetricsStore';
import { MONITORING_OPTIONS, type ResolvedMonitoringOptions } from './monitoring.options';
import type {
  CacheMetrics, ExportResponse, HealthResponse, HistoryPoint, MemoryMetrics, PerformanceSummary, PoolAlert,
  PoolMetrics, PoolResponse, PoolStatistics, QueriesResponse, TrendsResponse,
} from './monitoring.types';

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Builds the responses of the monitoring endpoints from live figures and the history. */
@Injectable()
export class MonitoringService {
  constructor(
    private readonly collector: MetricsCollector,
    private readonly history: MetricsHistory,
    private readonly requests: RequestMetricsStore,
    @Inject(MONITORING_OPTIONS) private readonly options: ResolvedMonitoringOptions,
  ) {}

  /** `GET /monitoring/performance`: the seed's `PerformanceSummary`. */
  performance(): PerformanceSummary {
    return this.collector.collect().summary;
  }

  /** `GET /monitoring/queries`: the querylens report and its slow queries, N+1 detections and alerts. */
  queries(): QueriesResponse {
    const report = this.collector.sources.report();
    if (!report) return { report: null, slowQueries: [], n1Detections: [], alerts: [] };
    // Per-fingerprint statistics (sanitized statements) of the queries that crossed the slow threshold.
    const slowQueries = report.topQueries.filter((q) => q.slowCount > 0);
    return { report, slowQueries, n1Detections: report.n1Detections, alerts: report.alerts };
  }

  /** `GET /monitoring/pool?hours=`. */
  pool(hours: number): PoolResponse {
    const now = Date.now();
    const status = this.collector.sources.poolStatus();
    const current: PoolMetrics | null = status ? { ...status, timestamp: new Date(now).toISOString() } : null;
    const history = this.history
      .since(hours, now)
      .filter((p): p is HistoryPoint & { pool: NonNullable<HistoryPoint['pool']> } => p.pool !== null)
      .map((p) => ({ ...p.pool, timestamp: new Date(p.timestamp).toISOString() }));
    const all = current ? [...history, current] : history;
    const statistics: PoolStatistics = {
      samples: all.length,
      avgUtilizationPercent: all.length ? round(all.reduce((s, p) => s + p.utilizationPercent, 0) / all.length) : 0,
      maxUtilizationPercent: all.reduce((m, p) => Math.max(m, p.utilizationPercent), 0),
      avgActive: all.length ? round(all.reduce((s, p) => s + p.active, 0) / all.length) : 0,
      maxWaiting: all.reduce((m, p) => Math.max(m, p.waiting), 0),
    };
    const alerts: PoolAlert[] = [];
    if (current) {
      const limit = this.options.targets.maxPoolUtilizationPercent;
      if (current.utilizationPercent >= limit) {
        alerts.push({
          severity: current.utilizationPercent >= 95 ? 'critical' : 'warning',
          message: `pool utilization ${current.utilizationPercent}% exceeds target < ${limit}%`,
          timestamp: current.timestamp,
        });
      }
      if (current.waiting > 0) {
        alerts.push({ severity: 'warning', message: `${current.waiting} request(s) waiting for a connection`, timestamp: current.timestamp });
      }
    }
    return { current, history, statistics, alerts };
  }

  /** `GET /monitoring/cache`. */
  cache(): CacheMetrics {
    const stats = this.collector.sources.cacheStats();
    return stats ? { enabled: true, ...stats } : { enabled: false };
  }

  /** `GET /monitoring/trends?hours=`: one trend per figure over the history of the period, and that history. */
  trends(hours: number): TrendsResponse {
    const points = this.history.since(hours);
    const series = (pick: (p: HistoryPoint) => number | null | undefined): number[] =>
      points.map(pick).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const trends: PerformanceTrend[] = [
      classifyTrend('avgQueryTime', series((p) => p.queries?.avg), { lowerIsBetter: true, minAbsoluteChange: 1 }),
      classifyTrend('p50QueryTime', series((p) => p.queries?.p50), { lowerIsBetter: true, minAbsoluteChange: 1 }),
      classifyTrend('p95QueryTime', series((p) => p.queries?.p95), { lowerIsBetter: true, minAbsoluteChange: 1 }),
      classifyTrend('p99QueryTime', series((p) => p.queries?.p99), { lowerIsBetter: true, minAbsoluteChange: 1 }),
      classifyTrend('cacheHitRate', series((p) => p.cache?.hitRate), { lowerIsBetter: false, minAbsoluteChange: 0.01 }),
      classifyTrend('poolUtilizationPercent', series((p) => p.pool?.utilizationPercent), { lowerIsBetter: true, minAbsoluteChange: 1 }),
      classifyTrend('requestAvgDuration', series((p) => p.summary.requests.avgDuration), { lowerIsBetter: true, minAbsoluteChange: 1 }),
      classifyTrend('requestErrorRate', series((p) => p.summary.requests.errorRate), { lowerIsBetter: true, minAbsoluteChange: 0.001 }),
      classifyTrend('heapUsed', series((p) => p.memory.heapUsed), { lowerIsBetter: true, minAbsoluteChange: 1_048_576 }),
    ];
    return { hours, trends, history: points.map((p) => p.summary) };
  }

  /** `GET /monitoring/endpoints?endpoint=&method=`. */
  endpoints(filter: { endpoint?: string; method?: string }): RequestMetrics[] {
    return this.requests.list(filter);
  }

  /** `GET /monitoring/memory?hours=`: the history of the period plus a point now. */
  memory(hours: number): MemoryMetrics[] {
    return [...this.history.since(hours).map((p) => p.memory), this.collector.memory()];
  }

  /** `GET /monitoring/health`. */
  health(): HealthResponse {
    const point = this.collector.collect();
    const q = point.queries;
    const evaluation = evaluateHealth(
      {
        totalQueries: q?.total,
        p50QueryTime: q?.p50,
        p95QueryTime: q?.p95,
        p99QueryTime: q?.p99,
        nPlusOneDetections: q?.nPlusOne,
        cacheHitRate: point.cache?.hitRate,
        cacheLookups: point.cache ? point.cache.hits + point.cache.misses : undefined,
        poolUtilizationPercent: point.pool?.utilizationPercent,
      },
      this.options.targets,
    );
    return {
      status: evaluation.status,
      reasons: evaluation.reasons,
      checks: evaluation.checks,
      metrics: {
        p50QueryTime: q?.p50 ?? null,
        p95QueryTime: q?.p95 ?? null,
        p99QueryTime: q?.p99 ?? null,
        nPlusOneDetections: q?.nPlusOne ?? null,
        cacheHitRate: point.cache?.hitRate ?? null,
        poolUtilizationPercent: point.pool?.utilizationPercent ?? null,
        requestsPerSecond: point.summary.requests.perSecond,
        errorRate: point.summary.requests.errorRate,
        heapUtilizationPercent: point.memory.utilizationPercent,
      },
    };
  }

  /** `GET /monitoring/export`: everything above in one document. */
  export(): ExportResponse {
    return {
      exportedAt: new Date().toISOString(),
      performance: this.performance(),
      queries: this.queries(),
      pool: this.pool(24).statistics,
      cache: this.cache(),
      endpoints: this.endpoints({}),
      health: this.health(),
    };
  }
}
