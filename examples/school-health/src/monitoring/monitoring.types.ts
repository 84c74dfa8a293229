import type { CacheStatsView, NPlusOneView, PerformanceReportView, PoolStatusView } from './sources/MonitoringSources';
import type { PerformanceTrend } from './history/classifyTrend';
import type { HealthChecks } from './health/evaluateHealth';
import type { RequestMetrics } from './http/RequestMetricsStore';

/** Seed section 1.2. Durations in ms, memory in bytes, rates 0..1. */
export interface PerformanceSummary {
  /** ISO time the summary was taken. */
  timestamp: string;
  /** Process uptime, seconds. */
  uptime: number;
  requests: { total: number; perSecond: number; avgDuration: number; errorRate: number };
  /** `null` figures when no query cache is configured. */
  cache: { hitRate: number | null; avgHitDuration: number | null; avgMissDuration: number | null };
  /** `null` figures when the pool cannot be read. */
  pool: { utilizationPercent: number | null; waitingRequests: number | null };
  /** `utilizationPercent` = heapUsed / V8 heap size limit. */
  memory: { heapUsed: number; utilizationPercent: number };
}

/** One memory sample (bytes). */
export interface MemoryMetrics {
  timestamp: string;
  heapUsed: number;
  heapTotal: number;
  /** V8's heap size limit (`--max-old-space-size`). */
  heapLimit: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  utilizationPercent: number;
}

/** One pool sample. */
export interface PoolMetrics extends PoolStatusView {
  timestamp: string;
}

/** Pool figures over the requested period. */
export interface PoolStatistics {
  samples: number;
  avgUtilizationPercent: number;
  maxUtilizationPercent: number;
  avgActive: number;
  maxWaiting: number;
}

/** A pool condition worth a look. */
export interface PoolAlert {
  severity: 'warning' | 'critical';
  message: string;
  timestamp: string;
}

/** `GET /monitoring/cache`. */
export interface CacheMetrics extends Partial<CacheStatsView> {
  /** False when the app runs without a query cache. */
  enabled: boolean;
}

/** One history point (one a minute by default). */
export interface HistoryPoint {
  timestamp: number;
  summary: PerformanceSummary;
  queries: { total: number; slow: number; avg: number; p50: number; p95: number; p99: number; nPlusOne: number } | null;
  cache: CacheStatsView | null;
  pool: PoolStatusView | null;
  memory: MemoryMetrics;
}

/** `GET /monitoring/queries`. */
export interface QueriesResponse {
  report: PerformanceReportView | null;
  slowQueries: PerformanceReportView['topQueries'];
  n1Detections: NPlusOneView[];
  alerts: PerformanceReportView['alerts'];
}

/** `GET /monitoring/pool`. */
export interface PoolResponse {
  current: PoolMetrics | null;
  history: PoolMetrics[];
  statistics: PoolStatistics;
  alerts: PoolAlert[];
}

/** `GET /monitoring/trends`. */
export interface TrendsResponse {
  hours: number;
  trends: PerformanceTrend[];
  history: PerformanceSummary[];
}

/** Headline figures of `GET /monitoring/health`. */
export interface KeyMetrics {
  p50QueryTime: number | null;
  p95QueryTime: number | null;
  p99QueryTime: number | null;
  nPlusOneDetections: number | null;
  cacheHitRate: number | null;
  poolUtilizationPercent: number | null;
  requestsPerSecond: number;
  errorRate: number;
  heapUtilizationPercent: number;
}

/** `GET /monitoring/health`. */
export interface HealthResponse {
  status: 'healthy' | 'degraded';
  reasons: string[];
  checks: HealthChecks;
  metrics: KeyMetrics;
}

/** `GET /monitoring/export`. */
export interface ExportResponse {
  exportedAt: string;
  performance: PerformanceSummary;
  queries: QueriesResponse;
  pool: PoolStatistics;
  cache: CacheMetrics;
  endpoints: RequestMetrics[];
  health: HealthResponse;
}
