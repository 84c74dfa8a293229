import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { loggingErrorHandler, setGlobalErrorHandler } from '@opentelemetry/core';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import {
  NPlusOneSpanProcessor,
  PhiScrubbingSpanProcessor,
  QueryLensSpanProcessor,
  QueryStatsSpanProcessor,
  SlowQuerySpanProcessor,
} from '../../src';
import { harness } from '../helpers/tracing';

const SSN = '078-05-1120';

/** Each processor on its own, as a user may install it. */
const PROCESSORS: Array<[string, () => SpanProcessor]> = [
  ['PhiScrubbingSpanProcessor', () => new PhiScrubbingSpanProcessor()],
  ['SlowQuerySpanProcessor', () => new SlowQuerySpanProcessor({ slowQueryMillis: 0 })],
  ['NPlusOneSpanProcessor', () => new NPlusOneSpanProcessor({ nPlusOneThreshold: 2 })],
  ['QueryStatsSpanProcessor', () => new QueryStatsSpanProcessor()],
  ['QueryLensSpanProcessor', () => new QueryLensSpanProcessor({ slowQueryMillis: 0, nPlusOneThreshold: 2 })],
];

describe('every processor (the contract of the span processors)', () => {
  afterEach(() => setGlobalErrorHandler(loggingErrorHandler()));

  for (const [name, make] of PROCESSORS) {
    describe(name, () => {
      it('never throws on malformed spans handed to its hooks; errors go to the global error handler', () => {
        const errors: unknown[] = [];
        setGlobalErrorHandler((e) => errors.push(e));
        const p = make();
        const bad = [undefined, null, {}, { attributes: null }, { attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT 1' } }];
        for (const s of bad) {
          expect(() => p.onStart(s as any, ROOT_CONTEXT)).not.to.throw();
          expect(() => p.onEnding?.(s as any)).not.to.throw();
          expect(() => p.onEnd(s as any)).not.to.throw();
        }
        expect(errors.length, 'the failures were reported, not swallowed').to.be.greaterThan(0);
        void p.shutdown();
      });

      it('handles bad spans from a real provider: no attributes, numbers where strings belong, a megabyte statement, lone surrogates', async () => {
        const errors: unknown[] = [];
        setGlobalErrorHandler((e) => errors.push(e));
        const h = harness([make()]);
        const t = h.provider.getTracer('t');
        const parent = t.startSpan('GET /students');
        const ctx = trace.setSpan(ROOT_CONTEXT, parent);
        const db = (text: unknown) => t.startSpan('pg.query', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': text as string } }, ctx).end();
        t.startSpan('empty', {}, ctx).end();
        db(12345678);
        db([`x = '${SSN}'`]);
        db(`SELECT * FROM t WHERE a = '${'x'.repeat(1 << 20)}${SSN}'`);
        for (let i = 0; i < 3; i++) db(`SELECT '\ud800${i}' FROM "Students"`);
        t.startSpan('pg.query', { attributes: { 'db.system.name': 7 as unknown as string, 'db.statement': true as unknown as string } }, ctx).end();
        parent.end();
        expect(h.spans()).to.have.length(9);
        expect(errors, 'bad input is handled, not an error').to.deep.equal([]);
        await h.shutdown();
      });

      it('has idempotent shutdown and forceFlush, and does not throw on spans after shutdown', async () => {
        const p = make();
        await p.forceFlush();
        await p.forceFlush();
        await p.shutdown();
        await p.shutdown();
        await p.forceFlush();
        const h = harness([p]);
        expect(() => h.provider.getTracer('t').startSpan('pg.query', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT 1' } }).end()).not.to.throw();
        await h.shutdown();
      });
    });
  }
});
