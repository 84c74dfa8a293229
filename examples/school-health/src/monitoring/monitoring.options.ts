import { Logger } from '@nestjs/common';
import { DEFAULT_HEALTH_TARGETS, type HealthTargets } from './health/evaluateHealth';

/** Options of {@link MonitoringModule.forRoot}. A plain `imports: [MonitoringModule]` reads them from the environment. */
export interface MonitoringOptions {
  /**
   * Bearer token required by every `/monitoring/*` endpoint. When empty, the
   * endpoints answer 503 (monitoring disabled) and a warning is logged at start.
   * @default process.env.MONITORING_TOKEN
   */
  token?: string;
  /** Interval between two history points. @default 60000 (env MONITORING_SAMPLE_INTERVAL_MS) */
  sampleIntervalMillis?: number;
  /** History points kept (a ring; the oldest is dropped). @default 1440 (24 h at one a minute) */
  historySize?: number;
  /** Distinct (method, route template) keys tracked; see {@link RequestMetricsStore}. @default 200 */
  maxRoutes?: number;
  /** Route templates starting with one of these are not counted in the HTTP figures. @default ['/monitoring'] */
  excludeRoutePrefixes?: string[];
  /** Health targets (seed section 6.1). @default DEFAULT_HEALTH_TARGETS */
  targets?: Partial<HealthTargets>;
}

/** {@link MonitoringOptions} with every default applied. */
export interface ResolvedMonitoringOptions {
  token: string;
  sampleIntervalMillis: number;
  historySize: number;
  maxRoutes: number;
  excludeRoutePrefixes: string[];
  targets: HealthTargets;
}

/** Nest injection token of the {@link ResolvedMonitoringOptions}. */
export const MONITORING_OPTIONS = Symbol('MONITORING_OPTIONS');

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`MonitoringModule: option ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Applies defaults; throws an Error naming the option when a value is invalid. */
export function resolveMonitoringOptions(options: MonitoringOptions = {}): ResolvedMonitoringOptions {
  const targets = { ...DEFAULT_HEALTH_TARGETS, ...(options.targets ?? {}) };
  for (const [k, v] of Object.entries(targets)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`MonitoringModule: option targets.${k} must be a non-negative number, got ${String(v)}`);
    }
  }
  if (options.token !== undefined && typeof options.token !== 'string') {
    throw new Error('MonitoringModule: option token must be a string');
  }
  return {
    token: options.token ?? '',
    sampleIntervalMillis: positiveInteger('sampleIntervalMillis', options.sampleIntervalMillis, 60_000),
    historySize: positiveInteger('historySize', options.historySize, 1440),
    maxRoutes: positiveInteger('maxRoutes', options.maxRoutes, 200),
    excludeRoutePrefixes: options.excludeRoutePrefixes ?? ['/monitoring'],
    targets,
  };
}

/**
 * Options from the environment: `MONITORING_TOKEN`, `MONITORING_SAMPLE_INTERVAL_MS`.
 * An invalid interval is logged and replaced by the default (the app still starts).
 */
export function monitoringOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ResolvedMonitoringOptions {
  const raw = env.MONITORING_SAMPLE_INTERVAL_MS;
  let sampleIntervalMillis: number | undefined;
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (Number.isInteger(n) && n >= 1000) sampleIntervalMillis = n;
    else new Logger('MonitoringModule').warn(`MONITORING_SAMPLE_INTERVAL_MS=${JSON.stringify(raw)} is not an integer >= 1000; using 60000`);
  }
  return resolveMonitoringOptions({ token: env.MONITORING_TOKEN ?? '', sampleIntervalMillis });
}
