import type { ResolvedNodeOptions } from './config';

/** Removes user:password from a URL before it is logged. */
export function safeUrl(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, '//');
}

/** The one startup line: what was started, where it sends, which thresholds apply. */
export function describeStart(
  o: ResolvedNodeOptions,
  traces: string[],
  metrics: string[],
  instrumentations: string[],
  env: NodeJS.ProcessEnv,
): string {
  const t = o.core.targets ?? {};
  const parts = [
    `@querylens/node started:`,
    `service=${o.serviceName ?? env.OTEL_SERVICE_NAME ?? '(sdk default)'}`,
    `traces=[${traces.map(safeUrl).join(', ') || 'none (analysis only)'}]`,
    `metrics=[${metrics.join(', ') || 'none'}]`,
    `logs=${o.logsRequested ? `[${env.OTEL_LOGS_EXPORTER}]` : 'off'}`,
    `sampler=${env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on'}${env.OTEL_TRACES_SAMPLER_ARG ? `(${env.OTEL_TRACES_SAMPLER_ARG})` : ''}`,
    `instrumentations=[${instrumentations.join(', ')}]`,
    `instrumentationMetrics=${o.fastInstrumentationMetrics ? 'fast' : 'sdk'}`,
    `slowQueryMillis=${o.core.slowQueryMillis}`,
    `nPlusOne=${o.core.nPlusOneThreshold}x/${o.core.nPlusOneWindowMillis}ms`,
    `targets=p50<${t.p50Millis}ms p95<${t.p95Millis}ms p99<${t.p99Millis}ms maxNPlusOne=${t.maxNPlusOne}`,
    `exportQueue=${o.maxQueueSize}`,
    `shutdownTimeoutMillis=${o.shutdownTimeoutMillis}`,
  ];
  return parts.join(' ');
}
