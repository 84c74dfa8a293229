import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sanitizeSql } from '../../src/sql/sanitizeSql';
import type { SanitizeSqlOptions } from '../../src/sql/types';

/** Words that stand for PHI in the inputs below; none may survive sanitization. */
const PHI = ['Alice', 'Smith', '078-05-1120', 'asthma', 'Diabetes'];

/** mulberry32: a seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  name: string;
  sql: string;
  text: string;
  options?: SanitizeSqlOptions;
}

function check(c: Case): void {
  it(c.name, () => {
    const r = sanitizeSql(c.sql, c.options);
    expect(r.text).to.equal(c.text);
    for (const word of PHI) {
      expect(r.text, `text leaks ${word}`).not.to.include(word);
      expect(r.summary, `summary leaks ${word}`).not.to.include(word);
    }
  });
}

describe('sanitizeSql', () => {
  describe('#text: standard strings', () => {
    [
      {
        name: 'a backslash does not escape the quote (standard_conforming_strings on)',
        sql: "SELECT * FROM p WHERE dir = 'C:\\dir\\' OR name = 'Smith'",
        text: 'SELECT * FROM p WHERE dir = ? OR name = ?',
      },
      {
        name: "'' is a quote inside the string",
        sql: "SELECT * FROM p WHERE a = 'O''Brien '' OR name = Smith' AND b = 'Alice'",
        text: 'SELECT * FROM p WHERE a = ? AND b = ?',
      },
      {
        name: 'a backslash escapes the quote when standard_conforming_strings is off',
        sql: "SELECT * FROM p WHERE a = 'x\\' OR name = Smith' AND b = 'Alice'",
        text: 'SELECT * FROM p WHERE a = ? AND b = ?',
        options: { standardConformingStrings: false },
      },
      {
        name: 'embedded newlines, comment and dollar markers stay inside the string',
        sql: "SELECT '--Alice', '/* Smith', '$$asthma', 'Diabetes\n*/' FROM p",
        text: 'SELECT ?, ?, ?, ? FROM p',
      },
      {
        name: 'N and typed string literals',
        sql: "SELECT N'Alice', date '2010-01-02', interval '1 day' FROM p WHERE n = 'Smith'::text",
        text: 'SELECT ?, date ?, interval ? FROM p WHERE n = ?::text',
      },
      {
        name: 'a quote glued to an identifier is still a string',
        sql: "SELECT somE'\\' , name FROM p WHERE x = 'Smith'",
        text: 'SELECT somE? , name FROM p WHERE x = ?',
      },
      {
        name: 'unterminated string redacts to the end',
        sql: "SELECT * FROM p WHERE name = 'Alice Smith) OR 1=1 --",
        text: 'SELECT * FROM p WHERE name = ?',
      },
    ].forEach(check);
  });

  describe('#text: escape strings E\'...\'', () => {
    [
      {
        name: "\\' does not end an E string",
        sql: "SELECT E'\\'' , 'Alice' FROM p WHERE n = e'it\\'s Smith'",
        text: 'SELECT ? , ? FROM p WHERE n = ?',
      },
      {
        name: '\\\\ is one backslash, and the quote after it ends the string',
        sql: "SELECT E'a\\\\' , name FROM p WHERE n = 'Smith'",
        text: 'SELECT ? , name FROM p WHERE n = ?',
      },
      {
        name: "E strings also accept ''",
        sql: "SELECT E'Alice''s \\n note' FROM p",
        text: 'SELECT ? FROM p',
      },
      {
        name: 'unterminated E string redacts to the end',
        sql: "SELECT * FROM p WHERE n = E'Alice\\' AND ssn = 078-05-1120",
        text: 'SELECT * FROM p WHERE n = ?',
      },
    ].forEach(check);
  });

  describe("#text: U&'...', B'...', X'...'", () => {
    [
      {
        name: 'unicode escape strings and UESCAPE',
        sql: "SELECT U&'\\0041lice', u&'Smith!0041' UESCAPE '!' FROM p",
        text: 'SELECT ?, ? UESCAPE ? FROM p',
      },
      {
        name: 'unicode quoted identifiers are kept',
        sql: 'SELECT U&"d\\0061t" FROM p WHERE x = U&\'Alice\'',
        text: 'SELECT U&"d\\0061t" FROM p WHERE x = ?',
      },
      {
        name: 'bit and hex strings',
        sql: "SELECT B'1010', x'1F', b'0' FROM p WHERE n = 'Smith'",
        text: 'SELECT ?, ?, ? FROM p WHERE n = ?',
      },
      {
        name: 'unterminated unicode string redacts to the end',
        sql: "SELECT * FROM p WHERE n = U&'Alice Smith",
        text: 'SELECT * FROM p WHERE n = ?',
      },
    ].forEach(check);
  });

  describe('#text: dollar quotes', () => {
    [
      {
        name: '$$ and $tag$ strings, with quotes and other tags inside',
        sql: "SELECT $$Alice's$$, $body$ Smith $$ asthma $x$ $body$ FROM p",
        text: 'SELECT ?, ? FROM p',
      },
      {
        name: 'positional parameters with casts are kept',
        sql: "SELECT * FROM p WHERE id = $1::uuid AND n = $2 AND m = $10 AND x = 'Smith'",
        text: 'SELECT * FROM p WHERE id = $1::uuid AND n = $2 AND m = $10 AND x = ?',
      },
      {
        name: 'identifiers containing $ are not dollar quotes',
        sql: "SELECT a$b$c, x$1 FROM t$1 WHERE y = $$Smith$$",
        text: 'SELECT a$b$c, x$1 FROM t$1 WHERE y = ?',
      },
      {
        name: 'tags are case-sensitive and may contain digits',
        sql: 'SELECT $Q1$ Alice $q1$ Smith $Q1$ FROM p',
        text: 'SELECT ? FROM p',
      },
      {
        name: 'a dollar quote glued to a number is still a dollar quote (PostgreSQL lexes 1 then $a$...$a$)',
        sql: 'SELECT 1$a$ Alice Smith $a$, 2.5$$asthma$$, 3e2$b$ Diabetes $b$ FROM p',
        text: 'SELECT ??, ??, ?? FROM p',
      },
      {
        name: 'a dollar quote after a number with trailing junk is still a dollar quote',
        sql: 'SELECT 1x$a$ Alice Smith $a$, 0xFF$$asthma$$ FROM p',
        text: 'SELECT ??, ?? FROM p',
      },
      {
        name: 'a $ in a number junk that starts no dollar quote stays in the junk',
        sql: 'SELECT 1a$b, 1$, 1$2 FROM p',
        text: 'SELECT ?, ?$, ?$2 FROM p',
      },
      {
        name: 'unterminated dollar quote redacts to the end',
        sql: 'SELECT $tag$ Alice Smith $tag FROM p',
        text: 'SELECT ?',
      },
    ].forEach(check);
  });

  describe('#text: numbers', () => {
    [
      {
        name: 'integers, decimals, exponents, hex, separators',
        sql: 'SELECT 42, 3.14, .5, 6.02e23, 1E-9, 0xFF, 0o17, 0b101, 1_000_000 FROM p',
        text: 'SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? FROM p',
      },
      {
        name: 'a unary sign is part of the literal, a binary one is not',
        sql: 'SELECT -1, x-1, x - -2.5, (a)+2, a[1]-3 FROM p WHERE y = -.5 AND z <-4',
        text: 'SELECT ?, x-?, x - ?, (a)+?, a[?]-? FROM p WHERE y = ? AND z <?',
      },
      {
        name: 'digits inside identifiers are kept, digits after them are not',
        sql: 'SELECT c3po, r2d2 FROM covid19 WHERE ssn = 078051120',
        text: 'SELECT c3po, r2d2 FROM covid19 WHERE ssn = ?',
      },
      {
        name: 'a number with trailing junk is redacted whole',
        sql: 'SELECT 123abc, 1e5x FROM p',
        text: 'SELECT ?, ? FROM p',
      },
    ].forEach(check);
  });

  describe('#text: booleans', () => {
    [
      {
        name: 'true and false in any case; identifiers that contain them are kept',
        sql: 'SELECT true, FALSE, True FROM p WHERE truex = trUe AND is_false',
        text: 'SELECT ?, ?, ? FROM p WHERE truex = ? AND is_false',
      },
    ].forEach(check);
  });

  describe('#text: comments', () => {
    [
      {
        name: 'block comments nest',
        sql: 'SELECT 1 /* outer /* inner */ Alice Smith */ FROM p',
        text: 'SELECT ?  FROM p',
      },
      {
        name: 'line comments end at the newline, which is kept',
        sql: 'SELECT a -- Alice Smith\nFROM p -- asthma',
        text: 'SELECT a \nFROM p ',
      },
      {
        name: 'a removed comment still separates tokens',
        sql: 'SELECT a/* Alice */FROM p',
        text: 'SELECT a FROM p',
      },
      {
        name: 'quotes inside comments do not start strings',
        sql: "SELECT a /* it's */ FROM p WHERE n = 'Smith' -- don't\n",
        text: 'SELECT a  FROM p WHERE n = ? \n',
      },
      {
        name: 'unterminated block comment removes everything to the end',
        sql: 'SELECT a FROM p /* Alice /* Smith */ asthma',
        text: 'SELECT a FROM p ',
      },
    ].forEach(check);
  });

  describe('#text: identifiers', () => {
    [
      {
        name: 'quoted identifiers with "" are kept exactly',
        sql: 'SELECT "a""b", "Patient"."name" FROM "Patients" AS "Patient" WHERE "Patient"."name" = \'Smith\'',
        text: 'SELECT "a""b", "Patient"."name" FROM "Patients" AS "Patient" WHERE "Patient"."name" = ?',
      },
      {
        name: "a quote inside a quoted identifier does not start a string",
        sql: 'SELECT "it\'s" FROM p WHERE n = \'Alice\'',
        text: 'SELECT "it\'s" FROM p WHERE n = ?',
      },
      {
        name: 'unterminated quoted identifier redacts to the end',
        sql: 'SELECT "Alice Smith FROM p',
        text: 'SELECT ?',
      },
      {
        name: 'non-ASCII identifiers are kept, non-ASCII literals are not',
        sql: "SELECT prénom FROM élèves WHERE nom = 'Müller Smith'",
        text: 'SELECT prénom FROM élèves WHERE nom = ?',
      },
    ].forEach(check);
  });

  describe('#text: double-quoted values (MySQL habit)', () => {
    [
      {
        name: 'after a comparison operator',
        sql: 'SELECT * FROM p WHERE name = "Alice Smith" OR a <> "Smith" OR b != "asthma" OR c < "Diabetes" OR d>"Alice" OR e <= "Smith" OR f >= "Alice"',
        text: 'SELECT * FROM p WHERE name = ? OR a <> ? OR b != ? OR c < ? OR d>? OR e <= ? OR f >= ?',
      },
      {
        name: 'after LIKE / ILIKE, in IN lists and VALUES rows',
        sql: 'SELECT * FROM p WHERE a LIKE "Alice%" AND b NOT ILIKE "%Smith" AND c IN ("asthma", "Diabetes") AND d IN (1, "Smith")',
        text: 'SELECT * FROM p WHERE a LIKE ? AND b NOT ILIKE ? AND c IN (?) AND d IN (?)',
      },
      {
        name: 'inside VALUES rows, and in UPDATE ... SET',
        sql: 'INSERT INTO p (a, b) VALUES ("Alice", 1), (2, "Smith"); UPDATE p SET notes = "asthma" WHERE id = 1',
        text: 'INSERT INTO p (a, b) VALUES (?, ?); UPDATE p SET notes = ? WHERE id = ?',
      },
      {
        name: 'qualified references stay: a quoted name followed or preceded by a dot',
        sql: 'SELECT "a"."b" FROM "Student" JOIN "nurse" ON "Student"."nurseId" = "nurse"."id" WHERE "a"."b" = "c"."d" AND x IN ("t"."c", "u" . "d") AND "Students"."name" = $1',
        text: 'SELECT "a"."b" FROM "Student" JOIN "nurse" ON "Student"."nurseId" = "nurse"."id" WHERE "a"."b" = "c"."d" AND x IN ("t"."c", "u" . "d") AND "Students"."name" = $1',
      },
      {
        name: 'a quoted function name and an increment (Sequelize) stay',
        sql: 'UPDATE "p" SET "visits"="visits"+ 1,"left"="left"- 2 WHERE "x" = "lower"("y")',
        text: 'UPDATE "p" SET "visits"="visits"+ ?,"left"="left"- ? WHERE "x" = "lower"("y")',
      },
      {
        name: 'a comment after the value does not make it an operand',
        sql: 'SELECT * FROM p WHERE name = "Alice Smith" -- note\n AND b = "Smith" /* x */',
        text: 'SELECT * FROM p WHERE name = ? \n AND b = ? ',
      },
      {
        name: 'quoted names elsewhere stay (select list, column list, operators that are not comparisons)',
        sql: 'SELECT "name", j->"k" FROM "p" WHERE "id" = 1 ORDER BY "name"',
        text: 'SELECT "name", j->"k" FROM "p" WHERE "id" = ? ORDER BY "name"',
      },
    ].forEach(check);

    it('gives a double-quoted value the fingerprint of a literal', () => {
      expect(sanitizeSql('SELECT * FROM p WHERE name = "Alice"').fingerprint).to.equal(sanitizeSql("SELECT * FROM p WHERE name = 'Smith'").fingerprint);
    });
  });

  describe('#text: input that is not SQL', () => {
    [
      { name: 'free text', sql: 'Alice Smith 078-05-1120 has asthma', text: '?' },
      { name: 'JSON', sql: '{"name": "Alice Smith", "ssn": "078-05-1120"}', text: '?' },
      { name: 'a quoted "identifier" first', sql: '"Alice Smith" SELECT', text: '?' },
      { name: 'a second statement that is not SQL', sql: 'SELECT 1; Alice Smith', text: 'SELECT ?; ?' },
      { name: 'empty', sql: '', text: '' },
      { name: 'comments only', sql: '/* Alice */ -- Smith', text: ' ' },
    ].forEach(check);

    it('accepts leading parentheses and comments before the first keyword', () => {
      expect(sanitizeSql("/* app */ (SELECT 'Alice') UNION (SELECT 'Smith')").text).to.equal(' (SELECT ?) UNION (SELECT ?)');
    });

    it('never throws on non-string input', () => {
      expect(sanitizeSql(undefined as unknown as string).text).to.equal('?');
      expect(sanitizeSql({ toString: () => 'Alice' } as unknown as string).text).to.equal('?');
    });
  });

  describe('#text on real Sequelize 6 SQL (bench/corpus.json)', () => {
    const corpus: string[] = JSON.parse(readFileSync(join(__dirname, '../../bench/corpus.json'), 'utf8'));
    const names = ['Alice', 'Smith', "O''Brien", 'Nguyen', 'García', 'Müller', 'asthma', 'diabetes', 'EpiPen', '555-'];

    it('has a few hundred statements', () => {
      expect(corpus.length).to.be.at.least(200);
    });

    it('leaves no string, number or name from any statement in text or summary', () => {
      for (const sql of corpus) {
        const { text, summary } = sanitizeSql(sql);
        expect(text, sql).not.to.include("'");
        for (const name of names) {
          expect(text, sql).not.to.include(name);
          expect(summary, sql).not.to.include(name);
        }
        // digits may remain only inside identifiers and $n parameters
        const rest = text.replace(/"(?:[^"]|"")*"/g, '').replace(/\$\d+/g, '').replace(/[A-Za-z_][A-Za-z0-9_$]*/g, '');
        expect(rest, sql).not.to.match(/\d/);
        expect(summary, sql).to.match(/^(SELECT|INSERT|UPDATE|DELETE)( \S+)*$/);
      }
    });
  });

  describe('#text: list collapsing', () => {
    [
      {
        name: 'IN-lists of literals collapse to IN (?)',
        sql: "SELECT * FROM p WHERE id IN (1, 2, 3) AND name NOT IN ('Alice', 'Smith')",
        text: 'SELECT * FROM p WHERE id IN (?) AND name NOT IN (?)',
      },
      {
        name: 'lists with parameters, columns or subqueries are kept',
        sql: "SELECT * FROM p WHERE a IN ($1, $2) AND b IN (1, c) AND d IN (SELECT x FROM q WHERE y = 'Smith')",
        text: 'SELECT * FROM p WHERE a IN ($1, $2) AND b IN (?, c) AND d IN (SELECT x FROM q WHERE y = ?)',
      },
      {
        name: 'multi-row VALUES collapse to the first row',
        sql: "INSERT INTO p (id, name) VALUES (1, 'Alice'), (2, 'Smith'),\n (3, 'asthma') RETURNING id",
        text: 'INSERT INTO p (id, name) VALUES (?, ?) RETURNING id',
      },
      {
        name: 'collapseLists: false keeps every element',
        sql: "INSERT INTO p VALUES (1, 'Alice'), (2, 'Smith'); SELECT * FROM p WHERE id IN (1, 2)",
        text: 'INSERT INTO p VALUES (?, ?), (?, ?); SELECT * FROM p WHERE id IN (?, ?)',
        options: { collapseLists: false },
      },
    ].forEach(check);
  });

  describe('#text: maxLength', () => {
    it('truncates the sanitized text, not the input', () => {
      const sql = `SELECT * FROM p WHERE name = '${'Alice'.repeat(100)}' AND id = 1`;
      const r = sanitizeSql(sql, { maxLength: 40 });
      expect(r.text).to.equal('SELECT * FROM p WHERE name = ? AND id = ?'.slice(0, 40));
      expect(sanitizeSql(sql).text).to.equal('SELECT * FROM p WHERE name = ? AND id = ?');
    });

    it('defaults to 32768 characters', () => {
      const sql = `SELECT ${'a, '.repeat(20000)}b FROM p`;
      expect(sanitizeSql(sql).text).to.have.length(32768);
    });

    it('does not split a surrogate pair', () => {
      const r = sanitizeSql('SELECT 𝔘 FROM p', { maxLength: 8 });
      expect(r.text).to.equal('SELECT ');
    });

    it('falls back to the default on an invalid value instead of throwing', () => {
      expect(sanitizeSql("SELECT 'Alice'", { maxLength: -1 }).text).to.equal('SELECT ?');
    });

    it('keeps the fingerprint of the whole statement', () => {
      const a = sanitizeSql('SELECT a, b FROM p WHERE x = 1', { maxLength: 10 });
      const b = sanitizeSql('SELECT a, c FROM p WHERE x = 1', { maxLength: 10 });
      expect(a.text).to.equal(b.text);
      expect(a.fingerprint).not.to.equal(b.fingerprint);
    });
  });

  describe('#summary', () => {
    const cases: Array<[string, string]> = [
      ['SELECT "Patient"."id" FROM "Patients" AS "Patient" WHERE "Patient"."name" = \'Smith\'', 'SELECT Patients'],
      ['SELECT * FROM public.patients p LEFT OUTER JOIN "public"."Schools" s ON s.id = p.school_id', 'SELECT public.patients public.Schools'],
      ['UPDATE "Patients" SET "notes" = $1 WHERE "id" = $2', 'UPDATE Patients'],
      ['DELETE FROM visits WHERE id = 1', 'DELETE visits'],
      ['INSERT INTO p (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET id = 2', 'INSERT p'],
      ['SELECT * FROM p WHERE id = 1 FOR UPDATE', 'SELECT p'],
      ['SELECT EXTRACT(YEAR FROM dob), substring(name FROM 1 FOR 2) FROM p', 'SELECT p'],
      ['SELECT * FROM a WHERE x IS DISTINCT FROM y', 'SELECT a'],
      ['WITH r AS (SELECT * FROM visits) SELECT * FROM r JOIN p ON p.id = r.pid', 'SELECT visits SELECT r p'],
      ['CREATE TABLE IF NOT EXISTS "Patients" ("id" SERIAL)', 'CREATE TABLE Patients'],
      ['CREATE UNIQUE INDEX CONCURRENTLY idx ON p (name)', 'CREATE INDEX idx'],
      ['DROP MATERIALIZED VIEW IF EXISTS s.v', 'DROP MATERIALIZED VIEW s.v'],
      ['TRUNCATE "Patients" RESTART IDENTITY', 'TRUNCATE Patients'],
      ['START TRANSACTION', 'START'],
      ['COMMIT; SELECT 1', 'SELECT'],
      ["SELECT * FROM f('Alice') AS x", 'SELECT f'],
      ['SELECT * FROM (SELECT * FROM p) q, LATERAL (SELECT 1) l, s', 'SELECT SELECT p SELECT s'],
      ['GRANT SELECT ON patients TO nurse', 'GRANT patients'],
      ['GRANT SELECT, UPDATE (name, "ssn") ON TABLE public.patients TO nurse', 'GRANT public.patients'],
      ['revoke insert, delete on "Patients" from nurse', 'revoke Patients'],
      ['GRANT ALL ON ALL TABLES IN SCHEMA public TO nurse', 'GRANT'],
      ['GRANT nurse TO alice', 'GRANT'],
      ['GRANT SELECT ON p TO nurse; SELECT * FROM v', 'GRANT p SELECT v'],
    ];
    for (const [sql, summary] of cases) {
      it(`${sql.slice(0, 60)} -> ${summary}`, () => {
        expect(sanitizeSql(sql).summary).to.equal(summary);
      });
    }

    it('is at most 255 characters, cut between names', () => {
      const sql = 'SELECT * FROM ' + Array.from({ length: 100 }, (_, k) => `table_number_${k}`).join(', ');
      const s = sanitizeSql(sql).summary;
      expect(s.length).to.be.at.most(255);
      expect(s.length).to.be.greaterThan(200);
      expect(s).to.match(/^SELECT( table_number_\d+)+$/);
    });

    it('is empty for input that is not SQL', () => {
      expect(sanitizeSql('Alice Smith').summary).to.equal('');
    });
  });

  describe('#fingerprint', () => {
    const fp = (sql: string): string => sanitizeSql(sql).fingerprint;

    it('is 16 lowercase hex characters', () => {
      expect(fp('SELECT 1')).to.match(/^[0-9a-f]{16}$/);
    });

    it('ignores literal values, whitespace, comments and keyword case', () => {
      const base = fp("SELECT name FROM p WHERE id = 1 AND n = 'Alice'");
      expect(fp("SELECT name FROM p WHERE id = 22 AND n = 'Smith'")).to.equal(base);
      expect(fp("select  name\n\tfrom p /* x */ where id=-3 and n=E'O\\'Brien'")).to.equal(base);
      expect(fp("SELECT name FROM p WHERE id = 1.5e3 AND n = $$Alice$$ -- c")).to.equal(base);
      expect(fp('SELECT NAME FROM P WHERE ID = 1 AND N = true')).to.equal(base);
    });

    it('treats a quoted identifier like PostgreSQL does: "name" is name, "Name" is not', () => {
      expect(fp('SELECT "name" FROM "p"')).to.equal(fp('SELECT NAME FROM p'));
      expect(fp('SELECT "Name" FROM p')).not.to.equal(fp('SELECT name FROM p'));
    });

    it('ignores IN-list length and VALUES row count, also with collapseLists: false', () => {
      const off = { collapseLists: false };
      expect(sanitizeSql('SELECT * FROM p WHERE id IN (1, 2)', off).fingerprint).to.equal(fp('SELECT * FROM p WHERE id IN (7)'));
      expect(sanitizeSql("INSERT INTO p VALUES (1, 'a'), (2, 'b')", off).fingerprint).to.equal(fp("INSERT INTO p VALUES (3, 'c')"));
    });

    it('ignores IN-list length and VALUES row count', () => {
      expect(fp('SELECT * FROM p WHERE id IN (1)')).to.equal(fp('SELECT * FROM p WHERE id IN (1, 2, 3, 4)'));
      expect(fp("INSERT INTO p VALUES (1, 'a')")).to.equal(fp("INSERT INTO p VALUES (1, 'a'), (2, 'b'), (3, 'c')"));
    });

    it('does not group the colliding pair of the red-team review (one 32-bit hash per token)', () => {
      expect(fp('SELECT visit_8125 FROM students WHERE id = 5')).not.to.equal(fp('SELECT dose_9272 FROM students WHERE id = 7'));
    });

    it('has no collision among 100k distinct random identifiers (64-bit strength)', () => {
      const random = rng(20261129);
      const seen = new Map<string, string>();
      const alphabet = 'abcdefghijklmnopqrstuvwxyz_0123456789';
      while (seen.size < 100_000) {
        let id = 'c';
        const len = 3 + Math.floor(random() * 12);
        for (let k = 0; k < len; k++) id += alphabet[Math.floor(random() * alphabet.length)];
        const f = fp(`SELECT ${id} FROM students`);
        const other = seen.get(f);
        if (other !== undefined && other !== id) expect.fail(`${other} and ${id} share fingerprint ${f}`);
        seen.set(f, id);
      }
      expect(seen.size).to.equal(100_000);
    });

    it('keeps ORDER BY / GROUP BY ordinals apart, as pg_stat_statements does (the text still shows ?)', () => {
      expect(fp('SELECT a, b FROM t ORDER BY 1')).not.to.equal(fp('SELECT a, b FROM t ORDER BY 2'));
      expect(fp('SELECT a, b FROM t GROUP BY 1')).not.to.equal(fp('SELECT a, b FROM t GROUP BY 2'));
      expect(fp('SELECT a, b FROM t ORDER BY 1, 2 DESC')).not.to.equal(fp('SELECT a, b FROM t ORDER BY 1, 3 DESC'));
      expect(fp('SELECT a, count(*) FROM t GROUP BY 1 ORDER BY 2 LIMIT 5')).not.to.equal(fp('SELECT a, count(*) FROM t GROUP BY 1 ORDER BY 1 LIMIT 5'));
      expect(fp('SELECT a FROM t ORDER BY 2 LIMIT 1')).to.equal(fp('SELECT a FROM t ORDER BY 2 LIMIT 100'));
      expect(fp('SELECT a FROM t ORDER BY a + 1')).to.equal(fp('SELECT a FROM t ORDER BY a + 2'));
      expect(sanitizeSql('SELECT a FROM t ORDER BY 2').text).to.equal('SELECT a FROM t ORDER BY ?');
    });

    it('ignores one trailing semicolon, and whitespace or comments after it', () => {
      expect(fp('SELECT 1;')).to.equal(fp('SELECT 1'));
      expect(fp('SELECT 1 ; -- done\n  /* x */ ')).to.equal(fp('SELECT 1'));
      expect(fp('SELECT 1; SELECT 2;')).to.equal(fp('SELECT 1; SELECT 2'));
      expect(fp('SELECT 1; SELECT 2')).not.to.equal(fp('SELECT 1'));
    });

    it('differs for different shapes', () => {
      const shapes = [
        'SELECT name FROM p WHERE id = 1',
        'SELECT name FROM q WHERE id = 1',
        'SELECT name FROM p WHERE id > 1',
        'SELECT name FROM p WHERE ssn = 1',
        'SELECT "Name" FROM p WHERE id = 1',
        'SELECT name FROM p WHERE id = $1',
        'SELECT name FROM p WHERE id = $2',
        'SELECT name FROM p WHERE id = 1 AND x = 2',
        'SELECT name FROM p WHERE id IN ($1, $2)',
        'SELECT name FROM p WHERE id IN ($1, $2, $3)',
        'SELECT name FROMp WHERE id = 1',
        'SELECT na me FROM p WHERE id = 1',
      ];
      const prints = new Set(shapes.map(fp));
      expect(prints.size).to.equal(shapes.length);
    });
  });
});
