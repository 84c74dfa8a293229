/** Query counts per latency bucket (the seed's distribution): <100, 100-500, 500-1000, >1000 ms. */
export interface QueryDistribution {
  /** Under 100 ms. */
  fast: number;
  /** 100 ms to under 500 ms. */
  medium: number;
  /** 500 ms to 1000 ms. */
  slow: number;
  /** Over 1000 ms. */
  verySlow: number;
}

/** Latency figures over a set of queries, in milliseconds. */
export interface QueryFigures {
  totalQueries: number;
  /** Queries longer than `slowQueryMillis`. */
  slowQueries: number;
  avgQueryTime: number;
  p50QueryTime: number;
  p95QueryTime: number;
  p99QueryTime: number;
  queryDistribution: QueryDistribution;
}

/** The same figures over the last `reportWindowMillis`. */
export interface WindowFigures extends QueryFigures {
  /** Length of the window in milliseconds. */
  windowMillis: number;
  /** N+1 detections made in the window. */
  nPlusOneDetections: number;
}

/** One N+1 pattern: the same statement shape repeated under one parent span. */
export interface N1QueryDetection {
  /** Fingerprint of the repeated statement. */
  fingerprint: string;
  /** Sanitized statement (no literal values). */
  statement: string;
  /** `db.query.summary` of the statement. */
  summary: string;
  /** Name of the parent span (a request, a job), or `captureQueries`. */
  parentSpanName: string;
  /** Trace and span id of the parent, when known. */
  traceId?: string;
  parentSpanId?: string;
  /** Repeats under the parent; grows until the parent ends, then final. */
  count: number;
  /** Summed duration of the repeats, milliseconds. */
  totalDurationMillis: number;
  /** ISO-8601 start of the first and end of the last repeat. */
  firstSeen: string;
  lastSeen: string;
}

/** An alert raised when a target is missed; also logged once through `diag`. */
export interface PerformanceAlert {
  /** `performance_degradation` (a percentile target missed) or `n_plus_one`. */
  type: 'performance_degradation' | 'n_plus_one';
  severity: 'warning' | 'critical';
  /** Sanitized, human-readable message. */
  message: string;
  /** ISO-8601 time the alert was raised. */
  timestamp: string;
  /** The metric and target involved (`p95`, `n_plus_one`), the measured value and the target. */
  metric: string;
  value: number;
  target: number;
}

/** Per-fingerprint statistics, milliseconds. Percentiles have at most 1% relative error. */
export interface QueryStats {
  fingerprint: string;
  /** Sanitized statement (the first seen with this fingerprint, at most 4096 characters). */
  statement: string;
  summary: string;
  count: number;
  slowCount: number;
  totalMillis: number;
  meanMillis: number;
  maxMillis: number;
  p50Millis: number;
  p95Millis: number;
  p99Millis: number;
  /** ISO-8601. */
  firstSeen: string;
  lastSeen: string;
}

/** The report returned by `QueryLensSpanProcessor.report()` (the seed's `PerformanceReport`, extended). */
export interface PerformanceReport extends QueryFigures {
  /** N+1 detections (most recent last, at most 100). */
  n1Detections: N1QueryDetection[];
  /** Alerts raised (most recent last, at most 100). */
  alerts: PerformanceAlert[];
  /** Heaviest fingerprints by total time (at most `topQueriesReportSize`). */
  topQueries: QueryStats[];
  /** `degraded` while a target is missed in the window. */
  status: 'healthy' | 'degraded';
  /** The figures over the last `reportWindowMillis`. */
  window: WindowFigures;
  /** ISO-8601 time of the report. */
  generatedAt: string;
}
