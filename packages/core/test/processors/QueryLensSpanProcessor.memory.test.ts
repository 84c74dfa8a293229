import { context, trace } from '@opentelemetry/api';
import { NoopSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { QueryLensSpanProcessor } from '../../src';
import { installContextManager } from '../helpers/tracing';

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
});
