import { expect } from 'chai';
import fc from 'fast-check';
import { normalizeTableName, parseReadTables, parseWrittenTables } from '../../src/sql/tableNames';

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
