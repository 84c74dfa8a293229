import { context, diag, DiagLogLevel, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { setGlobalErrorHandler, loggingErrorHandler } from '@opentelemetry/core';
import { expect } from 'chai';
import { QueryLensSpanProcessor } from '../../src';
import { exported, harness, sleep } from '../helpers/tracing';
import type { Harness } from '../helpers/tracing';

describe('QueryLensSpanProcessor', () => {
  let h: Harness;
  let ql: QueryLensSpanProcessor;
  afterEach(async () => {
    await h?.shutdown();
    diag.disable();
  });

  function setup(options?: ConstructorParameters<typeof QueryLensSpanProcessor>[0]): void {
    ql = new QueryLensSpanProcessor(options);
    h = harness([ql]);
  }
  function query(text: string, ms: number, parent?: Span): void {
    const start = Date.now() - ms;
    const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
    h.provider
      .getTracer('t')
      .startSpan('pg.query:SELECT test', { startTime: start, attributes: { 'db.system.name': 'postgresql', 'db.query.text': text } }, ctx)
      .end(start + ms);
  }

  describe('#report', () => {
    it('has the seed shape with totals, distribution, window, top queries and a timestamp', () => {
      setup({ slowQueryMillis: 1000 });
      for (const ms of [10, 20, 30, 150, 700, 1500]) query(`SELECT * FROM students WHERE id = ${ms}`, ms);
      query("UPDATE students SET name = 'Alice' WHERE id = 1", 40);
      const r = ql.report();
      expect(Object.keys(r).sort()).to.deep.equal([
        'alerts', 'avgQueryTime', 'generatedAt', 'n1Detections', 'p50QueryTime', 'p95QueryTime', 'p99QueryTime',
        'queryDistribution', 'slowQueries', 'status', 'topQueries', 'totalQueries', 'window',
      ]);
      expect(r.totalQueries).to.equal(7);
      expect(r.slowQueries).to.equal(1);
      expect(r.avgQueryTime).to.be.closeTo((10 + 20 + 30 + 150 + 700 + 1500 + 40) / 7, 0.01);
      expect(r.p50QueryTime).to.be.closeTo(40, 0.4);
      expect(r.queryDistribution).to.deep.equal({ fast: 4, medium: 1, slow: 1, verySlow: 1 });
      expect(r.window.totalQueries).to.equal(7);
      expect(r.window.windowMillis).to.equal(300_000);
      expect(r.topQueries.map((q) => [q.summary, q.count])).to.deep.equal([['SELECT students', 6], ['UPDATE students', 1]]);
      expect(r.topQueries[0].meanMillis).to.be.closeTo((10 + 20 + 30 + 150 + 700 + 1500) / 6, 0.01);
      expect(r.topQueries[0].maxMillis).to.be.closeTo(1500, 15);
      expect(JSON.stringify(r)).not.to.include('Alice');
      expect(Date.parse(r.generatedAt)).to.be.closeTo(Date.now(), 5000);
    });

    it('raises each alert once, logs it once through diag, and reports degraded then healthy', () => {
      const warnings: string[] = [];
      diag.setLogger({ error() {}, warn: (m: string) => warnings.push(m), info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
      setup({ targets: { p50Millis: 100, minSampleCount: 3 }, reportWindowMillis: 100_000 });
      query('SELECT 1', 50);
      query('SELECT 1', 50);
      expect(ql.report().status).to.equal('healthy');
      for (let i = 0; i < 10; i++) query('SELECT 2', 300);
      const r1 = ql.report();
      const r2 = ql.report();
      expect(r1.status).to.equal('degraded');
      expect(r2.alerts.map((a) => [a.type, a.severity, a.metric])).to.deep.equal([['performance_degradation', 'warning', 'p50']]);
      expect(r2.alerts[0].message).to.match(/^P50 query time \d+ms exceeds 100ms target$/);
      expect(warnings.filter((w) => w.includes('P50'))).to.have.length(1);
      ql.reset();
      for (let i = 0; i < 5; i++) query('SELECT 1', 5);
      const r3 = ql.report();
      expect(r3.status).to.equal('healthy');
      expect(r3.alerts).to.deep.equal([]);
    });

    it('evaluates the targets on its timer, with no report() call, and logs the alert once', async () => {
      const warnings: string[] = [];
      diag.setLogger({ error() {}, warn: (m: string) => warnings.push(m), info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
      setup({ targets: { p50Millis: 100, minSampleCount: 3 }, alertEvaluationIntervalMillis: 20 });
      for (let i = 0; i < 10; i++) query('SELECT 2', 300);
      for (let waited = 0; waited < 5000 && warnings.length === 0; waited += 20) await sleep(20);
      expect(warnings.filter((w) => w.includes('P50'))).to.have.length(1);
      await sleep(100); // several more evaluations
      expect(warnings.filter((w) => w.includes('P50')), 'logged once, not once per evaluation').to.have.length(1);
    });

    it('raises a critical N+1 alert with the sanitized statement, and counts it in the window', () => {
      const warnings: string[] = [];
      diag.setLogger({ error() {}, warn: (m: string) => warnings.push(m), info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
      setup();
      const req = h.provider.getTracer('t').startSpan('GET /students');
      for (let i = 0; i < 7; i++) query(`SELECT * FROM guardians WHERE student_id = ${9000 + i}`, 2, req);
      req.end();
      const r = ql.report();
      expect(r.n1Detections.map((d) => [d.count, d.parentSpanName])).to.deep.equal([[7, 'GET /students']]);
      expect(r.alerts.map((a) => [a.type, a.severity])).to.deep.equal([['n_plus_one', 'critical']]);
      expect(r.window.nPlusOneDetections).to.equal(1);
      expect(r.status).to.equal('degraded');
      expect(warnings.join('\n')).to.include('SELECT * FROM guardians WHERE student_id = ?').and.not.to.include('900');
    });

    it('scrubs the parent name in detections, alerts and logs, and the alert count equals the report count', () => {
      const logs: string[] = [];
      const log = (m: string) => logs.push(m);
      diag.setLogger({ error: log, warn: log, info: log, debug: log, verbose: log }, DiagLogLevel.ALL);
      setup();
      const req = h.provider.getTracer('t').startSpan("render chart for 'Bob Jones' 078-05-1120 bob@x.org");
      for (let i = 0; i < 7; i++) query(`SELECT * FROM meds WHERE student_id = ${i}`, 2, req);
      req.end();
      const r = ql.report();
      expect(r.n1Detections.map((d) => [d.count, d.parentSpanName])).to.deep.equal([[7, "render chart for '?' ? ?"]]);
      expect(r.alerts).to.have.length(1);
      expect(r.alerts[0].message).to.include('(7 occurrences');
      const everything = JSON.stringify([r, logs, exported(h.spans())]);
      expect(everything).not.to.include('078-05-1120').and.not.to.include('Bob Jones').and.not.to.include('bob@x.org');
    });

    it('tolerates maxNPlusOne detections', () => {
      setup({ targets: { maxNPlusOne: 1 } });
      const req = h.provider.getTracer('t').startSpan('GET /students');
      for (let i = 0; i < 5; i++) query(`SELECT * FROM guardians WHERE student_id = ${i}`, 2, req);
      req.end();
      const r = ql.report();
      expect(r.n1Detections).to.have.length(1);
      expect(r.alerts).to.deep.equal([]);
      expect(r.status).to.equal('healthy');
    });
  });

  describe('#reset', () => {
    it('forgets statistics, detections and alerts', () => {
      setup();
      const req = h.provider.getTracer('t').startSpan('GET /students');
      for (let i = 0; i < 5; i++) query(`SELECT * FROM guardians WHERE student_id = ${i}`, 2, req);
      req.end();
      ql.reset();
      const r = ql.report();
      expect([r.totalQueries, r.n1Detections.length, r.alerts.length, r.topQueries.length, r.window.totalQueries]).to.deep.equal([0, 0, 0, 0, 0]);
    });
  });

  describe('hot path', () => {
    it('never throws on malformed spans; errors go to the global error handler', () => {
      const errors: unknown[] = [];
      setGlobalErrorHandler((e) => errors.push(e));
      try {
        setup();
        const bad = [undefined, null, {}, { attributes: null }, { attributes: { 'db.query.text': 'SELECT 1' } }];
        for (const s of bad) {
          expect(() => ql.onStart(s as any, ROOT_CONTEXT)).not.to.throw();
          expect(() => ql.onEnding(s as any)).not.to.throw();
          expect(() => ql.onEnd(s as any)).not.to.throw();
        }
        expect(errors.length).to.be.greaterThan(0);
      } finally {
        setGlobalErrorHandler(loggingErrorHandler());
      }
    });

    it('scrubs everything a real provider exports, with the exporter before or after it', () => {
      for (const exporterFirst of [true, false]) {
        ql = new QueryLensSpanProcessor({ slowQueryMillis: 1 });
        h = harness([ql], exporterFirst);
        const req = h.provider.getTracer('t').startSpan('GET /students', { attributes: { 'url.query': 'name=Alice' } });
        for (let i = 0; i < 6; i++) query(`SELECT * FROM students WHERE name = 'Alice' AND ssn = '078-05-1120'`, 5, req);
        req.end();
        const text = exported(h.spans());
        expect(text).to.include('querylens.n_plus_one').and.include('querylens.slow_query');
        expect(text).not.to.include('Alice').and.not.to.include('078-05-1120');
        void h.shutdown();
      }
    });
  });

  describe('#shutdown', () => {
    it('is idempotent, and forceFlush resolves', async () => {
      setup();
      await ql.forceFlush();
      await ql.shutdown();
      await ql.shutdown();
      query('SELECT 1', 5);
      expect(ql.report().totalQueries).to.equal(0);
    });
  });

  describe('constructor', () => {
    it('throws a clear error naming a bad option', () => {
      expect(() => new QueryLensSpanProcessor({ nPlusOneThreshold: 1 })).to.throw(/nPlusOneThreshold/);
      expect(() => new QueryLensSpanProcessor({ topQueriesLimit: 0 })).to.throw(/topQueriesLimit/);
      expect(() => new QueryLensSpanProcessor({ targets: { p95Millis: -5 } })).to.throw(/targets\.p95Millis/);
      expect(() => new QueryLensSpanProcessor({ nPlusOneAllowList: [1 as any] })).to.throw(/nPlusOneAllowList/);
    });
  });
});
