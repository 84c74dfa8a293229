import { expect } from 'chai';
import fc from 'fast-check';
import type { Attributes } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { DURATION_BUCKETS_SECONDS, DurationHistogram, OVERFLOW_ATTRIBUTES } from '../../src';

const SETS: Attributes[] = [
  { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'students' },
  { 'db.system.name': 'postgresql', 'db.operation.name': 'INSERT' },
  { 'db.system.name': 'mysql', 'db.operation.name': 'SELECT', 'db.collection.name': 'students' },
];

/** What the SDK's own histogram instrument (same buckets) aggregates from the same measurements. */
async function sdkHistogram(measurements: Array<[number, number]>): Promise<Map<string, Histogram>> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const h = provider.getMeter('t').createHistogram('d', { unit: 's', advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS } });
  for (const [v, set] of measurements) h.record(v, SETS[set]);
  await reader.forceFlush();
  const out = new Map<string, Histogram>();
  for (const rm of exporter.getMetrics()) {
    for (const sm of rm.scopeMetrics) {
      for (const m of sm.metrics) {
        expect(m.dataPointType).to.equal(DataPointType.HISTOGRAM);
        for (const p of m.dataPoints) out.set(JSON.stringify(p.attributes), p.value as Histogram);
      }
    }
  }
  await provider.shutdown();
  return out;
}

describe('DurationHistogram', () => {
  it('aggregates exactly like the SDK histogram instrument: buckets (upper bound inclusive), count, sum, min, max', async () => {
    const value = fc.oneof(fc.constantFrom(...DURATION_BUCKETS_SECONDS, 0), fc.double({ min: 0, max: 30, noNaN: true }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(value, fc.integer({ min: 0, max: SETS.length - 1 })), { minLength: 1, maxLength: 200 }), async (measurements) => {
        const ours = new DurationHistogram();
        // a new but equal attribute object now and then: series are shared by content
        for (const [v, set] of measurements) ours.record(v, v > 5 ? { ...SETS[set] } : SETS[set]);
        const sdk = await sdkHistogram(measurements);
        const series = ours.snapshot();
        expect(series).to.have.length(sdk.size);
        for (const s of series) {
          const expected = sdk.get(JSON.stringify(s.attributes));
          expect(expected, JSON.stringify(s.attributes)).to.not.equal(undefined);
          expect(s.counts).to.deep.equal(expected!.buckets.counts);
          expect(ours.boundaries).to.deep.equal(expected!.buckets.boundaries);
          expect(s.count).to.equal(expected!.count);
          expect(s.sum).to.be.closeTo(expected!.sum!, 1e-9);
          expect(s.min).to.equal(expected!.min);
          expect(s.max).to.equal(expected!.max);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('ignores what is not a duration (NaN, negative, infinite)', () => {
    const h = new DurationHistogram();
    for (const v of [NaN, -1, Infinity, -Infinity]) h.record(v, SETS[0]);
    expect(h.snapshot()).to.deep.equal([]);
    h.record(0, SETS[0]);
    expect(h.snapshot()[0]).to.include({ count: 1, sum: 0 });
  });

  it('caps the attribute sets: further sets land in the overflow series, and fresh objects do not grow it', () => {
    const h = new DurationHistogram(DURATION_BUCKETS_SECONDS, 10);
    for (let i = 0; i < 50; i++) h.record(0.01, { 'db.system.name': 'postgresql', 'db.collection.name': `t${i}` });
    for (let i = 0; i < 10_000; i++) h.record(0.01, { 'db.system.name': 'postgresql', 'db.collection.name': 't0' });
    const series = h.snapshot();
    expect(series).to.have.length(11);
    expect(series.find((s) => s.attributes === OVERFLOW_ATTRIBUTES)).to.include({ count: 40 });
    expect(series.find((s) => s.attributes['db.collection.name'] === 't0')).to.include({ count: 10_001 });
    expect((h as unknown as { byObject: Map<unknown, unknown> }).byObject.size).to.be.at.most(40);
  });
});
