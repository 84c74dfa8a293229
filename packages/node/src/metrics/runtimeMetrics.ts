import type { Meter } from '@opentelemetry/api';
import { MetricNames } from '@querylens/core';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** What {@link registerRuntimeMetrics} needs besides the meter. */
export interface RuntimeMetricsOptions {
  /** Emit memory and event-loop gauges. @default true */
  runtime?: boolean;
  /** Reads the number of spans dropped by the export queue (a monotonic count). */
  droppedSpans?: () => number;
}

/**
 * Registers the gauges of the seed's memory panel and the dropped-span counter. All
 * are observable: nothing runs until a reader collects (a Prometheus scrape). The
 * event-loop histogram (perf_hooks, 20 ms resolution) is reset after each collection,
 * so each scrape shows the delay since the previous one. Returns a stop function.
 */
export function registerRuntimeMetrics(meter: Meter, options: RuntimeMetricsOptions): () => void {
  const stops: Array<() => void> = [];
  if (options.runtime ?? true) {
    const memory = meter.createObservableGauge(MetricNames.RUNTIME_MEMORY, {
      description: 'Process memory by type (heap_used, heap_total, rss, external)',
      unit: 'By',
    });
    memory.addCallback((result) => {
      const m = process.memoryUsage();
      result.observe(m.heapUsed, { type: 'heap_used' });
      result.observe(m.heapTotal, { type: 'heap_total' });
      result.observe(m.rss, { type: 'rss' });
      result.observe(m.external, { type: 'external' });
    });
    let histogram: IntervalHistogram | undefined;
    try {
      histogram = monitorEventLoopDelay({ resolution: 20 });
      histogram.enable();
    } catch {
      histogram = undefined;
    }
    if (histogram) {
      const h = histogram;
      const delay = meter.createObservableGauge(MetricNames.RUNTIME_EVENT_LOOP_DELAY, {
        description: 'Event-loop delay since the previous collection, by quantile',
        unit: 's',
      });
      delay.addCallback((result) => {
        if (h.count > 0) {
          result.observe(h.percentile(50) / 1e9, { quantile: '0.5' });
          result.observe(h.percentile(99) / 1e9, { quantile: '0.99' });
        }
        h.reset();
      });
      stops.push(() => h.disable());
    }
  }
  const read = options.droppedSpans;
  if (read) {
    const dropped = meter.createObservableCounter(MetricNames.SPANS_DROPPED, {
      description: 'Spans dropped because the export queue was full (collector slow or down)',
    });
    dropped.addCallback((result) => result.observe(read()));
  }
  return () => stops.forEach((s) => s());
}
