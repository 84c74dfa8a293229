import { randomBytes } from 'node:crypto';
import { getHeapSnapshot } from 'node:v8';
import { context, trace } from '@opentelemetry/api';
import { NoopSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { QueryLensSpanProcessor } from '../../src';
import { detach } from '../../src/util/detach';
import { harness, installContextManager } from '../helpers/tracing';

/** Whether the process heap holds a string containing `needle` (a heap snapshot is searched). */
async function heapHolds(needle: string): Promise<boolean> {
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).includes(needle);
}

function heapMiB(): number {
  (global as any).gc?.();
  (global as any).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const SPANS = Number(process.env.QUERYLENS_MEMORY_SPANS ?? 1_000_000);

describe('QueryLensSpanProcessor memory', function () {
  this.timeout(300_000);

  it(`stays flat over ${SPANS} spans with distinct statements (fingerprints and parents capped)`, () => {
    installContextManager();
    const ql = new QueryLensSpanProcessor({ topQueriesLimit: 1000, maxTrackedParents: 100 });
    const provider = new TracerProvider({ spanProcessors: [ql, new NoopSpanProcessor()] });
    const tracer = provider.getTracer('memory');
    const samples: number[] = [];
    let req = tracer.startSpan('GET /students');
    for (let i = 0; i < SPANS; i++) {
      if (i % 50 === 0) {
        // Parents are left open on purpose: the LRU cap, not their end, must bound the state.
        if (i % 100 === 0) req.end();
        req = tracer.startSpan(`GET /students`);
      }
      // Distinct shapes: a different table and column count each time, so every fingerprint is new.
      const text = `SELECT c${i % 97}, d${i} FROM t${i} WHERE ssn = '${i}-00-0000'`;
      tracer
        .startSpan('pg.query', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': text } }, trace.setSpan(context.active(), req))
        .end();
      if (i === SPANS / 10 || i === SPANS - 1) samples.push(heapMiB());
    }
    req.end();
    const r = ql.report();
    void provider.shutdown();
    expect(r.totalQueries).to.equal(SPANS);
    expect(r.topQueries.length).to.equal(10);
    expect((ql as any).stats.trackedFingerprints).to.equal(1000);
    expect((ql as any).nPlusOne.parents.size).to.be.at.most(100);
    const [early, late] = samples;
    console.log(`      heap after ${SPANS / 10} spans: ${early.toFixed(1)} MiB, after ${SPANS}: ${late.toFixed(1)} MiB`);
    expect(late - early, 'heap growth between 10% and 100% of the spans (MiB)').to.be.lessThan(20);
  });

  it('keeps no raw statement alive once its spans are exported and dropped (heap snapshot)', async () => {
    // V8 keeps a whole string alive behind any slice of it: a sanitized statement cut from a raw
    // one, kept in a memo, the top queries or a detection, would hold the raw literals.
    for (let i = 0; i < 20_000; i++) detach(`warm ${i} `.repeat(3)); // the optimized detach, as in a long-lived app
    const marker = `Zq${randomBytes(8).toString('hex')}`;
    const ql = new QueryLensSpanProcessor();
    const h = harness([ql]);
    ((tracer) => {
      const parent = tracer.startSpan('GET /students');
      const ctx = trace.setSpan(context.active(), parent);
      for (let i = 0; i < 8; i++) {
        for (const text of [
          // learned as a shape, repeated (an N+1), in the top queries
          `SELECT "Student"."id", "Student"."name" FROM "Students" AS "Student" WHERE "Student"."name" = '${marker}${i}' AND "Student"."id" IN (${i}, ${i + 1})`,
          // never learned (a comment): lexed each time
          `SELECT "Student"."grade" FROM "Students" AS "Student" /* ${marker} */ WHERE "Student"."id" = ${i}`,
          // short, with a literal
          `SELECT '${marker}'`,
          // sanitized to one slice of the raw statement (the comment cut off), which V8 keeps as a view on it
          `SELECT "Student"."lastName" FROM "Students" AS "Student" -- ${marker}`,
        ]) {
          tracer.startSpan('pg.query', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': text } }, ctx).end();
        }
      }
      // an instrumentation that puts the raw statement in the span name; slow, so its name would be armed
      const raw = `SELECT "Student"."id" FROM "Students" AS "Student" WHERE "Student"."ssn" = $1 AND x = '${marker}'`;
      const startTime = Date.now() - 2000;
      tracer.startSpan(`pg.query:${raw}`, { startTime, attributes: { 'db.system.name': 'postgresql', 'db.query.text': raw } }, ctx).end();
      // short statements cut from a longer string (V8 views on all of it)
      const script = `UPDATE "Patients" SET "ssn" = '${marker}' WHERE "id" = 1;SELECT * FROM "AuditLog";COMMIT`;
      for (const text of script.split(';').slice(1)) {
        tracer.startSpan('pg.query', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': text } }, ctx).end();
      }

      // a span name cut from a longer string (kept as the last name found safe)
      const line = `middleware - jsonParser ${marker}`;
      tracer.startSpan(line.slice(0, 'middleware - jsonParser'.length), {}, ctx).end();

      parent.end();
    })(h.provider.getTracer('retention'));
    const exported = h.spans().length;
    h.exporter.reset();
    const r = ql.report();
    // V8 keeps the subject of the last successful regular-expression match in one process-wide
    // slot (RegExp.lastMatch) until the next match anywhere; only our own structures are checked
    /^/.test('');
    expect(exported).to.equal(37);
    expect(r.n1Detections).to.have.length.greaterThan(0);
    expect(await heapHolds(marker)).to.equal(false);
    expect(ql.report().totalQueries).to.equal(35); // the processor and its state are still alive
    await h.shutdown();
  });
});
