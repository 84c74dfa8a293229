import type { QueryLensOptions, QueryTargets } from '@querylens/core';
import type { ConfigWarn, Env } from './config/envParsers';
import { booleanFromEnv, esmHookFromEnv, enumListFromEnv, listFromEnv, numberFromEnv, stringFromEnv } from './config/envParsers';
import type { EsmHookMode, MetricsExporterName, QueryLensNodeOptions, TracesExporterName } from './types';

const TRACES_EXPORTERS: readonly TracesExporterName[] = ['otlp', 'console', 'none'];
const METRICS_EXPORTERS: readonly MetricsExporterName[] = ['prometheus', 'otlp', 'console', 'none'];

/** Defaults of every option the register resolves (core defaults are the core's own). */
export const NODE_DEFAULTS = {
  slowQueryMillis: 1000,
  nPlusOneThreshold: 5,
  nPlusOneWindowMillis: 1000,
  nPlusOneMinTotalMillis: 0,
  targets: { p50Millis: 100, p95Millis: 500, p99Millis: 1000, maxNPlusOne: 0 },
  topQueriesLimit: 1000,
  reportWindowMillis: 300_000,
  tracesExporters: ['otlp'] as TracesExporterName[],
  metricsExporters: ['prometheus'] as MetricsExporterName[],
  prometheusHost: '0.0.0.0',
  prometheusPort: 9464,
  metricExportIntervalMillis: 60_000,
  maxQueueSize: 2048,
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30_000,
  shutdownTimeoutMillis: 5000,
  handleSignals: true,
  ignoreIncomingPaths: ['/health', '/monitoring/health', '/metrics'],
  runtimeMetrics: true,
  esmHook: 'auto',
  expressLayerSpans: false,
  fastInstrumentationMetrics: true,
} as const;

/** Everything {@link start} needs, defaults applied. */
export interface ResolvedNodeOptions {
  core: QueryLensOptions;
  serviceName: string | undefined;
  tracesExporters: TracesExporterName[];
  metricsExporters: MetricsExporterName[];
  prometheusHost: string;
  prometheusPort: number;
  metricExportIntervalMillis: number;
  maxQueueSize: number;
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
  shutdownTimeoutMillis: number;
  handleSignals: boolean;
  ignoreIncomingPaths: string[];
  runtimeMetrics: boolean;
  esmHook: EsmHookMode;
  expressLayerSpans: boolean;
  /** The option, and a metrics exporter on that takes cumulative data (see {@link deltaOtlpMetrics}). */
  fastInstrumentationMetrics: boolean;
  instrumentations: NonNullable<QueryLensNodeOptions['instrumentations']>;
  /** True when `OTEL_LOGS_EXPORTER` asks for a log exporter (else no LoggerProvider work). */
  logsRequested: boolean;
}

function dropNone<T extends string>(list: T[] | undefined, name: string, warn: ConfigWarn): T[] | undefined {
  if (list === undefined || !list.includes('none' as T)) return list;
  if (list.length === 1) return [];
  warn(`${name} mixes "none" with other exporters; ignoring "none"`);
  return list.filter((x) => x !== 'none');
}

/**
 * Reads the `QUERYLENS_*` and the `OTEL_*` variables the register honors into options.
 * Never throws: an invalid value is reported through `warn` (naming the variable) and
 * left out, so the default applies.
 */
export function readConfigFromEnv(env: Env, warn: ConfigWarn): QueryLensNodeOptions {
  const d = NODE_DEFAULTS;
  const num = (name: string, fallback: number, opts?: { min?: number; integer?: boolean }) =>
    numberFromEnv(env, name, fallback, warn, opts);
  const targets: QueryTargets = {
    p50Millis: num('QUERYLENS_TARGET_P50_MS', d.targets.p50Millis),
    p95Millis: num('QUERYLENS_TARGET_P95_MS', d.targets.p95Millis),
    p99Millis: num('QUERYLENS_TARGET_P99_MS', d.targets.p99Millis),
    maxNPlusOne: num('QUERYLENS_TARGET_MAX_N_PLUS_ONE', d.targets.maxNPlusOne, { integer: true }),
  };
  const options: QueryLensNodeOptions = {
    slowQueryMillis: num('QUERYLENS_SLOW_QUERY_MS', d.slowQueryMillis),
    nPlusOneThreshold: num('QUERYLENS_N_PLUS_ONE_THRESHOLD', d.nPlusOneThreshold, { min: 2, integer: true }),
    nPlusOneWindowMillis: num('QUERYLENS_N_PLUS_ONE_WINDOW_MS', d.nPlusOneWindowMillis, { min: 1 }),
    nPlusOneMinTotalMillis: num('QUERYLENS_N_PLUS_ONE_MIN_TOTAL_MS', d.nPlusOneMinTotalMillis),
    nPlusOneAllowList: listFromEnv(env, 'QUERYLENS_N_PLUS_ONE_ALLOW_LIST'),
    targets,
    redactAttributes: listFromEnv(env, 'QUERYLENS_REDACT_ATTRIBUTES'),
    hashAttributes: listFromEnv(env, 'QUERYLENS_HASH_ATTRIBUTES'),
    topQueriesLimit: num('QUERYLENS_TOP_QUERIES_LIMIT', d.topQueriesLimit, { min: 1, integer: true }),
    reportWindowMillis: num('QUERYLENS_REPORT_WINDOW_MS', d.reportWindowMillis, { min: 1 }),
    serviceName: stringFromEnv(env, 'OTEL_SERVICE_NAME'),
    tracesExporters: dropNone(
      enumListFromEnv(env, 'OTEL_TRACES_EXPORTER', TRACES_EXPORTERS, d.tracesExporters, warn),
      'OTEL_TRACES_EXPORTER',
      warn,
    ),
    metricsExporters: dropNone(
      enumListFromEnv(env, 'OTEL_METRICS_EXPORTER', METRICS_EXPORTERS, d.metricsExporters, warn),
      'OTEL_METRICS_EXPORTER',
      warn,
    ),
    prometheusHost: stringFromEnv(env, 'OTEL_EXPORTER_PROMETHEUS_HOST'),
    prometheusPort: num('OTEL_EXPORTER_PROMETHEUS_PORT', d.prometheusPort, { min: 1, integer: true }),
    metricExportIntervalMillis: num('OTEL_METRIC_EXPORT_INTERVAL', d.metricExportIntervalMillis, { min: 1 }),
    maxQueueSize: num('OTEL_BSP_MAX_QUEUE_SIZE', d.maxQueueSize, { min: 1, integer: true }),
    scheduledDelayMillis: num('OTEL_BSP_SCHEDULE_DELAY', d.scheduledDelayMillis, { min: 1 }),
    exportTimeoutMillis: num('OTEL_BSP_EXPORT_TIMEOUT', d.exportTimeoutMillis, { min: 1 }),
    shutdownTimeoutMillis: num('QUERYLENS_SHUTDOWN_TIMEOUT_MS', d.shutdownTimeoutMillis, { min: 1 }),
    handleSignals: booleanFromEnv(env, 'QUERYLENS_HANDLE_SIGNALS', d.handleSignals, warn),
    ignoreIncomingPaths: listFromEnv(env, 'QUERYLENS_IGNORE_PATHS'),
    runtimeMetrics: booleanFromEnv(env, 'QUERYLENS_RUNTIME_METRICS', d.runtimeMetrics, warn),
    esmHook: esmHookFromEnv(env, warn),
    expressLayerSpans: booleanFromEnv(env, 'QUERYLENS_EXPRESS_LAYER_SPANS', d.expressLayerSpans, warn),
    fastInstrumentationMetrics: booleanFromEnv(env, 'QUERYLENS_FAST_INSTRUMENTATION_METRICS', d.fastInstrumentationMetrics, warn),
  };
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL']) {
    const protocol = stringFromEnv(env, name);
    if (protocol !== undefined && protocol !== 'http/protobuf') {
      warn(`${name}=${JSON.stringify(protocol)} is not supported (only http/protobuf); using http/protobuf`);
    }
  }
  if (options.prometheusPort !== undefined && options.prometheusPort > 65535) {
    warn(`OTEL_EXPORTER_PROMETHEUS_PORT=${options.prometheusPort} is not a TCP port; using the default ${d.prometheusPort}`);
    options.prometheusPort = undefined;
  }
  return options;
}

function checkNumber(name: string, value: number | undefined, min: number, integer = false): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`@querylens/node: option ${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${String(value)}`);
  }
}

/** Throws a clear Error naming the option when a value given in code is invalid. */
export function validateCodeOptions(o: QueryLensNodeOptions): void {
  checkNumber('slowQueryMillis', o.slowQueryMillis, 0);
  checkNumber('nPlusOneThreshold', o.nPlusOneThreshold, 2, true);
  checkNumber('nPlusOneWindowMillis', o.nPlusOneWindowMillis, 1);
  checkNumber('nPlusOneMinTotalMillis', o.nPlusOneMinTotalMillis, 0);
  checkNumber('topQueriesLimit', o.topQueriesLimit, 1, true);
  checkNumber('reportWindowMillis', o.reportWindowMillis, 1);
  checkNumber('targets.p50Millis', o.targets?.p50Millis, 0);
  checkNumber('targets.p95Millis', o.targets?.p95Millis, 0);
  checkNumber('targets.p99Millis', o.targets?.p99Millis, 0);
  checkNumber('targets.maxNPlusOne', o.targets?.maxNPlusOne, 0, true);
  checkNumber('prometheusPort', o.prometheusPort, 1, true);
  checkNumber('maxQueueSize', o.maxQueueSize, 1, true);
  checkNumber('metricExportIntervalMillis', o.metricExportIntervalMillis, 1);
  checkNumber('scheduledDelayMillis', o.scheduledDelayMillis, 1);
  checkNumber('exportTimeoutMillis', o.exportTimeoutMillis, 1);
  checkNumber('shutdownTimeoutMillis', o.shutdownTimeoutMillis, 1);
  if (o.esmHook !== undefined && o.esmHook !== true && o.esmHook !== false && o.esmHook !== 'auto') {
    throw new Error(`@querylens/node: option esmHook must be true, false or 'auto', got ${JSON.stringify(o.esmHook)}`);
  }
  if (o.prometheusPort !== undefined && o.prometheusPort > 65535) {
    throw new Error(`@querylens/node: option prometheusPort must be <= 65535, got ${o.prometheusPort}`);
  }
  for (const [name, list, allowed] of [
    ['tracesExporters', o.tracesExporters, TRACES_EXPORTERS],
    ['metricsExporters', o.metricsExporters, METRICS_EXPORTERS],
  ] as const) {
    for (const item of list ?? []) {
      if (!(allowed as readonly string[]).includes(item)) {
        throw new Error(`@querylens/node: option ${name} contains unknown exporter ${JSON.stringify(item)} (known: ${allowed.join(', ')})`);
      }
    }
  }
}

/** Options of {@link QueryLensNodeOptions} that are not core options (everything else is passed to the core processor). */
const NODE_ONLY_KEYS = new Set<string>([
  'serviceName',
  'tracesExporters',
  'metricsExporters',
  'prometheusHost',
  'prometheusPort',
  'metricExportIntervalMillis',
  'maxQueueSize',
  'scheduledDelayMillis',
  'exportTimeoutMillis',
  'shutdownTimeoutMillis',
  'handleSignals',
  'ignoreIncomingPaths',
  'runtimeMetrics',
  'esmHook',
  'expressLayerSpans',
  'fastInstrumentationMetrics',
  'instrumentations',
] satisfies Array<keyof QueryLensNodeOptions>);

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * True when the OTLP metric exporter asks for delta sums or histograms
 * (`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE` `delta` or `lowmemory`): the fast
 * instrumentation metrics are cumulative only, so the SDK's meter records them then.
 */
function deltaOtlpMetrics(exporters: MetricsExporterName[], env: Env): boolean {
  const preference = (env.OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE ?? '').trim().toLowerCase();
  return exporters.includes('otlp') && (preference === 'delta' || preference === 'lowmemory');
}

/** Merges code options over environment options over defaults (code wins). */
export function resolveOptions(code: QueryLensNodeOptions, fromEnv: QueryLensNodeOptions, env: Env): ResolvedNodeOptions {
  const d = NODE_DEFAULTS;
  const m: QueryLensNodeOptions = { ...defined(fromEnv), ...defined(code) };
  const targets: QueryTargets = { ...d.targets, ...defined(fromEnv.targets ?? {}), ...defined(code.targets ?? {}) };
  const stripNone = <T extends string>(l: T[]) => (l.includes('none' as T) ? [] : l);
  const passThrough = Object.fromEntries(Object.entries(m).filter(([k]) => !NODE_ONLY_KEYS.has(k))) as QueryLensOptions;
  const core: QueryLensOptions = defined({
    ...passThrough,
    slowQueryMillis: m.slowQueryMillis ?? d.slowQueryMillis,
    nPlusOneThreshold: m.nPlusOneThreshold ?? d.nPlusOneThreshold,
    nPlusOneWindowMillis: m.nPlusOneWindowMillis ?? d.nPlusOneWindowMillis,
    nPlusOneMinTotalMillis: m.nPlusOneMinTotalMillis ?? d.nPlusOneMinTotalMillis,
    nPlusOneAllowList: m.nPlusOneAllowList,
    targets,
    redactAttributes: m.redactAttributes,
    hashAttributes: m.hashAttributes,
    topQueriesLimit: m.topQueriesLimit ?? d.topQueriesLimit,
    reportWindowMillis: m.reportWindowMillis ?? d.reportWindowMillis,
    meterProvider: m.meterProvider,
    sanitize: m.sanitize,
  });
  const logs = listFromEnv(env, 'OTEL_LOGS_EXPORTER') ?? [];
  const metricsExporters = stripNone(m.metricsExporters ?? [...d.metricsExporters]);
  return {
    core,
    serviceName: m.serviceName,
    tracesExporters: stripNone(m.tracesExporters ?? [...d.tracesExporters]),
    metricsExporters,
    prometheusHost: m.prometheusHost ?? d.prometheusHost,
    prometheusPort: m.prometheusPort ?? d.prometheusPort,
    metricExportIntervalMillis: m.metricExportIntervalMillis ?? d.metricExportIntervalMillis,
    maxQueueSize: m.maxQueueSize ?? d.maxQueueSize,
    scheduledDelayMillis: m.scheduledDelayMillis ?? d.scheduledDelayMillis,
    exportTimeoutMillis: m.exportTimeoutMillis ?? d.exportTimeoutMillis,
    shutdownTimeoutMillis: m.shutdownTimeoutMillis ?? d.shutdownTimeoutMillis,
    handleSignals: m.handleSignals ?? d.handleSignals,
    ignoreIncomingPaths: m.ignoreIncomingPaths ?? [...d.ignoreIncomingPaths],
    runtimeMetrics: m.runtimeMetrics ?? d.runtimeMetrics,
    esmHook: m.esmHook ?? d.esmHook,
    expressLayerSpans: m.expressLayerSpans ?? d.expressLayerSpans,
    fastInstrumentationMetrics:
      (m.fastInstrumentationMetrics ?? d.fastInstrumentationMetrics) && metricsExporters.length > 0 && !deltaOtlpMetrics(metricsExporters, env),
    instrumentations: m.instrumentations ?? [],
    logsRequested: logs.length > 0 && !logs.includes('none'),
  };
}
