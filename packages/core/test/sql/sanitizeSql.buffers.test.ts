import { expect } from 'chai';
import { SHARED_UNITS } from '../../src/sql/Lexer';
import { sanitizeSql } from '../../src/sql/sanitizeSql';

/**
 * The lexer reads a copy of the input's code units: a reused buffer up to SHARED_UNITS, a
 * buffer of its own above, with sentinels after the last unit; and it logs the literals of
 * an IN-list it holds back instead of building their text. These tests are built around
 * those edges: input lengths at the buffer's size, input ending exactly where a token
 * ends, stale buffer contents after a longer statement, and held-back lists longer than
 * the log.
 */
describe('sanitizeSql: code-unit buffer and held-back lists', () => {
  /** `SELECT ... ORDER BY <pad> <last>` of exactly `length` code units, and its expected text. */
  function sized(length: number, last: string, lastText: string): { sql: string; text: string } {
    const head = `SELECT "c" FROM "t" WHERE "a" = 'Alice' AND "b" = 42 ORDER BY `;
    const pad = ' '.repeat(length - head.length - last.length);
    return { sql: head + pad + last, text: `SELECT "c" FROM "t" WHERE "a" = ? AND "b" = ? ORDER BY ${pad}${lastText}` };
  }

  for (const length of [SHARED_UNITS - 1, SHARED_UNITS, SHARED_UNITS + 1, SHARED_UNITS + 2, 3 * SHARED_UNITS]) {
    it(`input of ${length} code units ending in a quoted identifier, a number, a word, an unterminated string or identifier`, () => {
      for (const [last, lastText] of [['"col"', '"col"'], ['"a""b"', '"a""b"'], ['7', '?'], ['x', 'x'], ["'Smith", '?'], ['"Smith', '?']]) {
        const { sql, text } = sized(length, last, lastText);
        expect(sql.length).to.equal(length);
        const r = sanitizeSql(sql, { maxLength: 1e9 });
        expect(r.text, last).to.equal(text);
        expect(r.text).not.to.include('Alice');
        expect(r.text).not.to.include('Smith');
        expect(r.summary).to.equal('SELECT t');
      }
    });
  }

  it('a short statement after a longer one never sees the longer one’s code units', () => {
    // the long statement leaves `"` and digits in the buffer right after where the short one ends
    const long = `SELECT "${'x'.repeat(200)}" FROM t WHERE a = 1234567890`;
    for (const short of [`SELECT "abc`, `SELECT 'Alice`, `SELECT ab`, `SELECT 12`, `SELECT $1`]) {
      sanitizeSql(long);
      const after = sanitizeSql(short);
      sanitizeSql(`SELECT "${'"'.repeat(300)}`);
      expect(sanitizeSql(short)).to.deep.equal(after);
    }
    sanitizeSql(long);
    expect(sanitizeSql(`SELECT "abc`).text).to.equal('SELECT ?');
    sanitizeSql(long);
    expect(sanitizeSql(`SELECT 12`).text).to.equal('SELECT ?');
    sanitizeSql(long);
    expect(sanitizeSql(`SELECT $1`).text).to.equal('SELECT $1');
  });

  describe('IN-lists longer than the literal log', () => {
    const literals = (count: number): string[] => Array.from({ length: count }, (_, k) => (k % 2 === 0 ? String(1000 + k) : `'Alice${k}'`));
    for (const count of [1023, 1024, 1025, 3000]) {
      it(`${count} literals: collapsed, kept when a non-literal follows, and redacted to the end when unterminated`, () => {
        const list = literals(count).join(', ');
        expect(sanitizeSql(`SELECT * FROM t WHERE a IN (${list}) AND b = 1`).text).to.equal('SELECT * FROM t WHERE a IN (?) AND b = ?');
        const kept = sanitizeSql(`SELECT * FROM t WHERE a IN (${list}, x) AND b = 1`, { maxLength: 1e9 }).text;
        expect(kept).to.equal(`SELECT * FROM t WHERE a IN (${'?, '.repeat(count)}x) AND b = ?`);
        const open = sanitizeSql(`SELECT * FROM t WHERE a IN (${list}, 'Smith`, { maxLength: 1e9 }).text;
        expect(open).to.equal(`SELECT * FROM t WHERE a IN (${'?, '.repeat(count)}?`);
        const unclosed = sanitizeSql(`SELECT * FROM t WHERE a IN (${list}`, { maxLength: 1e9 }).text;
        expect(unclosed).to.equal(`SELECT * FROM t WHERE a IN (${'?, '.repeat(count - 1)}?`);
        for (const t of [kept, open, unclosed]) expect(t).not.to.include('Alice');
      });
    }

    it('comments, newlines and odd elements inside a long list: same fingerprint as the plain list, nothing leaks', () => {
      const plain = literals(2500);
      const odd = plain.map((x, k) => (k % 400 === 3 ? `/* note */ ${x}` : k % 300 === 7 ? `${x}\n` : x));
      const a = sanitizeSql(`DELETE FROM "t" WHERE "id" IN (${plain.join(', ')})`);
      const b = sanitizeSql(`DELETE FROM "t" WHERE "id" IN (${odd.join(', ')})`);
      expect(b.fingerprint).to.equal(a.fingerprint);
      expect(b.text).not.to.include('Alice');
      // one more literal element (read by the main loop, not the list's tight loop): still collapses
      for (const tail of [', 1.5)', ', -1)', ', 0x1F)', ', 1e3)', ", E'Smith')", ', $$Smith$$)']) {
        const r = sanitizeSql(`DELETE FROM "t" WHERE "id" IN (${odd.join(', ')}${tail}`);
        expect(r.text, tail).to.equal('DELETE FROM "t" WHERE "id" IN (?)');
        expect(r.fingerprint, tail).to.equal(a.fingerprint);
      }
      // a non-literal element: the list is kept, every literal redacted
      for (const tail of [', x)', ', "t"."c")', ', (1))', ', 1 + 2)']) {
        const r = sanitizeSql(`DELETE FROM "t" WHERE "id" IN (${odd.join(', ')}${tail}`, { maxLength: 1e9 });
        expect(r.text, tail).not.to.include('Alice');
        expect(r.text, tail).not.to.include('1000');
        expect(r.fingerprint, tail).not.to.equal(a.fingerprint);
      }
    });
  });
});
