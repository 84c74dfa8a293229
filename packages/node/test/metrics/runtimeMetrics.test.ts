import { expect } from 'chai';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { registerRuntimeMetrics } from '../../src/metrics/runtimeMetrics';

async function collect(droppedSpans: () => number, runtime = true) {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const stop = registerRuntimeMetrics(provider.getMeter('test'), { runtime, droppedSpans });
  await new Promise((r) => setTimeout(r, 60)); // let the event-loop histogram sample
  const { resourceMetrics } = await reader.collect();
  stop();
  await provider.shutdown();
  return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
}

describe('registerRuntimeMetrics', () => {
  it('reports heap_used, heap_total, rss and external in bytes', async () => {
    const metrics = await collect(() => 0);
    const memory = metrics.find((m) => m.descriptor.name === 'querylens.runtime.memory');
    expect(memory, 'querylens.runtime.memory').to.exist;
    expect(memory!.descriptor.unit).to.equal('By');
    const byType = new Map(memory!.dataPoints.map((d) => [d.attributes.type, d.value as number]));
    expect([...byType.keys()].sort()).to.deep.equal(['external', 'heap_total', 'heap_used', 'rss']);
    expect(byType.get('heap_used')!).to.be.greaterThan(0).and.at.most(byType.get('heap_total')!);
  });

  it('reports event-loop delay quantiles in seconds', async () => {
    const metrics = await collect(() => 0);
    const delay = metrics.find((m) => m.descriptor.name === 'querylens.runtime.event_loop.delay');
    expect(delay, 'querylens.runtime.event_loop.delay').to.exist;
    expect(delay!.descriptor.unit).to.equal('s');
    const quantiles = delay!.dataPoints.map((d) => d.attributes.quantile).sort();
    expect(quantiles).to.deep.equal(['0.5', '0.99']);
    for (const d of delay!.dataPoints) expect(d.value as number).to.be.within(0, 10);
  });

  it('exposes the dropped-span count as a counter', async () => {
    const metrics = await collect(() => 42, false);
    const dropped = metrics.find((m) => m.descriptor.name === 'querylens.spans.dropped');
    expect(dropped!.dataPoints[0].value).to.equal(42);
    expect(metrics.find((m) => m.descriptor.name === 'querylens.runtime.memory')).to.equal(undefined);
  });
});
