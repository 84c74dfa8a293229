import { context, trace } from '@opentelemetry/api';
import { expect } from 'chai';
import fc from 'fast-check';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { DURATION_BUCKETS_SECONDS, DurationHistogram, MetricNames, QueryStatsSpanProcessor } from '../../src';
import { PENDING_BATCH } from '../../src/processors/QueryStatsSpanProcessor';
import { harness } from '../helpers/tracing';
import type { Harness } from '../helpers/tracing';

function exact(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

describe('QueryStatsSpanProcessor', () => {
  let h: Harness;
  afterEach(async () => h?.shutdown());

  function query(text: string, ms: number, parent?: ReturnType<Harness['provider']['getTracer']> extends never ? never : any): void {
    const start = Date.now() - ms;
    const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
    h.provider
      .getTracer('t')
      .startSpan('pg.query', { startTime: start, attributes: { 'db.system.name': 'postgresql', 'db.query.text': text } }, ctx)
      .end(start + ms);
  }

  describe('#onEnd', () => {
    it('folds ended queries in batches, and every read (report figures, top queries, the duration recorder) sees all of them', () => {
      const recorder = new DurationHistogram();
      const p = new QueryStatsSpanProcessor({ durationRecorder: recorder });
      h = harness([p]);
      const n = PENDING_BATCH + 44; // one full batch folded on the way, 44 pending at the end
      for (let i = 0; i < n; i++) query(`SELECT * FROM students WHERE id = ${i}`, 2);
      const series = recorder.snapshot();
      expect(series.reduce((c, x) => c + x.count, 0)).to.equal(n);
      expect(p.totals().count).to.equal(n);
      for (let i = 0; i < 10; i++) query(`SELECT * FROM nurses WHERE id = ${i}`, 3);
      expect(p.windowFigures().totalQueries).to.equal(n + 10);
      expect(p.topQueries().map((q) => q.count)).to.deep.equal([n, 10]);
      p.reset();
      query('SELECT 1', 1);
      expect(p.totals().count).to.equal(1);
    });

    it('computes per-fingerprint count, total, mean, max and percentiles within 1%', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: 0.05, max: 5000, noNaN: true }), { minLength: 50, maxLength: 400 }), (durations) => {
          const p = new QueryStatsSpanProcessor();
          h = harness([p]);
          durations.forEach((d, i) => query(`SELECT * FROM students WHERE id = ${i}`, d));
          const [s] = p.topQueries();
          // The SDK stores times as HrTime: compare with the durations it recorded.
          const recorded = h.spans().map((x) => x.duration[0] * 1e3 + x.duration[1] / 1e6);
          const sorted = [...recorded].sort((a, b) => a - b);
          expect(s.count).to.equal(durations.length);
          expect(s.totalMillis).to.be.closeTo(recorded.reduce((a, b) => a + b, 0), 1e-6);
          expect(s.maxMillis).to.be.closeTo(sorted[sorted.length - 1], 1e-6);
          for (const [q, v] of [[0.5, s.p50Millis], [0.95, s.p95Millis], [0.99, s.p99Millis]] as const) {
            const e = exact(sorted, q);
            expect(Math.abs(v - e) / e, `p${q * 100}`).to.be.at.most(0.0101);
          }
          void h.shutdown();
        }),
        { numRuns: 20 },
      );
    });

    it('builds the seed distribution and counts slow queries', () => {
      const p = new QueryStatsSpanProcessor({ slowQueryMillis: 1000 });
      h = harness([p]);
      for (const ms of [5, 99, 100, 499, 500, 1000, 1001, 3000]) query('SELECT 1', ms);
      const f = p.totals().figures();
      expect(f.queryDistribution).to.deep.equal({ fast: 2, medium: 2, slow: 2, verySlow: 2 });
      expect(f.slowQueries).to.equal(2);
      expect(f.totalQueries).to.equal(8);
    });

    it('ignores spans without a statement (connect spans) and non-DB spans', () => {
      const p = new QueryStatsSpanProcessor();
      h = harness([p]);
      h.provider.getTracer('t').startSpan('pg-pool.connect', { attributes: { 'db.system.name': 'postgresql' } }).end();
      h.provider.getTracer('t').startSpan('GET /').end();
      expect(p.totals().count).to.equal(0);
    });

    it('keeps at most topQueriesLimit fingerprints, evicting the least recently used', () => {
      const p = new QueryStatsSpanProcessor({ topQueriesLimit: 3, topQueriesReportSize: 10 });
      h = harness([p]);
      query('SELECT * FROM a', 10);
      query('SELECT * FROM b', 20);
      query('SELECT * FROM c', 30);
      query('SELECT * FROM a', 10);
      query('SELECT * FROM d', 1);
      expect(p.trackedFingerprints).to.equal(3);
      expect(p.topQueries().map((q) => q.summary)).to.deep.equal(['SELECT c', 'SELECT a', 'SELECT d']);
    });

    it('keeps at most 1000 fingerprints by default', () => {
      const p = new QueryStatsSpanProcessor();
      h = harness([p]);
      for (let i = 0; i < 1001; i++) query(`SELECT * FROM t${i}`, 1);
      expect(p.trackedFingerprints).to.equal(1000);
      expect(p.totals().count).to.equal(1001);
    });

    it('records querylens.db.operation.duration in seconds with three attributes and the advised buckets', async () => {
      const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
      const meterProvider = new MeterProvider({ readers: [reader] });
      h = harness([new QueryStatsSpanProcessor({ meterProvider })]);
      query("SELECT * FROM students WHERE name = 'Alice'", 250);
      query('INSERT INTO notes (body) VALUES ($1)', 50);
      await reader.forceFlush();
      const m = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics)).find((x) => x.descriptor.name === MetricNames.DB_OPERATION_DURATION) as HistogramMetricData;
      expect(m.descriptor.unit).to.equal('s');
      const points = m.dataPoints.map((d) => [d.attributes, d.value.sum, d.value.buckets.boundaries]);
      expect(points).to.deep.equal([
        [{ 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'students' }, 0.25, DURATION_BUCKETS_SECONDS],
        [{ 'db.system.name': 'postgresql', 'db.operation.name': 'INSERT', 'db.collection.name': 'notes' }, 0.05, DURATION_BUCKETS_SECONDS],
      ]);
      await meterProvider.shutdown();
    });
  });

  describe('#windowFigures', () => {
    it('covers only the last reportWindowMillis', async () => {
      const p = new QueryStatsSpanProcessor({ reportWindowMillis: 1000 });
      h = harness([p]);
      query('SELECT 1', 700);
      await new Promise((r) => setTimeout(r, 1300));
      query('SELECT 1', 5);
      const w = p.windowFigures();
      expect(w.totalQueries).to.equal(1);
      expect(w.p99QueryTime).to.be.closeTo(5, 0.05);
      expect(p.totals().count).to.equal(2);
    });
  });

  describe('#reset', () => {
    it('forgets everything', () => {
      const p = new QueryStatsSpanProcessor();
      h = harness([p]);
      query('SELECT 1', 5);
      p.reset();
      expect(p.totals().count).to.equal(0);
      expect(p.topQueries()).to.deep.equal([]);
      expect(p.windowFigures().totalQueries).to.equal(0);
    });
  });
});
