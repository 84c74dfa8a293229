import { expect } from 'chai';
import { MeterProvider, AggregationTemporality, InMemoryMetricExporter, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { AttributeNames, MetricNames, SLOW_QUERY_EVENT, SlowQuerySpanProcessor } from '../../src';
import { harness } from '../helpers/tracing';
import type { Harness } from '../helpers/tracing';

const T0 = Date.now();

describe('SlowQuerySpanProcessor', () => {
  let h: Harness;
  afterEach(async () => h?.shutdown());

  /** A DB span lasting `ms` milliseconds (explicit start/end times: no sleeping). */
  function query(ms: number, text = "SELECT * FROM students WHERE name = 'Alice'", name = 'pg.query:SELECT test'): void {
    const start = T0 + Math.random() * 1000;
    const span = h.provider.getTracer('t').startSpan(name, { startTime: start, attributes: { 'db.system.name': 'postgresql', 'db.query.text': text } });
    span.end(start + ms);
  }

  describe('#onEnding', () => {
    it('flags a span longer than slowQueryMillis with the attribute and an event', () => {
      h = harness([new SlowQuerySpanProcessor({ slowQueryMillis: 100 })]);
      query(150);
      query(50);
      const [slow, fast] = h.spans();
      expect(slow.attributes[AttributeNames.SLOW_QUERY]).to.equal(true);
      const ev = slow.events.find((e) => e.name === SLOW_QUERY_EVENT)!;
      expect(ev.attributes!['querylens.duration_ms']).to.be.closeTo(150, 0.01);
      expect(ev.attributes!['querylens.threshold_ms']).to.equal(100);
      expect(ev.attributes!['db.query.summary']).to.equal('SELECT students');
      expect(JSON.stringify(ev)).not.to.include('Alice');
      expect(fast.attributes).not.to.have.property(AttributeNames.SLOW_QUERY);
      expect(fast.events).to.have.length(0);
    });

    it('uses 1000 ms by default (the seed threshold)', () => {
      h = harness([new SlowQuerySpanProcessor()]);
      query(999);
      query(1001);
      expect(h.spans().map((s) => s.attributes[AttributeNames.SLOW_QUERY] === true)).to.deep.equal([false, true]);
    });

    it('adaptive: no stack for the first slow query of a span name, application frames for the next', () => {
      h = harness([new SlowQuerySpanProcessor({ slowQueryMillis: 10 })]);
      query(20);
      query(20);
      query(20, 'SELECT 1', 'other-name');
      const [first, second, other] = h.spans();
      expect(first.attributes).not.to.have.property('code.stacktrace');
      const stack = String(second.attributes['code.stacktrace']);
      expect(stack).to.include('SlowQuerySpanProcessor.test.ts');
      expect(stack).not.to.include('node_modules');
      expect(stack).not.to.include('/src/processors/');
      expect(other.attributes).not.to.have.property('code.stacktrace');
    });

    it('adaptive: never arms a span name that looks like data (a raw statement in the name)', () => {
      h = harness([new SlowQuerySpanProcessor({ slowQueryMillis: 10 })]);
      const raw = "SELECT * FROM students WHERE ssn = '078-05-1120'";
      query(20, raw, `pg.query:${raw}`);
      query(20, raw, `pg.query:${raw}`);
      expect(h.spans()[1].attributes).not.to.have.property('code.stacktrace');
    });

    it('always / off', () => {
      h = harness([new SlowQuerySpanProcessor({ slowQueryMillis: 10, slowQueryStackTraces: 'always' })]);
      query(20);
      expect(String(h.spans()[0].attributes['code.stacktrace'])).to.include('SlowQuerySpanProcessor.test.ts');
      void h.shutdown();
      h = harness([new SlowQuerySpanProcessor({ slowQueryMillis: 10, slowQueryStackTraces: 'off' })]);
      query(20);
      query(20);
      expect(h.spans().some((s) => 'code.stacktrace' in s.attributes)).to.equal(false);
    });

    it('counts querylens.db.slow_queries with low-cardinality attributes only', async () => {
      const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
      const meterProvider = new MeterProvider({ readers: [reader] });
      h = harness([new SlowQuerySpanProcessor({ slowQueryMillis: 10, meterProvider })]);
      query(20);
      query(30);
      query(5);
      await reader.forceFlush();
      const metric = exporter
        .getMetrics()
        .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
        .find((m) => m.descriptor.name === MetricNames.DB_SLOW_QUERIES)!;
      expect(metric.dataPoints).to.have.length(1);
      expect(metric.dataPoints[0].value).to.equal(2);
      expect(metric.dataPoints[0].attributes).to.deep.equal({
        'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'students',
      });
      await meterProvider.shutdown();
    });

    it('rejects a bad slowQueryMillis or slowQueryStackTraces', () => {
      expect(() => new SlowQuerySpanProcessor({ slowQueryMillis: -1 })).to.throw(/slowQueryMillis/);
      expect(() => new SlowQuerySpanProcessor({ slowQueryMillis: NaN })).to.throw(/slowQueryMillis/);
      expect(() => new SlowQuerySpanProcessor({ slowQueryStackTraces: 'x' as any })).to.throw(/slowQueryStackTraces/);
    });
  });

  describe('#shutdown', () => {
    it('is idempotent and stops flagging', async () => {
      const p = new SlowQuerySpanProcessor({ slowQueryMillis: 10 });
      h = harness([p]);
      await p.shutdown();
      await p.shutdown();
      query(20);
      expect(h.spans()[0].attributes).not.to.have.property(AttributeNames.SLOW_QUERY);
    });
  });
});
