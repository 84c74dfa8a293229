import { ConsoleSpanExporter, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import {
  ConsoleMetricExporter,
  PeriodicExportingMetricReader,
  type IMetricReader,
  type MetricProducer,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { DropCountingBatchSpanProcessor } from '../export/DropCountingBatchSpanProcessor';
import type { ResolvedNodeOptions } from '../config';

/** The export side of the span pipeline, plus what the startup line says about it. */
export interface TraceExport {
  processors: SpanProcessor[];
  /** The batch processors whose drops are counted. */
  batches: DropCountingBatchSpanProcessor[];
  description: string[];
}

/** The OTLP traces URL the exporter will use (for the startup line only). */
function otlpTracesUrl(env: NodeJS.ProcessEnv): string {
  const direct = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (direct) return direct;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || 'http://localhost:4318';
  return `${base.replace(/\/$/, '')}/v1/traces`;
}

/**
 * Span exporters: OTLP http/protobuf (it reads `OTEL_EXPORTER_OTLP_*` itself) behind a
 * bounded, drop-counting batch processor; console behind a simple processor, as the
 * SDK does, so lines appear as spans end.
 */
export function createTraceExport(o: ResolvedNodeOptions, env: NodeJS.ProcessEnv): TraceExport {
  const out: TraceExport = { processors: [], batches: [], description: [] };
  for (const name of o.tracesExporters) {
    if (name === 'otlp') {
      const batch = new DropCountingBatchSpanProcessor({
        exporter: new OTLPTraceExporter(),
        maxQueueSize: o.maxQueueSize,
        scheduledDelayMillis: o.scheduledDelayMillis,
        exportTimeoutMillis: o.exportTimeoutMillis,
      });
      out.processors.push(batch);
      out.batches.push(batch);
      out.description.push(`otlp ${otlpTracesUrl(env)}`);
    } else if (name === 'console') {
      out.processors.push(new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }));
      out.description.push('console');
    }
  }
  return out;
}

function push(exporter: PushMetricExporter, intervalMillis: number, metricProducers: MetricProducer[]): PeriodicExportingMetricReader {
  // the reader requires timeout <= interval
  return new PeriodicExportingMetricReader({
    exporter, exportIntervalMillis: intervalMillis, exportTimeoutMillis: Math.min(30_000, intervalMillis), metricProducers,
  });
}

/** Metric readers: Prometheus (pull, `/metrics`), OTLP and console (push), each also collecting `metricProducers`. */
export function createMetricReaders(o: ResolvedNodeOptions, metricProducers: MetricProducer[] = []): { readers: IMetricReader[]; description: string[] } {
  const readers: IMetricReader[] = [];
  const description: string[] = [];
  for (const name of o.metricsExporters) {
    if (name === 'prometheus') {
      readers.push(new PrometheusExporter({ host: o.prometheusHost, port: o.prometheusPort, endpoint: '/metrics', metricProducers }));
      description.push(`prometheus http://${o.prometheusHost}:${o.prometheusPort}/metrics`);
    } else if (name === 'otlp') {
      readers.push(push(new OTLPMetricExporter(), o.metricExportIntervalMillis, metricProducers));
      description.push('otlp');
    } else if (name === 'console') {
      readers.push(push(new ConsoleMetricExporter(), o.metricExportIntervalMillis, metricProducers));
      description.push('console');
    }
  }
  return { readers, description };
}
