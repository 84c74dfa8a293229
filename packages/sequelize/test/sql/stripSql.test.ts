import { expect } from 'chai';
import fc from 'fast-check';
import { stripStatements } from '../../src/sql/stripSql';
import { parseWrittenTables } from '../../src/sql/tableNames';

describe('stripSql', () => {
  describe('.stripStatements()', () => {
    // [input, statements as PostgreSQL splits them, with literals -> '' and comments -> ' ']
    const cases: Array<[string, string[]]> = [
      ['SELECT 1; -- note\rUPDATE pats SET a = 1', ['SELECT 1', '  \rUPDATE pats SET a = 1']],
      ['SELECT 1 -- a;b\nUPDATE x SET a = 1', ['SELECT 1  \nUPDATE x SET a = 1']],
      ["SELECT 1 /* a /* b */ it's */; UPDATE pats SET a = 1", ['SELECT 1  ', ' UPDATE pats SET a = 1']],
      ['SELECT 1 /* a /* b */ ; c */ + 2', ['SELECT 1   + 2']],
      ["SELECT $é$it's$é$ AS a; UPDATE pats SET a = 1", ["SELECT '' AS a", ' UPDATE pats SET a = 1']],
      ['SELECT $a_1$ ; $a$ $a_1$; DELETE FROM t', ["SELECT ''", ' DELETE FROM t']],
      ['SELECT 1$a$;$a$; DELETE FROM t', ["SELECT 1''", ' DELETE FROM t']],
      ['SELECT a$b$ FROM t; DELETE FROM u', ['SELECT a$b$ FROM t', ' DELETE FROM u']],
      ["SELECT E'it\\'s; x' ; DELETE FROM t", ["SELECT '' ", ' DELETE FROM t']],
      ["SELECT e'\\\\'; DELETE FROM t", ["SELECT ''", ' DELETE FROM t']],
      ["SELECT 'it''s; x\\'; DELETE FROM t", ["SELECT ''", ' DELETE FROM t']],
      ["SELECT xe'a;b'", ["SELECT xe''"]],
      ["SELECT E'a'\n'\\'; DELETE FROM t'", ["SELECT ''"]],
      ["SELECT E'a'  -- c\n  '\\'; DELETE FROM t'", ["SELECT ''"]],
      ["SELECT E'a' '\\'; DELETE FROM t", ["SELECT '' ''", ' DELETE FROM t']],
      ['SELECT "a;b""c" FROM t; DELETE FROM u', ['SELECT "a\u0001003bb\u00010022c" FROM t', ' DELETE FROM u']],
      ['SELECT $1, $2::int; DELETE FROM u', ['SELECT $1, $2::int', ' DELETE FROM u']],
      ['SELECT 1e5$a$;$a$', ["SELECT 1e5''"]],
      ["SELECT 'unterminated; DELETE FROM t", ["SELECT ''"]],
      ['SELECT 1 /* unterminated; DELETE FROM t', ['SELECT 1  ']],
    ];
    for (const [sql, statements] of cases) {
      it(`${JSON.stringify(sql)}`, () => {
        expect(stripStatements(sql)).to.deep.equal(statements);
      });
    }

    it('with standard_conforming_strings off, a backslash escapes a quote in a plain string', () => {
      expect(stripStatements("SELECT 'a\\'; DELETE FROM t'; UPDATE u SET a = 1", true)).to.deep.equal(["SELECT ''", ' UPDATE u SET a = 1']);
    });
  });

  describe('comments, literals and quoted names never hide or invent a write (property)', () => {
    const noise = fc.constantFrom(';', 'UPDATE x SET a = 1', 'DELETE FROM y', '*/', '/*', '$$', '$a$', '$é$', "'", "''", '"', '\\', '\\\\', '--', '\r', '\n', 'E', ' ', 'é', '$1', 'INSERT INTO z', 'set_grade(2)', 'now()');
    const text = fc.array(noise, { maxLength: 8 }).map((a) => a.join(''));
    const noStar = fc.array(noise.filter((s) => !s.includes('*') && !s.includes('/')), { maxLength: 6 }).map((a) => a.join(''));
    const block: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
      c: fc.oneof({ depthSize: 'small', withCrossShrink: true }, noStar.map((s) => `/* ${s} */`), fc.tuple(noStar, tie('c'), noStar).map(([a, b, c]) => `/* ${a} ${b} ${c} */`)),
    })).c;
    const token = fc.oneof(
      text.map((s) => `'${s.replace(/'/g, "''")}'`),
      text.map((s) => ` E'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`),
      text.map((s) => `"${s.replace(/"/g, '""')}"`),
      fc.tuple(text.filter((s) => !/[\r\n]/.test(s)), fc.constantFrom('\n', '\r')).map(([s, nl]) => `--${s}${nl}`),
      block,
      fc.tuple(fc.constantFrom('', 'a', 'é', 'x_1', 'ü9'), text).filter(([t, s]) => (s + `$${t}$`).indexOf(`$${t}$`) === s.length).map(([t, s]) => `$${t}$${s}$${t}$`),
    );
    const tokens = fc.array(token, { maxLength: 6 });

    it('hides nothing and invents nothing', () => {
      fc.assert(
        fc.property(tokens, tokens, fc.boolean(), (a, b, withWrite) => {
          // Tokens are kept apart by an identifier: two strings separated only by whitespace
          // with a newline (a `--` comment counts) are ONE string in PostgreSQL, so `E'' --\n '\'`
          // would continue in E mode and swallow the rest (checked with psql); the table tests
          // above cover continuation itself.
          const sql = `SELECT 1 ${a.join(' x ')}${withWrite ? ' ; UPDATE real_t SET a = 1 ' : ' '}${b.join(' x ')}`;
          const r = parseWrittenTables(sql);
          expect(r.all, sql).to.equal(false);
          expect(r.tables, sql).to.deep.equal(withWrite ? ['real_t'] : []);
        }),
        { numRuns: 500 },
      );
    });
  });
});
