/** Targets of the seed (section 6.1); each one can be overridden through {@link MonitoringOptions}. */
export interface HealthTargets {
  /** @default 100 */
  p50Millis: number;
  /** @default 500 */
  p95Millis: number;
  /** @default 1000 */
  p99Millis: number;
  /** N+1 detections tolerated. @default 0 */
  maxNPlusOne: number;
  /** Minimum cache hit rate, 0..1. @default 0.8 */
  minCacheHitRate: number;
  /** Cache lookups (hits + misses) needed before the hit rate is judged. @default 20 */
  minCacheLookups: number;
  /** Maximum pool utilization, percent. @default 80 */
  maxPoolUtilizationPercent: number;
}

/** Default {@link HealthTargets}. */
export const DEFAULT_HEALTH_TARGETS: Readonly<HealthTargets> = Object.freeze({
  p50Millis: 100,
  p95Millis: 500,
  p99Millis: 1000,
  maxNPlusOne: 0,
  minCacheHitRate: 0.8,
  minCacheLookups: 20,
  maxPoolUtilizationPercent: 80,
});

/** One check of `GET /monitoring/health`. `unknown` (no data yet) never degrades. */
export interface HealthCheck {
  status: 'pass' | 'fail' | 'unknown';
  value: number | null;
  target: string;
  message: string;
}

/** The checks of `GET /monitoring/health`, by name. */
export interface HealthChecks {
  p50QueryTime: HealthCheck;
  p95QueryTime: HealthCheck;
  p99QueryTime: HealthCheck;
  nPlusOne: HealthCheck;
  cacheHitRate: HealthCheck;
  poolUtilization: HealthCheck;
}

/** Inputs of {@link evaluateHealth}; `undefined` where the source is unavailable. */
export interface HealthInputs {
  p50QueryTime?: number;
  p95QueryTime?: number;
  p99QueryTime?: number;
  totalQueries?: number;
  nPlusOneDetections?: number;
  cacheHitRate?: number;
  cacheLookups?: number;
  poolUtilizationPercent?: number;
}

/** Result of {@link evaluateHealth}. */
export interface HealthEvaluation {
  status: 'healthy' | 'degraded';
  /** One sentence per failed check; empty when healthy. */
  reasons: string[];
  checks: HealthChecks;
}

function upper(name: string, value: number | undefined, limit: number, unit: string, haveData: boolean): HealthCheck {
  const target = `< ${limit}${unit}`;
  if (value === undefined || !Number.isFinite(value) || !haveData) {
    return { status: 'unknown', value: null, target, message: `${name}: no data yet` };
  }
  const ok = value < limit;
  value = Math.round(value * 100) / 100;
  return {
    status: ok ? 'pass' : 'fail',
    value,
    target,
    message: ok ? `${name} ${value}${unit} is within target ${target}` : `${name} ${value}${unit} exceeds target ${target}`,
  };
}

/**
 * Judges the live figures against the seed's targets (p50/p95/p99 query time,
 * N+1 detections, cache hit rate, pool utilization). Pure function.
 */
export function evaluateHealth(inputs: HealthInputs, targets: HealthTargets = DEFAULT_HEALTH_TARGETS): HealthEvaluation {
  const haveQueries = (inputs.totalQueries ?? 0) > 0;
  const n1 = inputs.nPlusOneDetections;
  const nPlusOne: HealthCheck =
    n1 === undefined
      ? { status: 'unknown', value: null, target: `<= ${targets.maxNPlusOne}`, message: 'N+1 detections: no data yet' }
      : n1 <= targets.maxNPlusOne
        ? { status: 'pass', value: n1, target: `<= ${targets.maxNPlusOne}`, message: `N+1 detections ${n1} within target` }
        : { status: 'fail', value: n1, target: `<= ${targets.maxNPlusOne}`, message: `${n1} N+1 query pattern(s) detected (target <= ${targets.maxNPlusOne})` };

  const hitTarget = `> ${Math.round(targets.minCacheHitRate * 100)}%`;
  let cacheHitRate: HealthCheck;
  if (inputs.cacheHitRate === undefined || (inputs.cacheLookups ?? 0) < targets.minCacheLookups) {
    cacheHitRate = { status: 'unknown', value: inputs.cacheHitRate ?? null, target: hitTarget, message: `cache hit rate: fewer than ${targets.minCacheLookups} lookups yet` };
  } else {
    const pct = Math.round(inputs.cacheHitRate * 1000) / 10;
    const ok = inputs.cacheHitRate > targets.minCacheHitRate;
    cacheHitRate = {
      status: ok ? 'pass' : 'fail',
      value: inputs.cacheHitRate,
      target: hitTarget,
      message: ok ? `cache hit rate ${pct}% meets target ${hitTarget}` : `cache hit rate ${pct}% is below target ${hitTarget}`,
    };
  }

  const checks: HealthChecks = {
    p50QueryTime: upper('P50 query time', inputs.p50QueryTime, targets.p50Millis, 'ms', haveQueries),
    p95QueryTime: upper('P95 query time', inputs.p95QueryTime, targets.p95Millis, 'ms', haveQueries),
    p99QueryTime: upper('P99 query time', inputs.p99QueryTime, targets.p99Millis, 'ms', haveQueries),
    nPlusOne,
    cacheHitRate,
    poolUtilization: upper('pool utilization', inputs.poolUtilizationPercent, targets.maxPoolUtilizationPercent, '%', true),
  };
  const reasons = Object.values(checks)
    .filter((c: HealthCheck) => c.status === 'fail')
    .map((c: HealthCheck) => c.message);
  return { status: reasons.length === 0 ? 'healthy' : 'degraded', reasons, checks };
}
