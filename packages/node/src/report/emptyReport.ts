import type { PerformanceReport, QueryFigures } from '@querylens/core';

function emptyFigures(): QueryFigures {
  return {
    totalQueries: 0,
    slowQueries: 0,
    avgQueryTime: 0,
    p50QueryTime: 0,
    p95QueryTime: 0,
    p99QueryTime: 0,
    queryDistribution: { fast: 0, medium: 0, slow: 0, verySlow: 0 },
  };
}

/**
 * The report returned by {@link report} before {@link start} ran (or when
 * `OTEL_SDK_DISABLED=true`): the full shape with zero counts, so callers never check
 * for `undefined`.
 */
export function emptyReport(reportWindowMillis = 300_000): PerformanceReport {
  return {
    ...emptyFigures(),
    n1Detections: [],
    alerts: [],
    topQueries: [],
    status: 'healthy',
    window: { ...emptyFigures(), windowMillis: reportWindowMillis, nPlusOneDetections: 0 },
    generatedAt: new Date().toISOString(),
  };
}
