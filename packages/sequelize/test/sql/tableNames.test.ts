import { expect } from 'chai';
import fc from 'fast-check';
import { analyzeSql, normalizeTableName, parseReadTables, parseWrittenTables } from '../../src/sql/tableNames';

describe('tableNames', () => {
  describe('.parseWrittenTables()', () => {
    const cases: Array<[string, boolean, string[]]> = [
      ['SELECT * FROM "Students" WHERE name = \'x\'', false, []],
      ['SELECT * FROM "Students" FOR UPDATE', false, []],
      ['SELECT * FROM "Students" FOR NO KEY UPDATE', false, []],
      ['INSERT INTO "Students" ("name") VALUES ($1) RETURNING *', false, ['students']],
      ['INSERT INTO "public"."Students" AS s VALUES (1) ON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name"', false, ['students']],
      ['UPDATE "Students" SET "grade"=$1 WHERE "id" = $2', false, ['students']],
      ['UPDATE ONLY students SET grade = 1', false, ['students']],
      ['DELETE FROM "Notes" WHERE "id" IN (SELECT id FROM "Students")', false, ['notes']],
      ['TRUNCATE "Enrollments"', false, ['enrollments']],
      ['TRUNCATE TABLE a, "B", public.c', false, ['a', 'b', 'c']],
      ['TRUNCATE "Students" CASCADE', true, ['students']],
      ['DROP TABLE IF EXISTS "Students" CASCADE;', true, ['students']],
      ['DROP TABLE IF EXISTS "Students";', false, ['students']],
      ['ALTER TABLE "Students" ADD COLUMN x int', false, ['students']],
      ['COPY "Students" (name) FROM STDIN', false, ['students']],
      ['COPY "Students" TO STDOUT', false, []],
      ['MERGE INTO "Students" s USING src ON true WHEN MATCHED THEN UPDATE SET name = src.name', false, ['students']],
      ['WITH x AS (DELETE FROM "Notes" RETURNING *) SELECT count(*) FROM x', false, ['notes']],
      ['DO $$ BEGIN UPDATE "Students" SET grade = 1; END $$', true, []],
      ['CALL refresh_everything()', true, []],
      ['REFRESH MATERIALIZED VIEW v', true, []],
      ['CREATE TABLE IF NOT EXISTS "X" (id int REFERENCES "Y" ("id") ON DELETE CASCADE ON UPDATE CASCADE)', false, []],
      ['CREATE OR REPLACE FUNCTION pg_temp.f() RETURNS void AS $f$ INSERT INTO "Students" VALUES (1) $f$ LANGUAGE sql', true, []],
      ['START TRANSACTION;', false, []],
      ['COMMIT;', false, []],
      ["SELECT 'INSERT INTO \"Students\" VALUES (1)' AS text", false, []],
      ["SELECT E'it\\'s UPDATE \"x\" SET' -- DELETE FROM y\n", false, []],
      ['/* TRUNCATE "a" */ SELECT 1', false, []],
      ['', false, []],
      // A SELECT calling a function that is not a known read-only built-in may write anything (PL/pgSQL, triggers).
      ['SELECT set_grade(2)', true, []],
      ['SELECT public.count(*) FROM t', true, []],
      ['SELECT * FROM "Students" WHERE audit_touch("id")', true, []],
      ['WITH x AS (SELECT 1) SELECT my_fn() FROM x', true, []],
      ['VALUES (my_fn())', true, []],
      ['UPDATE "Students" SET a = log_change(a)', true, ['students']],
      ['SELECT 1; CALL refresh()', true, []],
      ['SELECT 1; DO $$ BEGIN UPDATE "Students" SET grade = 1; END $$', true, []],
      ['SELECT 1; UPDATE élèves SET a = 1; UPDATE pats SET a = 1', false, ['élèves', 'pats']],
      // Built-ins, casts, CTE column lists, aliases and keywords before "(" are not calls.
      ['SELECT count(DISTINCT("Student"."id")) AS "count" FROM "Students" AS "Student" WHERE lower("name") = $1', false, []],
      ['SELECT CAST("a" AS varchar(10)), "b"::numeric(10,2), COALESCE(max("grade"), 0) FROM t WHERE "id" IN (1, 2) AND EXISTS (SELECT 1)', false, []],
      ['WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x) SELECT * FROM x', false, []],
      ['SELECT * FROM generate_series(1, 3) AS g(n) JOIN LATERAL (SELECT 1) s ON true', false, []],
      ['SELECT row_number() OVER (PARTITION BY a ORDER BY b), string_agg(c, \',\') FILTER (WHERE d) FROM t', false, []],
      ['INSERT INTO "Students" ("name", "createdAt") VALUES ($1, now()) RETURNING *', false, ['students']],
      ['SELECT pg_catalog.lower(\'A\'), pg_sleep(0.1)', false, []],
    ];
    for (const [sql, all, tables] of cases) {
      it(`${JSON.stringify(sql.slice(0, 70))} -> ${all ? 'ALL' : JSON.stringify(tables)}`, () => {
        const r = parseWrittenTables(sql);
        expect(r.all).to.equal(all);
        expect([...r.tables].sort()).to.deep.equal([...tables].sort());
      });
    }

    it('never throws, and text inside a string literal never names a written table (property)', () => {
      fc.assert(
        fc.property(fc.string(), fc.constantFrom('SELECT ', 'SELECT * FROM t WHERE a = '), (s, head) => {
          const literal = `'${s.replace(/'/g, "''")}'`;
          const r = parseWrittenTables(head + literal);
          expect(r.all).to.equal(false);
          expect(r.tables).to.deep.equal([]);
        }),
      );
      fc.assert(fc.property(fc.string(), (s) => void parseWrittenTables(s)));
    });
  });

  describe('.analyzeSql()', () => {
    it('flags time-dependent and random reads as volatile, not plain reads', () => {
      expect(analyzeSql('SELECT * FROM t WHERE "at" < NOW()').volatile).to.equal(true);
      expect(analyzeSql('SELECT * FROM t WHERE "at" < CURRENT_DATE').volatile).to.equal(true);
      expect(analyzeSql('SELECT * FROM t ORDER BY RANDOM()').volatile).to.equal(true);
      expect(analyzeSql('SELECT * FROM t WHERE "current_date" = 1 AND note = \'now()\'').volatile).to.equal(false);
      expect(analyzeSql('SELECT count(*) FROM t').volatile).to.equal(false);
    });

    it('treats functions declared read-only as safe', () => {
      expect(analyzeSql('SELECT unaccent("name") FROM t').write.all).to.equal(true);
      expect(analyzeSql('SELECT unaccent("name") FROM t', { readOnlyFunctions: new Set(['unaccent']) }).write.all).to.equal(false);
    });

    it('lexes plain strings with backslash escapes when standard_conforming_strings is off', () => {
      const sql = "SELECT 'a\\''; UPDATE u SET a = 1; --'";
      expect(analyzeSql(sql).write.tables).to.deep.equal([]);
      expect(analyzeSql(sql, { backslashEscapes: true }).write.tables).to.deep.equal(['u']);
    });
  });

  describe('.parseReadTables()', () => {
    it('lists tables after FROM and JOIN, including parenthesised joins and subqueries', () => {
      const sql =
        'SELECT "Student".* FROM "Students" AS "Student" LEFT OUTER JOIN ( "Enrollments" AS "Courses->Enrollment" INNER JOIN "Courses" AS "Courses" ON 1=1) ON 1=1 WHERE id IN (SELECT "studentId" FROM notes)';
      expect(parseReadTables(sql).sort()).to.deep.equal(['courses', 'enrollments', 'notes', 'students']);
    });

    it('ignores the FROM of IS DISTINCT FROM, EXTRACT and TRIM', () => {
      const sql = `SELECT * FROM "Students" WHERE "a" IS DISTINCT FROM "b" AND EXTRACT(YEAR FROM "birthDate") = 2015 AND TRIM(BOTH 'x' FROM "name") <> ''`;
      expect(parseReadTables(sql)).to.deep.equal(['students']);
    });
  });

  describe('.normalizeTableName()', () => {
    it('drops schema and quotes and lower-cases', () => {
      expect(normalizeTableName('"public"."Students"')).to.equal('students');
      expect(normalizeTableName('Students')).to.equal('students');
      expect(normalizeTableName('"we""ird"')).to.equal('we"ird');
    });
  });
});
