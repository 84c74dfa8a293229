import type { QueryLensOptions } from '@querylens/core';
import type { Instrumentation } from '@opentelemetry/instrumentation';

/** Trace exporters the register can start (`OTEL_TRACES_EXPORTER`). */
export type TracesExporterName = 'otlp' | 'console' | 'none';

/** Metric exporters the register can start (`OTEL_METRICS_EXPORTER`). */
export type MetricsExporterName = 'prometheus' | 'otlp' | 'console' | 'none';

/** `esmHook`: on, off, or decided at start from the app (see {@link QueryLensNodeOptions.esmHook}). */
export type EsmHookMode = boolean | 'auto';

/**
 * Options of {@link start}: the core processor options plus what the Node SDK needs.
 * Every field can also be set by an environment variable (see the README); a value
 * given in code wins over the variable.
 */
export interface QueryLensNodeOptions extends QueryLensOptions {
  /** `service.name` of the resource. @default `OTEL_SERVICE_NAME`, else the SDK default */
  serviceName?: string;
  /** Trace exporters. @default ['otlp'] (`OTEL_TRACES_EXPORTER`) */
  tracesExporters?: TracesExporterName[];
  /** Metric exporters. @default ['prometheus'] (`OTEL_METRICS_EXPORTER`) */
  metricsExporters?: MetricsExporterName[];
  /** Host the Prometheus endpoint binds to. @default '0.0.0.0' (`OTEL_EXPORTER_PROMETHEUS_HOST`) */
  prometheusHost?: string;
  /** Port of the Prometheus endpoint (path `/metrics`). @default 9464 (`OTEL_EXPORTER_PROMETHEUS_PORT`) */
  prometheusPort?: number;
  /** Interval of the push metric exporters (OTLP, console). @default 60000 (`OTEL_METRIC_EXPORT_INTERVAL`) */
  metricExportIntervalMillis?: number;
  /** Export queue bound: spans beyond it are dropped and counted. @default 2048 (`OTEL_BSP_MAX_QUEUE_SIZE`) */
  maxQueueSize?: number;
  /** Delay between two scheduled exports. @default 5000 (`OTEL_BSP_SCHEDULE_DELAY`) */
  scheduledDelayMillis?: number;
  /** Upper bound of one export. @default 30000 (`OTEL_BSP_EXPORT_TIMEOUT`) */
  exportTimeoutMillis?: number;
  /** Upper bound of {@link shutdown} and of the flush on a signal or on exit. @default 5000 (`QUERYLENS_SHUTDOWN_TIMEOUT_MS`) */
  shutdownTimeoutMillis?: number;
  /** Flush on SIGTERM/SIGINT and on a normal exit. @default true (`QUERYLENS_HANDLE_SIGNALS`) */
  handleSignals?: boolean;
  /** Incoming request paths never traced (exact match, query string ignored). @default ['/health', '/monitoring/health', '/metrics'] (`QUERYLENS_IGNORE_PATHS`) */
  ignoreIncomingPaths?: string[];
  /** Emit `querylens.runtime.*` metrics (memory, event-loop delay). @default true (`QUERYLENS_RUNTIME_METRICS`) */
  runtimeMetrics?: boolean;
  /**
   * The import-in-the-middle loader hook, so ES modules are instrumented too. `'auto'` registers
   * it when the main script is an ES module, the register was loaded with `--import`, or an
   * instrumented package the app can load is an ES module in a version its instrumentation
   * patches; it leaves it off otherwise, where it would cost about 5% CPU per request for nothing.
   * Without the hook, CommonJS packages that an ES module imports (express, pg) are still
   * instrumented: their loads are sent through `require`.
   * @default 'auto' (`QUERYLENS_ESM_HOOK`: true, false or auto)
   */
  esmHook?: EsmHookMode;
  /**
   * Create a span for every express middleware, router and handler layer. Off by default:
   * a NestJS request passes 5 to 10 layers, each a span to scrub, batch and export, while
   * what users need from express is `http.route`, which the request span gets either way.
   * @default false (`QUERYLENS_EXPRESS_LAYER_SPANS`)
   */
  expressLayerSpans?: boolean;
  /**
   * Record the metrics of the built-in http and pg instrumentations (request and query
   * durations, pool connection counts) through querylens's own instruments, read by the SDK's
   * metric readers: same names, units, buckets and values, without the SDK's per-measurement
   * attribute serialization (pg's metrics cost about 10% of a request's throughput that way).
   * Off: they go through the SDK's meter, where views and exemplars apply.
   * @default true (`QUERYLENS_FAST_INSTRUMENTATION_METRICS`)
   */
  fastInstrumentationMetrics?: boolean;
  /** Instrumentations added to the built-in ones (http, pg, express, nestjs-core). @default [] */
  instrumentations?: Instrumentation[];
}
