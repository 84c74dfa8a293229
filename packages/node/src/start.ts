import { diag, DiagLogLevel, metrics } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { realpathSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { QueryLensSpanProcessor, type PerformanceReport } from '@querylens/core';
import { readConfigFromEnv, resolveOptions, validateCodeOptions } from './config';
import { describeStart } from './describe';
import { StderrDiagLogger } from './diag/StderrDiagLogger';
import { LateBoundSpanProcessor } from './export/LateBoundSpanProcessor';
import { DurationMetricProducer } from './metrics/DurationMetricProducer';
import { FastInstrumentationMetrics, guardedMeterProvider } from './metrics/FastInstrumentationMetrics';
import { registerRuntimeMetrics } from './metrics/runtimeMetrics';
import { emptyReport } from './report/emptyReport';
import { createMetricReaders, createTraceExport } from './sdk/exporters';
import { createInstrumentations } from './sdk/instrumentations';
import { detectDefaultResource } from './sdk/resource';
import { decideEsmHook, installCjsBridge, patchedModulesOf, primeBuiltins, registerEsmHook, type EsmHookDecision, type PatchedModule } from './sdk/esmHook';
import { installSignalHandlers, settleWithin } from './signals';
import { globalState, type GlobalState, type Running } from './state';
import type { EsmHookMode, QueryLensNodeOptions } from './types';

const PREFIX = '@querylens/node:';

function isTrue(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}

/** Our stderr logger, at info or at the level of `OTEL_LOG_LEVEL`. */
function ensureLogger(): void {
  const s = globalState();
  if (s.loggerInstalled) return;
  installLogger();
  s.loggerInstalled = true;
}

function installLogger(): void {
  const level = process.env.OTEL_LOG_LEVEL;
  const logLevel = level ? diagLogLevelFromString(level) ?? DiagLogLevel.INFO : DiagLogLevel.INFO;
  diag.setLogger(new StderrDiagLogger(), { logLevel, suppressOverrideMessage: true });
}

function flushAll(r: Running): Promise<void> {
  const provider = metrics.getMeterProvider() as { forceFlush?: () => Promise<void> };
  return Promise.all([
    r.processor.forceFlush(),
    ...r.batches.map((b) => b.forceFlush()),
    provider.forceFlush ? provider.forceFlush() : Promise.resolve(),
  ]).then(() => undefined);
}

/**
 * Starts OpenTelemetry with the querylens processors in front of the exporters:
 * instrumentations http, pg, express and nestjs-core; traces to OTLP (default) or the
 * console; metrics on a Prometheus endpoint (default); flush on SIGTERM/SIGINT/exit.
 * Options given here win over the environment variables (see the README).
 *
 * Idempotent per process: a second call (or the register loaded twice) logs a warning
 * and changes nothing. Does nothing outside the main thread. Throws only on invalid
 * options passed in code, naming the option.
 */
export function start(options: QueryLensNodeOptions = {}): void {
  // Preload flags (--require/--import) also run in worker threads, including Node's
  // ESM loader-hooks thread: an SDK there would double-instrument and fight over ports.
  if (!isMainThread) return;
  const s = globalState();
  ensureLogger();
  if (s.running) {
    diag.warn(`${PREFIX} already started in this process; this second start is ignored (no double registration)`);
    return;
  }
  validateCodeOptions(options);
  const fromEnv = readConfigFromEnv(process.env, (m) => diag.warn(`${PREFIX} ${m}`));
  if (isTrue(process.env.OTEL_SDK_DISABLED)) {
    diag.info(`${PREFIX} OTEL_SDK_DISABLED=true: nothing started`);
    return;
  }
  const o = resolveOptions(options, fromEnv, process.env);

  const late = new LateBoundSpanProcessor();
  const traces = createTraceExport(o, process.env);
  // Query durations go through a producer on our readers, unless the app brought its own metrics pipeline.
  const durations = o.core.meterProvider === undefined && o.core.durationRecorder === undefined ? new DurationMetricProducer() : undefined;
  // The built-in instrumentations' metrics likewise, when there is a reader to collect them.
  const fast = o.fastInstrumentationMetrics ? new FastInstrumentationMetrics() : undefined;
  const readers = createMetricReaders(o, [durations, fast].filter((p) => p !== undefined));
  const builtIn = createInstrumentations({ ignoreIncomingPaths: o.ignoreIncomingPaths, expressLayerSpans: o.expressLayerSpans });
  const instrumentations = [...builtIn, ...o.instrumentations];
  const patched = patchedModulesOf(instrumentations);
  const esm = esmHookFor(o.esmHook, patched, s);
  const sdk = new NodeSDK({
    serviceName: o.serviceName,
    resource: detectDefaultResource(),
    autoDetectResources: false,
    instrumentations,
    spanProcessors: [late, ...traces.processors],
    metricReaders: readers.readers,
    // NodeSDK would otherwise start an OTLP log exporter nobody asked for
    ...(o.logsRequested ? {} : { logRecordProcessors: [] }),
  });
  // NodeSDK installs its console logger when OTEL_LOG_LEVEL is set; it prints errors whole (PHI)
  if (process.env.OTEL_LOG_LEVEL) installLogger();
  sdk.start();
  if (!esm.on) primeBuiltins(patched);
  // After start: NodeSDK gives every instrumentation its MeterProvider in start(); the SDK
  // instruments they created there stay empty, and the SDK exports no empty instrument.
  // (Right after start: a pg pool that connected in between would leave its pool max in the
  // SDK instrument, exported next to ours.) Either way `db.operation.name` is guarded.
  const meterProvider = fast ? fast.meterProvider(metrics.getMeterProvider()) : guardedMeterProvider(metrics.getMeterProvider());
  for (const i of builtIn) i.setMeterProvider(meterProvider);

  // Created after start(): NodeSDK creates the MeterProvider in start().
  let processor: QueryLensSpanProcessor;
  try {
    processor = new QueryLensSpanProcessor({
      ...o.core,
      meterProvider: o.core.meterProvider ?? metrics.getMeterProvider(),
      ...(durations ? { durationRecorder: durations.histogram } : {}),
    });
  } catch (err) {
    // invalid core options (from code): leave nothing half-started behind
    instrumentations.forEach((i) => i.disable());
    void sdk.shutdown().catch(() => undefined);
    throw err;
  }
  late.bind(processor);
  const running: Running = { sdk, processor, batches: traces.batches, options: o, instrumentationMetrics: fast, stop: [] };
  s.running = running;

  running.stop.push(
    registerRuntimeMetrics(metrics.getMeter('@querylens/node'), {
      runtime: o.runtimeMetrics,
      droppedSpans: () => running.batches.reduce((n, b) => n + b.droppedSpans, 0),
    }),
  );
  if (o.handleSignals) {
    running.stop.push(installSignalHandlers(() => flushAll(running), o.shutdownTimeoutMillis));
  }
  diag.info(
    describeStart(
      o,
      traces.description,
      readers.description,
      instrumentations.map((i) => i.instrumentationName.replace('@opentelemetry/instrumentation-', '')),
      process.env,
    ) + ` esmHook=${esm.text}`,
  );
}

/**
 * Flushes and stops the SDK, bounded by `shutdownTimeoutMillis` (a dead collector
 * cannot hold it longer). Idempotent; resolves, never rejects. {@link report} keeps
 * returning the final figures afterwards.
 */
export function shutdown(): Promise<void> {
  const r = globalState().running;
  if (!r) return Promise.resolve();
  if (!r.shutdown) {
    r.stop.forEach((stop) => stop());
    r.shutdown = settleWithin(r.sdk.shutdown(), r.options.shutdownTimeoutMillis).then((outcome) => {
      if (outcome === 'timeout') diag.warn(`${PREFIX} shutdown gave up after ${r.options.shutdownTimeoutMillis} ms (collector unreachable?)`);
    });
  }
  return r.shutdown;
}

/**
 * The live report of the querylens processor (the seed's PerformanceReport shape); a
 * valid empty report when {@link start} has not run.
 */
export function report(): PerformanceReport {
  const r = globalState().running;
  return r ? r.processor.report() : emptyReport();
}

/** Registers the ESM hook as `mode` says (see {@link decideEsmHook}); otherwise the CommonJS bridge. `text`: for the startup line. */
function esmHookFor(mode: EsmHookMode, modules: PatchedModule[], s: GlobalState): { on: boolean; text: string } {
  let decision: EsmHookDecision;
  if (mode !== 'auto') decision = { on: mode, reason: '' };
  else {
    try {
      const main = process.argv[1];
      decision = decideEsmHook(modules, { mainPath: main === undefined ? undefined : realpathOr(main), cwd: process.cwd(), esmEntry: s.esmEntry === true });
    } catch (err) {
      // an unreadable app (a deleted working directory): the hook, which misses nothing
      decision = { on: true, reason: `the app could not be read (${err instanceof Error ? err.message : String(err)})` };
    }
  }
  const on = decision.on && registerEsmHook(modules.map((m) => m.name));
  if (!on) installCjsBridge();
  return { on, text: `${on ? 'on' : 'off'}${mode === 'auto' ? ` (auto: ${decision.reason})` : ''}` };
}

function realpathOr(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
