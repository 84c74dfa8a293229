import { context, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { expect } from 'chai';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { AttributeNames, MetricNames, N_PLUS_ONE_EVENT, NPlusOneSpanProcessor, sanitizeSql } from '../../src';
import { PARENT_IDLE_MILLIS } from '../../src/processors/NPlusOneSpanProcessor';
import { harness } from '../helpers/tracing';
import type { Harness } from '../helpers/tracing';

const BY_ID = (id: number) => `SELECT * FROM "Guardians" WHERE "studentId" = ${id}`;

describe('NPlusOneSpanProcessor', () => {
  let h: Harness;
  afterEach(async () => h?.shutdown());

  function tracer() {
    return h.provider.getTracer('t');
  }
  function request(name = 'GET /students'): Span {
    return tracer().startSpan(name, { startTime: Date.now() });
  }
  /** Starts a DB span under `parent` at `start` (ms since epoch). */
  function startQuery(parent: Span, text: string, start: number, name = 'pg.query:SELECT test'): Span {
    const ctx = trace.setSpan(context.active(), parent);
    return tracer().startSpan(name, { startTime: start, attributes: { 'db.system.name': 'postgresql', 'db.query.text': text } }, ctx);
  }
  function query(parent: Span, text: string, start: number, ms = 2): void {
    startQuery(parent, text, start).end(start + ms);
  }
  function connect(parent: Span, start: number): void {
    const ctx = trace.setSpan(context.active(), parent);
    tracer().startSpan('pg-pool.connect', { startTime: start, attributes: { 'db.system.name': 'postgresql' } }, ctx).end(start + 1);
  }
  const byName = (n: string) => h.spans().filter((s) => s.name === n);

  describe('#onEnding', () => {
    it('detects a sequential loop once, with its final count as an event on the parent', () => {
      const p = new NPlusOneSpanProcessor();
      h = harness([p]);
      const req = request();
      const t = Date.now();
      for (let i = 0; i < 8; i++) query(req, BY_ID(i), t + i * 10, 3);
      expect(p.detections()).to.have.length(1);
      expect(p.detections()[0].count).to.equal(8);
      req.end();
      const [parent] = byName('GET /students');
      const events = parent.events.filter((e) => e.name === N_PLUS_ONE_EVENT);
      expect(events).to.have.length(1);
      const a = events[0].attributes!;
      expect(a['querylens.n_plus_one.count']).to.equal(8);
      expect(a['querylens.n_plus_one.total_duration_ms']).to.be.closeTo(24, 0.01);
      expect(a['db.query.text']).to.equal(sanitizeSql(BY_ID(0)).text);
      expect(a[AttributeNames.FINGERPRINT]).to.equal(sanitizeSql(BY_ID(0)).fingerprint);
      const flagged = byName('pg.query:SELECT test').map((s) => s.attributes[AttributeNames.N_PLUS_ONE] === true);
      expect(flagged).to.deep.equal([false, false, false, false, true, true, true, true]);
      const d = p.detections()[0];
      expect(d.parentSpanName).to.equal('GET /students');
      expect(d.statement).not.to.match(/\d/);
      expect(d.totalDurationMillis).to.be.closeTo(24, 0.01);
      expect(d.firstSeen).to.equal(new Date(t).toISOString());
      expect(d.lastSeen, 'the end of the last repeat').to.equal(new Date(t + 70 + 3).toISOString());
    });

    it('ignores connect spans between the repeats (a Sentry miss)', () => {
      const p = new NPlusOneSpanProcessor();
      h = harness([p]);
      const req = request();
      const t = Date.now();
      for (let i = 0; i < 5; i++) {
        connect(req, t + i * 10);
        query(req, BY_ID(i), t + i * 10 + 2);
      }
      req.end();
      expect(p.detections()).to.have.length(1);
      expect(p.detections()[0].count).to.equal(5);
    });

    it('detects a concurrent loop (Promise.all of findByPk)', () => {
      const p = new NPlusOneSpanProcessor();
      h = harness([p]);
      const req = request();
      const t = Date.now();
      const spans = [0, 1, 2, 3, 4, 5].map((i) => startQuery(req, BY_ID(i), t + i));
      for (const s of spans.reverse()) s.end(t + 50);
      req.end();
      expect(p.detections().map((d) => d.count)).to.deep.equal([6]);
    });

    it('counts a Sequelize span and the pg span under it as one query', () => {
      const p = new NPlusOneSpanProcessor();
      h = harness([p]);
      const req = request();
      const t = Date.now();
      for (let i = 0; i < 3; i++) {
        const outer = startQuery(req, BY_ID(i), t + i * 10, 'Guardian.findOne');
        startQuery(outer, BY_ID(i), t + i * 10 + 1).end(t + i * 10 + 3);
        outer.end(t + i * 10 + 4);
      }
      expect(p.detections(), '3 ORM calls are 3 queries, not 6').to.have.length(0);
      for (let i = 3; i < 5; i++) {
        const outer = startQuery(req, BY_ID(i), t + i * 10, 'Guardian.findOne');
        startQuery(outer, BY_ID(i), t + i * 10 + 1).end(t + i * 10 + 3);
        outer.end(t + i * 10 + 4);
      }
      req.end();
      expect(p.detections().map((d) => d.count)).to.deep.equal([5]);
    });

    it('needs the threshold within the window, per parent and fingerprint', () => {
      const p = new NPlusOneSpanProcessor();
      h = harness([p]);
      const t = Date.now();
      const slowLoop = request();
      for (let i = 0; i < 6; i++) query(slowLoop, BY_ID(i), t + i * 300);
      const [a, b] = [request('a'), request('b')];
      for (let i = 0; i < 4; i++) query(a, BY_ID(i), t + i);
      for (let i = 0; i < 4; i++) query(b, BY_ID(i), t + i);
      const mixed = request('mixed');
      for (let i = 0; i < 4; i++) query(mixed, BY_ID(i), t + i);
      query(mixed, 'SELECT * FROM "Schools" WHERE id = 1', t + 5);
      expect(p.detections()).to.have.length(0);
    });

    it('honours nPlusOneThreshold, nPlusOneWindowMillis, nPlusOneMinTotalMillis and the allow-list', () => {
      const fp = sanitizeSql(BY_ID(1)).fingerprint;
      const cases: Array<[ConstructorParameters<typeof NPlusOneSpanProcessor>[0], number]> = [
        [{ nPlusOneThreshold: 3 }, 1],
        [{ nPlusOneThreshold: 5, nPlusOneWindowMillis: 10 }, 0],
        [{ nPlusOneMinTotalMillis: 100 }, 0],
        [{ nPlusOneMinTotalMillis: 10 }, 1],
        [{ nPlusOneAllowList: [fp] }, 0],
      ];
      for (const [options, expected] of cases) {
        const p = new NPlusOneSpanProcessor(options);
        h = harness([p]);
        const req = request();
        const t = Date.now();
        for (let i = 0; i < 5; i++) query(req, BY_ID(i), t + i * 5, 4);
        req.end();
        expect(p.detections(), JSON.stringify(options)).to.have.length(expected);
        void h.shutdown();
      }
    });

    it('increments querylens.db.n_plus_one once per (parent, fingerprint), with no attributes', async () => {
      const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
      const meterProvider = new MeterProvider({ readers: [reader] });
      h = harness([new NPlusOneSpanProcessor({ meterProvider })]);
      const t = Date.now();
      for (const name of ['r1', 'r2']) {
        const req = request(name);
        for (let i = 0; i < 12; i++) query(req, BY_ID(i), t + i);
        req.end();
      }
      await reader.forceFlush();
      const m = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics)).find((x) => x.descriptor.name === MetricNames.DB_N_PLUS_ONE)!;
      expect(m.dataPoints.map((d) => [d.value, d.attributes])).to.deep.equal([[2, {}]]);
      await meterProvider.shutdown();
    });

    it('keeps at most maxTrackedParents parents, finalizing the evicted ones', () => {
      const p = new NPlusOneSpanProcessor({ maxTrackedParents: 10 });
      h = harness([p]);
      const t = Date.now();
      const first = request('first');
      for (let i = 0; i < 5; i++) query(first, BY_ID(i), t + i);
      for (let r = 0; r < 100; r++) query(request(`r${r}`), BY_ID(r), t);
      expect((p as any).parents.size).to.equal(10);
      expect(p.detections()).to.have.length(1);
      first.end();
      const parent = byName('first')[0];
      expect(parent.events.filter((e) => e.name === N_PLUS_ONE_EVENT), 'event added at eviction while recording').to.have.length(1);
    });
  });

  describe('per-parent state', () => {
    const tracked = (p: NPlusOneSpanProcessor): number => (p as any).parents.size;

    it('is dropped when the parent ends', () => {
      const p = new NPlusOneSpanProcessor();
      h = harness([p]);
      const a = request('a');
      const b = request('b');
      const t = Date.now();
      query(a, BY_ID(1), t);
      query(b, BY_ID(2), t);
      expect(tracked(p)).to.equal(2);
      a.end();
      expect(tracked(p)).to.equal(1);
      b.end();
      expect(tracked(p)).to.equal(0);
    });

    it('is dropped, and finalized, after PARENT_IDLE_MILLIS without DB activity under a parent that never ends', () => {
      const p = new NPlusOneSpanProcessor();
      h = harness([p]);
      const t = Date.now();
      const stuck = request('stuck');
      for (let i = 0; i < 5; i++) query(stuck, BY_ID(i), t + i);
      const quiet = request('quiet');
      query(quiet, BY_ID(9), t + 10);
      expect(tracked(p)).to.equal(2);
      // a new parent's first query, one idle period later, sweeps both
      query(request('later'), BY_ID(1), t + 10 + PARENT_IDLE_MILLIS + 1);
      expect(tracked(p)).to.equal(1);
      stuck.end();
      expect(byName('stuck')[0].events.filter((e) => e.name === N_PLUS_ONE_EVENT), 'finalized at the sweep, while recording').to.have.length(1);
    });

    it('is kept while its parent is active, however long ago it started', () => {
      const p = new NPlusOneSpanProcessor();
      h = harness([p]);
      const t = Date.now();
      const job = request('job');
      query(job, BY_ID(1), t);
      query(job, BY_ID(2), t + PARENT_IDLE_MILLIS / 2);
      query(request('other'), BY_ID(3), t + PARENT_IDLE_MILLIS + 1);
      expect(tracked(p)).to.equal(2);
    });
  });

  describe('#reset', () => {
    it('forgets detections', () => {
      const p = new NPlusOneSpanProcessor();
      h = harness([p]);
      const req = request();
      for (let i = 0; i < 5; i++) query(req, BY_ID(i), Date.now() + i);
      expect(p.detections()).to.have.length(1);
      p.reset();
      expect(p.detections()).to.have.length(0);
    });
  });
});
