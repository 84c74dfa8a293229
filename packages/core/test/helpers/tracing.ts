import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';

let contextManagerInstalled = false;

/** Installs one AsyncLocalStorage context manager for the whole test process. */
export function installContextManager(): void {
  if (contextManagerInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerInstalled = true;
}

export interface Harness {
  provider: TracerProvider;
  exporter: InMemorySpanExporter;
  spans(): ReadableSpan[];
  shutdown(): Promise<void>;
}

/**
 * A real TracerProvider with an in-memory exporter behind a SimpleSpanProcessor.
 * `exporterFirst` puts the exporter before the processors under test (the harder order).
 */
export function harness(processors: SpanProcessor[], exporterFirst = true): Harness {
  installContextManager();
  const exporter = new InMemorySpanExporter();
  const exporting = new SimpleSpanProcessor({ exporter });
  const provider = new TracerProvider({
    spanProcessors: exporterFirst ? [exporting, ...processors] : [...processors, exporting],
  });
  return {
    provider,
    exporter,
    spans: () => exporter.getFinishedSpans(),
    shutdown: () => provider.shutdown(),
  };
}

/** Everything an exporter could send for a span, as one string (for "never appears" checks). */
export function exported(spans: ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((s) => ({ name: s.name, attributes: s.attributes, status: s.status, events: s.events, links: s.links })),
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
