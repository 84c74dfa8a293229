import { context, trace } from '@opentelemetry/api';
import { expect } from 'chai';
import { QueryLensSpanProcessor, sanitizeSql } from '../../src';
import { memoFor, queryInfoOf } from '../../src/processors/queryInfo';
import { MEMO_ENTRIES, MEMO_MAX_CHARS, StatementMemo } from '../../src/processors/StatementMemo';
import type { QueryInfo } from '../../src/processors/queryInfo';
import { harness } from '../helpers/tracing';

function info(text: string): QueryInfo {
  return { text, summary: 'SELECT t', fingerprint: '0123456789abcdef', operation: 'SELECT', collection: 't' };
}

describe('StatementMemo', () => {
  it('returns what was stored for the exact statement, and nothing for another', () => {
    const memo = new StatementMemo();
    const a = info('SELECT a FROM t WHERE id = $1');
    memo.set(a.text, a);
    expect(memo.get('SELECT a FROM t WHERE id = $1')).to.equal(a);
    expect(memo.get('SELECT a FROM t WHERE id = $2')).to.equal(undefined);
    expect(memo.get('select a from t where id = $1')).to.equal(undefined);
  });

  it(`holds at most ${2 * MEMO_ENTRIES} statements of at most ${MEMO_MAX_CHARS} characters, keeping the recently used`, () => {
    const memo = new StatementMemo();
    const hot = info('SELECT hot FROM t');
    memo.set(hot.text, hot);
    for (let i = 0; i < 10 * MEMO_ENTRIES; i++) {
      const s = `SELECT c${i} FROM t`;
      memo.set(s, info(s));
      if (i % 100 === 0) expect(memo.get(hot.text), `hot statement after ${i} others`).to.equal(hot);
      expect(memo.size).to.be.at.most(2 * MEMO_ENTRIES);
    }
    expect(memo.get('SELECT c0 FROM t')).to.equal(undefined);
    const long = `SELECT ${'x, '.repeat(MEMO_MAX_CHARS)}y FROM t`;
    memo.set(long, info(long));
    expect(memo.get(long)).to.equal(undefined);
  });

  it('stops looking statements up when they do not repeat, and probes again later', () => {
    const memo = new StatementMemo();
    const kept = info('SELECT kept FROM t');
    memo.set(kept.text, kept);
    for (let i = 0; i < 1024; i++) memo.get(`SELECT u${i} FROM t`); // a window with 0 hits
    // bypassed: even a stored statement misses, and nothing is stored
    expect(memo.get(kept.text)).to.equal(undefined);
    memo.set('SELECT new FROM t', info('SELECT new FROM t'));
    expect(memo.keys()).to.not.include('SELECT new FROM t');
    for (let i = 0; i < 16_384; i++) memo.get(`SELECT v${i} FROM t`);
    expect(memo.get(kept.text)).to.equal(kept);
  });

  it('keeps looking up when enough statements repeat', () => {
    const memo = new StatementMemo();
    const kept = info('SELECT kept FROM t');
    memo.set(kept.text, kept);
    for (let i = 0; i < 5000; i++) {
      if (i % 32 === 0) expect(memo.get(kept.text), `lookup ${i}`).to.equal(kept);
      else memo.get(`SELECT u${i} FROM t`);
    }
  });
});

describe('queryInfoOf with the statement memo', () => {
  // The memo is process-wide: a suite that fed it a million distinct statements may have left it bypassed.
  beforeEach(() => memoFor(undefined).clear());

  it('remembers only statements the sanitizer left unchanged, whole or as shapes: no literal value is ever held', () => {
    const memo = memoFor(undefined);
    const withValue = `SELECT * FROM students WHERE ssn = '078-05-1120' AND name = 'Zed Memo'`;
    const withComment = `SELECT * FROM students /* Zed Memo */ WHERE id = $1`;
    const parameterized = `SELECT * FROM students WHERE id = $1 AND name = $2`;
    const short = 'SELECT $1::int';
    const shortWithValue = `SELECT 'Zed Memo'`;
    for (let i = 0; i < 3; i++) {
      for (const raw of [withValue, withComment, parameterized, short, shortWithValue]) queryInfoOf({ attributes: { 'db.query.text': raw } } as never);
    }
    // short statements are held whole, longer ones as shapes (pieces of their sanitized text)
    expect(memo.keys()).to.deep.equal([short]);
    const pieces = memo.shapes.pieces();
    expect(pieces).to.deep.include([parameterized]);
    expect(pieces).to.deep.include(['SELECT * FROM students WHERE ssn = ', ' AND name = ', '']);
    const held = [...memo.keys(), ...pieces.flat()].join('\n');
    expect(held).to.not.include('078-05-1120').and.not.include('Zed Memo');
  });

  it('gives a remembered statement the same info as sanitizing it', () => {
    const raw = 'SELECT "s"."id", "s"."grade" FROM "Students" AS "s" WHERE "s"."id" = $1 LIMIT $2';
    const first = queryInfoOf({ attributes: { 'db.query.text': raw } } as never)!;
    const again = queryInfoOf({ attributes: { 'db.query.text': raw } } as never)!;
    const s = sanitizeSql(raw);
    expect(again).to.equal(first);
    expect(again).to.include({ text: s.text, summary: s.summary, fingerprint: s.fingerprint });
  });

  it('keeps one memo per sanitizer options object (results depend on them)', () => {
    const raw = `SELECT id FROM students WHERE grade = $1`;
    const narrow = { maxLength: 10 };
    const a = queryInfoOf({ attributes: { 'db.query.text': raw } } as never, narrow)!;
    const b = queryInfoOf({ attributes: { 'db.query.text': raw } } as never)!;
    expect(a.text).to.not.equal(b.text);
    expect(memoFor(narrow)).to.not.equal(memoFor(undefined));
  });

  it('exports the same scrubbed spans with repeated statements as with fresh ones', async () => {
    const ql = new QueryLensSpanProcessor();
    const h = harness([ql]);
    const tracer = h.provider.getTracer('memo');
    const raw = 'SELECT id, name FROM patients WHERE id = $1';
    const parent = tracer.startSpan('GET /patients');
    for (let i = 0; i < 3; i++) {
      tracer.startSpan('pg.query:SELECT', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': raw } }, trace.setSpan(context.active(), parent)).end();
    }
    parent.end();
    const db = h.spans().filter((s) => s.name !== 'GET /patients');
    expect(db).to.have.length(3);
    const expected = sanitizeSql(raw);
    for (const s of db) {
      expect(s.attributes).to.include({ 'db.query.text': expected.text, 'db.query.summary': expected.summary, 'querylens.query.fingerprint': expected.fingerprint });
      expect(s.name).to.equal(`pg.query:${expected.summary}`);
    }
    expect(ql.report().topQueries[0]).to.include({ count: 3 });
    await h.shutdown();
  });
});
