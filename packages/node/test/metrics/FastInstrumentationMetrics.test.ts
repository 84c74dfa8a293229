import { expect } from 'chai';
import { ValueType } from '@opentelemetry/api';
import type { Attributes, Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import { FastInstrumentationMetrics, guardAttributes, guardedMeterProvider, MAX_SERIES_PER_INSTRUMENT } from '../../src/metrics/FastInstrumentationMetrics';

const SCOPE = '@opentelemetry/instrumentation-pg';
const SCOPE_VERSION = '0.77.0';

class TestReader extends MetricReader {
  constructor(metricProducers: MetricProducer[] = []) {
    super({ metricProducers });
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function sorted(a: Attributes): Attributes {
  return Object.fromEntries(Object.keys(a).sort().map((k) => [k, a[k]]));
}

/** What a reader collects from one scope, without timestamps and in a stable order. */
async function collected(reader: MetricReader, scope = SCOPE): Promise<unknown[]> {
  const { resourceMetrics } = await reader.collect();
  const out: unknown[] = [];
  for (const sm of resourceMetrics.scopeMetrics) {
    if (sm.scope.name !== scope) continue;
    for (const m of sm.metrics) {
      out.push({
        scope: { name: sm.scope.name, version: sm.scope.version },
        descriptor: { name: m.descriptor.name, description: m.descriptor.description, unit: m.descriptor.unit, valueType: m.descriptor.valueType },
        type: m.dataPointType,
        temporality: m.aggregationTemporality,
        monotonic: 'isMonotonic' in m ? m.isMonotonic : undefined,
        points: m.dataPoints
          .map((p) => ({ attributes: sorted(p.attributes), value: p.value }))
          .sort((x, y) => (JSON.stringify(x.attributes) < JSON.stringify(y.attributes) ? -1 : 1)),
      });
    }
  }
  return out.sort((x, y) => ((x as { descriptor: { name: string } }).descriptor.name < (y as { descriptor: { name: string } }).descriptor.name ? -1 : 1));
}

/** What a Prometheus scrape returns, without the target_info block. */
function scrape(exporter: PrometheusExporter): Promise<string[]> {
  return new Promise((resolve) => {
    exporter.getMetricsRequestHandler({} as never, {
      statusCode: 0,
      setHeader() {},
      end: (body: string) => resolve(body.split('\n').filter((l) => l.length > 0 && !l.includes('target_info'))),
    } as never);
  });
}

/** An SDK meter and a fast meter (on its own SDK provider), each read by a test reader and a Prometheus exporter. */
function pair() {
  const sdkReader = new TestReader();
  const sdkProm = new PrometheusExporter({ preventServerStart: true });
  const sdkProvider = new MeterProvider({ readers: [sdkReader, sdkProm] });
  const fast = new FastInstrumentationMetrics();
  const fastReader = new TestReader([fast]);
  const fastProm = new PrometheusExporter({ preventServerStart: true, metricProducers: [fast] });
  const fastProvider = new MeterProvider({ readers: [fastReader, fastProm] });
  return {
    sdk: sdkProvider.getMeter(SCOPE, SCOPE_VERSION),
    fast: fast.meterProvider(fastProvider).getMeter(SCOPE, SCOPE_VERSION),
    fastProvider,
    sdkReader,
    fastReader,
    sdkProm,
    fastProm,
    shutdown: () => Promise.all([sdkProvider.shutdown(), fastProvider.shutdown()]),
  };
}

/** The same measurements, on either meter: every kind, odd values, attribute orders and look-alike sets. */
function measure(meter: Meter): void {
  const requests = meter.createCounter('test.requests', { description: 'Requests.', unit: '{request}' });
  requests.add(1, { a: 'x', b: 2 });
  requests.add(2, { b: 2, a: 'x' }); // the same set in another order: one series
  requests.add(-1, { a: 'x', b: 2 }); // dropped: a counter never goes down
  requests.add(3);
  requests.add(1.5, { flag: true });
  requests.add(4, { k: 'x', l: 'y' });
  // look-alikes of the set above under keys concatenated without lengths: distinct series
  requests.add(5, { k: 'xlsy' });
  requests.add(5, { k: 'x1:ls1:y' });
  requests.add(5, { kl: 'y', k: 'x' });
  requests.add(6, { port: 5432 });
  requests.add(7, { port: '5432' }); // a string, not the number: another series
  requests.add(8, { list: ['a', 'b'] });
  requests.add(9, { list: ['a,b'] });

  const connections = meter.createUpDownCounter('test.connection.count', { description: 'Connections.', unit: '{connection}', valueType: ValueType.INT });
  connections.add(1, { state: 'used', pool: 'p' });
  connections.add(-1, { pool: 'p', state: 'used' });
  connections.add(2.7, { state: 'idle', pool: 'p' }); // INT: truncated to 2
  connections.add(-0.5, { state: 'idle', pool: 'p' }); // INT: truncated to 0
  connections.add(1, { state: 'idle', pool: 'q' });

  const duration = meter.createHistogram('test.operation.duration', {
    description: 'Durations.',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.001, 0.01, 0.1, 1] },
  });
  for (const v of [0, 0.001, 0.0011, 0.05, 0.1, 0.5, 2, 30]) duration.record(v, { op: v < 0.1 ? 'SELECT' : 'INSERT' });
  duration.record(-1, { op: 'SELECT' }); // dropped: negative
  // a second creation of the same instrument shares its series (the SDK shares the storage)
  meter.createHistogram('test.operation.duration', { description: 'Durations.', unit: 's', advice: { explicitBucketBoundaries: [0.001, 0.01, 0.1, 1] } }).record(0.2, { op: 'SELECT' });

  const sizes = meter.createHistogram('test.size', { unit: 'By' }); // no advice: the SDK's default boundaries
  for (const v of [0, 5, 6, 10000, 20000, 75]) sizes.record(v);

  meter.createHistogram('test.never.recorded'); // not exported, like the SDK
}

describe('FastInstrumentationMetrics', () => {
  it('collects exactly what the SDK meter collects for the same measurements', async () => {
    const p = pair();
    measure(p.sdk);
    measure(p.fast);
    const expected = await collected(p.sdkReader);
    expect(expected.length).to.equal(4);
    expect(await collected(p.fastReader)).to.deep.equal(expected);
    await p.shutdown();
  });

  it('renders /metrics exactly as the SDK meter (names, help, types, labels, buckets, values)', async () => {
    const p = pair();
    measure(p.sdk);
    measure(p.fast);
    const expected = await scrape(p.sdkProm);
    expect(expected.filter((l) => l.startsWith('test_operation_duration_bucket')).length).to.equal(10);
    expect(await scrape(p.fastProm)).to.deep.equal(expected);
    await p.shutdown();
  });

  it('keeps counting across collections (cumulative), as the SDK does', async () => {
    const p = pair();
    for (const m of [p.sdk, p.fast]) m.createUpDownCounter('test.connection.count').add(3, { state: 'idle' });
    await Promise.all([collected(p.sdkReader), collected(p.fastReader)]);
    for (const m of [p.sdk, p.fast]) m.createUpDownCounter('test.connection.count').add(-1, { state: 'idle' });
    const expected = await collected(p.sdkReader);
    expect(JSON.stringify(expected)).to.contain('"value":2');
    expect(await collected(p.fastReader)).to.deep.equal(expected);
    await p.shutdown();
  });

  it(`caps an instrument at ${MAX_SERIES_PER_INSTRUMENT} series, the last one the overflow series, as the SDK does`, async () => {
    const p = pair();
    for (const m of [p.sdk, p.fast]) {
      const c = m.createCounter('test.requests');
      for (let i = 0; i < MAX_SERIES_PER_INSTRUMENT + 500; i++) c.add(1, { id: i });
    }
    const expected = (await collected(p.sdkReader)) as Array<{ points: Array<{ attributes: Attributes; value: number }> }>;
    const got = (await collected(p.fastReader)) as typeof expected;
    expect(got[0].points).to.have.length(MAX_SERIES_PER_INSTRUMENT);
    const overflow = got[0].points.find((x) => x.attributes['otel.metric.overflow'] === true);
    expect(overflow?.value).to.equal(501);
    expect(got).to.deep.equal(expected);
    await p.shutdown();
  });

  it('starts each series at its first measurement, as the SDK does (OTLP start_time_unix_nano)', async () => {
    const p = pair();
    const c = p.fast.createCounter('test.requests');
    c.add(1, { a: 'first' });
    await new Promise((r) => setTimeout(r, 30));
    c.add(1, { a: 'second' });
    const { resourceMetrics } = await p.fastReader.collect();
    const points = resourceMetrics.scopeMetrics[0].metrics[0].dataPoints;
    const start = (a: string) => {
      const t = points.find((x) => x.attributes.a === a)!.startTime;
      return t[0] * 1e3 + t[1] / 1e6;
    };
    expect(start('second') - start('first')).to.be.at.least(20);
    await p.shutdown();
  });

  it('never throws into the instrumentation: a measurement it cannot key is dropped', async () => {
    const p = pair();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad = [{ n: BigInt(1) }, { o: cyclic }] as unknown as Attributes[];
    const c = p.fast.createCounter('test.requests');
    const h = p.fast.createHistogram('test.operation.duration');
    for (const a of bad) {
      expect(() => c.add(1, a)).not.to.throw();
      expect(() => h.record(1, a)).not.to.throw();
    }
    c.add(2, { ok: 'yes' });
    const text = (await scrape(p.fastProm)).join('\n');
    expect(text).to.match(/^test_requests_total\{ok="yes",[^}]*\} 2$/m);
    expect(text).not.to.contain('test_operation_duration');
    await p.shutdown();
  });

  it('hands gauges and observable instruments to the SDK meter', async () => {
    const p = pair();
    p.fast.createGauge('test.gauge').record(7, { a: '1' });
    p.fast.createObservableGauge('test.observed').addCallback((r) => r.observe(11));
    const text = (await scrape(p.fastProm)).join('\n');
    expect(text).to.match(/^test_gauge\{a="1",otel_scope_name="@opentelemetry\/instrumentation-pg",otel_scope_version="0.77.0"\} 7$/m);
    expect(text).to.match(/^test_observed\{[^}]*\} 11$/m);
    await p.shutdown();
  });

  it('adds nothing to /metrics before the first measurement', async () => {
    const p = pair();
    for (const m of [p.sdk, p.fast]) {
      m.createHistogram('test.operation.duration');
      m.createUpDownCounter('test.connection.count');
    }
    const expected = await scrape(p.sdkProm);
    expect(expected.join('\n')).not.to.contain('test_');
    expect(await scrape(p.fastProm)).to.deep.equal(expected);
    await p.shutdown();
  });

  describe('#guardAttributes (db.operation.name as instrumentation-pg derives it)', () => {
    const cases: Array<[string, string]> = [
      ['SELECT', 'SELECT'],
      ['INSERT', 'INSERT'],
      ["SELECT\t'ZELDA\tQUIXOTEBURY'", 'SELECT'],
      ["UPDATE\nSTUDENTS\nSET\nNAME='ZELDA'", 'UPDATE'],
      ["'ZELDA'", 'OTHER'],
      ['ZELDA', 'OTHER'],
      ['', 'OTHER'],
    ];
    for (const [input, expected] of cases) {
      it(`keeps ${JSON.stringify(expected)} of ${JSON.stringify(input)}`, () => {
        const attributes = { 'db.system.name': 'postgresql', 'db.operation.name': input };
        const guarded = guardAttributes(attributes)!;
        expect(guarded['db.operation.name']).to.equal(expected);
        expect(guarded['db.system.name']).to.equal('postgresql');
        expect(attributes['db.operation.name'], 'the caller\'s object is left alone').to.equal(input);
        if (expected === input) expect(guarded).to.equal(attributes);
      });
    }

    it('guards the fast meter and the SDK meter alike', async () => {
      const p = pair();
      const sdkReader = new TestReader();
      const sdkProvider = new MeterProvider({ readers: [sdkReader] });
      const guarded = guardedMeterProvider(sdkProvider).getMeter(SCOPE, SCOPE_VERSION);
      for (const m of [p.fast, guarded]) m.createHistogram('db.client.operation.duration').record(0.1, { 'db.operation.name': "SELECT\t'ZELDA'" });
      for (const reader of [p.fastReader, sdkReader]) {
        const text = JSON.stringify(await collected(reader));
        expect(text).to.contain('"db.operation.name":"SELECT"');
        expect(text).not.to.contain('ZELDA');
      }
      await Promise.all([p.shutdown(), sdkProvider.shutdown()]);
    });
  });
});
