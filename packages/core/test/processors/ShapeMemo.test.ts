import { expect } from 'chai';
import fc from 'fast-check';
import { memoFor, queryInfoOf } from '../../src/processors/queryInfo';
import type { QueryInfo } from '../../src/processors/queryInfo';
import { SHAPE_ENTRIES, ShapeMemo } from '../../src/processors/ShapeMemo';
import { sanitizeSql } from '../../src/sql/sanitizeSql';
import type { SanitizeSqlOptions } from '../../src/sql/types';

/** Stands for PHI inside generated literals: it must never be held by a shape. */
const MARKER = 'Qx7Phi';

/** Runs `raw` through `memo` as queryInfoOf does: a hit, or the lexer and then learning. */
function through(memo: ShapeMemo, raw: string, options?: SanitizeSqlOptions): { info: QueryInfo; hit: boolean } {
  const known = memo.get(raw);
  if (known !== undefined) return { info: known, hit: true };
  const s = sanitizeSql(raw, options);
  const info = { text: s.text, summary: s.summary, fingerprint: s.fingerprint, operation: '', collection: undefined };
  if (s.text !== raw) memo.learn(raw, info);
  return { info, hit: false };
}

function expectSanitized(info: QueryInfo, raw: string, options?: SanitizeSqlOptions): void {
  const s = sanitizeSql(raw, options);
  expect({ text: info.text, summary: info.summary, fingerprint: info.fingerprint }, raw).to.deep.equal(s);
}

/** Statement skeletons (each `{}` is a slot), with a first verbatim piece long enough to be keyed. */
const SKELETONS = [
  `SELECT "Student"."id", "Student"."name" FROM "Students" AS "Student" WHERE "Student"."id" = {} AND "Student"."active" = {} LIMIT {};`,
  `SELECT "s"."id", "s"."grade" FROM "Students" AS "s" WHERE "s"."id" IN ({}) ORDER BY {} LIMIT {}`,
  `SELECT "s"."id", "s"."grade" FROM "Students" AS "s" GROUP BY 1, {} ORDER BY "s"."id", {}`,
  `UPDATE "HealthRecords" SET "notes"={},"updatedAt"={} WHERE "id" = {}`,
  `SELECT count(*) AS "count" FROM "Appointments" WHERE "nurseId" = {} AND "startsAt" > {} {}`,
  `SELECT "m"."dose" FROM "Medications" AS "m" WHERE "m"."name" = {}--{}\nAND "m"."qty" - {} > {}{}`,
  `INSERT INTO "Appointments" ("id","reason","startsAt") VALUES (DEFAULT,{},{}),({},{},{}) RETURNING "id"`,
  `SELECT "Student"."id" FROM "Students" AS "Student" WHERE "Student"."lastName" LIKE {} ESCAPE {} AND x = {}::int`,
  `SELECT "Student"."id" FROM "Students" AS "Student" WHERE "Student"."id" IN ({}) AND "Student"."x" IN ({}, {})`,
  `SELECT "Student"."id" FROM "Students" AS "Student" WHERE a = {}$1 AND b = {}e AND c = {}.x AND d = {}'x' AND e = {}`,
  `SELECT "Student"."id" FROM "Students" AS "Student" WHERE a = {}+{} AND b = {}-{} AND c = {}*2`,
  `SELECT "Student"."id" FROM "Students" AS "Student" WHERE a = {}; SELECT {}, {} FROM t WHERE b IN ({}) AND c = {};`,
  `SELECT "Student"."id" FROM "Students" AS "Student" WHERE a = "x"{} AND b = -{} AND c = /{} AND d = t{} AND e = $1{}`,
  `SELECT "Student"."id" FROM "Students" AS "Student" WHERE a = "x" {} AND b = - {} AND c ={}AND d = {} IN ({}) ORDER BY {}, 2`,
  `SELECT "Student"."id" FROM "Students" AS "Student" WHERE "Student"."a" IN ({}) OR "Student"."b" IN ({} ) OR c IN ( {}){}{}`,
];

const text = fc.array(fc.constantFrom('a', "''", '\\', ' ', '$', '*/', '--', '\n', ',', ')', '0', 'é', MARKER), { maxLength: 6 }).map((a) => a.join(''));
const digits = fc.integer({ min: 0, max: 99_999 }).map(String);
/** Literals (and things that look like them) of every kind the lexer knows, and some it must not confuse. */
const SLOT_KINDS: Array<fc.Arbitrary<string>> = [
  text.map((t) => `'${t.replace(/'/g, "''")}${MARKER}'`),
  digits,
  digits.map((d) => `${d}.5`),
  digits.map((d) => `${d}e3`),
  digits.map((d) => `.${d}`),
  digits.map((d) => `0x${d}F`),
  digits.map((d) => `${d}abc`),
  digits.map((d) => `-${d}`),
  digits.map((d) => `+${d}`),
  digits.map((d) => `- ${d}`),
  fc.constantFrom('0', '00', '000000000', '1234567890', '0_1', '007'),
  digits.map((d) => `-${d}.5`),
  digits.map((d) => `-.${d}`),
  digits.map((d) => `${d}.`),
  fc.constantFrom('true', 'FALSE', 'True', 'trueish', 'NULL', '$1', '"Alice"', '"t"."c"', 'x', '?', '(1)', ''),
  fc.array(fc.oneof(digits, text.map((t) => `'${t.replace(/'/g, "''")}'`)), { minLength: 1, maxLength: 5 })
    .chain((xs) => fc.constantFrom(', ', ',', ' , ', ',  ').map((sep) => xs.join(sep))),
  fc.constantFrom(`1, -2`, `1, 2.5`, `1, E'x'`, `1 /* ${MARKER} */, 2`, `1,\n2`, `'a' 'b'`, `'a''b'`),
  text.map((t) => `E'${t.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}${MARKER}'`),
  text.map((t) => `$q$${t.replace(/\$/g, '')}${MARKER}$q$`),
  text.map((t) => `U&'${t.replace(/'/g, "''")}'`),
  fc.constantFrom(`B'0101'`, `X'ff'`, `N'${MARKER}'`, `5$a$ ${MARKER} $a$`, `'${MARKER}`, `/* ${MARKER} */ 5`, `5 -- ${MARKER}\n`),
];
/** Mostly kinds a shape can hold (strings, numbers, signed numbers, lists), else any. */
const kindIndex = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: SLOT_KINDS.length - 1 }) },
);
/** Rows of 5 slot values: mostly of the same kinds (one shape, new values), sometimes another kind in a slot. */
const rowsOfOneShape = fc.array(kindIndex, { minLength: 5, maxLength: 5 }).chain((kinds) =>
  fc.array(
    fc.tuple(...kinds.map((k) => fc.oneof({ weight: 6, arbitrary: SLOT_KINDS[k] }, { weight: 1, arbitrary: kindIndex.chain((o) => SLOT_KINDS[o]) }))),
    { minLength: 2, maxLength: 8 },
  ),
);

function fill(skeleton: string, values: string[]): string {
  let k = 0;
  return skeleton.replace(/\{\}/g, () => values[k++ % values.length]);
}

describe('ShapeMemo', () => {
  it('gives every statement it matches exactly what the lexer gives it (differential, random literals)', () => {
    let hits = 0;
    let statements = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...SKELETONS),
        rowsOfOneShape,
        fc.constantFrom<Array<SanitizeSqlOptions | undefined>>(
          undefined, { standardConformingStrings: false }, { collapseLists: false }, { maxLength: 90 },
        ),
        (skeleton, rows, options) => {
          const memo = new ShapeMemo(options);
          for (const values of rows) {
            const raw = fill(skeleton, values);
            const r = through(memo, raw, options);
            expectSanitized(r.info, raw, options);
            statements++;
            if (r.hit) hits++;
          }
        },
      ),
      { numRuns: 500 },
    );
    // evidence that the property was exercised on hits, not only on the lexer's own results
    expect(hits).to.be.greaterThan(statements / 10);
  });

  it('matches statements of one shape with other values, and holds no literal', () => {
    const memo = new ShapeMemo(undefined);
    const shape = (id: string, name: string, ids: string) =>
      `SELECT "Student"."id", "Student"."name" FROM "Students" AS "Student" WHERE "Student"."id" = ${id} AND "Student"."name" = '${name}' AND "Student"."schoolId" IN (${ids}) AND "Student"."active" = true;`;
    expect(through(memo, shape('4711', `Zed ${MARKER}`, '1, 2, 3'), undefined).hit).to.equal(false);
    for (const [id, name, ids] of [['42', `O''Brien ${MARKER}`, '7'], ['-0', '', `'a', 5, 'b', 6`], ['9.5e3', 'x', '10,11']]) {
      const raw = shape(id, name, ids);
      const r = through(memo, raw, undefined);
      expect(r.hit, raw).to.equal(id !== '-0'); // -0 is a signed number: another shape
      expectSanitized(r.info, raw);
    }
    const held = memo.pieces().flat().join('\n');
    expect(held).to.include('"Student"."name" = ');
    expect(held).to.not.include(MARKER).and.not.include('4711').and.not.include('Zed');
  });

  it('never reuses a shape whose result depends on a value (ORDER BY ordinals are in the fingerprint)', () => {
    const memo = new ShapeMemo(undefined);
    const raw = (n: number, v: string) => `SELECT "s"."id", "s"."grade" FROM "Students" AS "s" WHERE "s"."grade" = '${v}' ORDER BY ${n}`;
    for (const [n, v] of [[2, 'A'], [3, 'B'], [2, 'C'], [1, 'D']] as const) {
      const r = through(memo, raw(n, v), undefined);
      expect(r.hit).to.equal(false);
      expectSanitized(r.info, raw(n, v));
    }
    expect(sanitizeSql(raw(2, 'A')).fingerprint).to.not.equal(sanitizeSql(raw(3, 'A')).fingerprint);
  });

  it('is not fooled by an ordinal written with leading zeros, or a number that is no ordinal', () => {
    // red-team finding: `ORDER BY 00` probed with `0` is the same ordinal, and the shape was reused
    for (const first of ['00', '000000000', '1.5', '1234567890', '0x1F']) {
      const memo = new ShapeMemo(undefined);
      const raw = (v: string) => `SELECT "s"."id", "s"."grade" FROM "Students" AS "s" ORDER BY ${v}`;
      through(memo, raw(first));
      for (const v of ['2', '0', '1e5', '00']) expectSanitized(through(memo, raw(v)).info, raw(v));
    }
  });

  it('learns nothing from statements whose text is not their pieces and literals (comments, E strings, unlike rows)', () => {
    const memo = new ShapeMemo(undefined);
    for (const raw of [
      `SELECT "Student"."id", "Student"."name" FROM "Students" /* ${MARKER} */ WHERE "id" = 5`,
      `SELECT "Student"."id", "Student"."name" FROM "Students" WHERE "name" = E'${MARKER}'`,
      `INSERT INTO "Appointments" ("id","reason") VALUES (DEFAULT,'${MARKER}'),(DEFAULT,NULL)`,
      `INSERT INTO "Appointments" ("id","reason") VALUES (DEFAULT,'${MARKER}'),(DEFAULT,'b' /* ${MARKER} */)`,
      `INSERT INTO "Appointments" ("id","reason") VALUES (DEFAULT,'${MARKER}'), (DEFAULT,'b'), (7,'c')`,
      `SELECT "Student"."id", "Student"."name" FROM "Students" WHERE x = $q$${MARKER}$q$`,
      `SELECT "Student"."id", "Student"."name" FROM "Students" WHERE x ? 'k'`,
    ]) {
      through(memo, raw);
      through(memo, raw);
    }
    expect(memo.size).to.equal(0);
  });

  it('gives multi-row VALUES of any row count exactly what the lexer gives them (differential, random rows)', () => {
    // rows like the first (same pieces, literals of the same kinds) are one L_ROWS literal;
    // anything else in a further row must make the statement miss, never match wrongly
    const odd = fc.constantFrom('NULL', 'now()', `(SELECT "n"."id" FROM "Nurses" AS "n" LIMIT 1)`, `'a' /* ${MARKER} */`, '$1', `1, 2`, '-3');
    const cell = (kind: number) => fc.oneof({ weight: 12, arbitrary: SLOT_KINDS[kind] }, { weight: 1, arbitrary: odd });
    // one table per run: its column kinds, row separator and tail; statements of 1-5 rows
    const workload = fc.tuple(
      fc.array(fc.constantFrom(0, 1, 7, 8, 12), { minLength: 3, maxLength: 3 }),
      fc.constantFrom(',', ',', ', ', ' ,', ',\n'),
      fc.constantFrom('', ';', ' RETURNING "id"', ' RETURNING "id";', ' ON CONFLICT ("id") DO NOTHING', ') x'),
    ).chain(([kinds, sep, tail]) =>
      fc.array(fc.array(fc.tuple(...kinds.map(cell)), { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 10 }).map((statements) =>
        statements.map((rows) =>
          `INSERT INTO "Appointments" ("id","reason","startsAt","nurseId") VALUES ${rows.map((r) => `(DEFAULT,${r.join(',')})`).join(sep)}${tail}`),
      ),
    );
    let hits = 0;
    let statements = 0;
    fc.assert(
      fc.property(
        workload,
        fc.constantFrom<Array<SanitizeSqlOptions | undefined>>(undefined, { standardConformingStrings: false }, { collapseLists: false }),
        (raws, options) => {
          const memo = new ShapeMemo(options);
          for (const raw of raws) {
            const r = through(memo, raw, options);
            expectSanitized(r.info, raw, options);
            statements++;
            if (r.hit) hits++;
          }
          expect(memo.pieces().flat().join('\n')).to.not.include(MARKER);
        },
      ),
      { numRuns: 400 },
    );
    expect(hits).to.be.greaterThan(statements / 10);
  });

  it('matches a bulk insert with any number of rows once it has learned one', () => {
    const memo = new ShapeMemo(undefined);
    const row = (i: number) => `(DEFAULT,'${MARKER} ${i}','+1-555-${i}',${i})`;
    const bulk = (n: number) =>
      `INSERT INTO "EmergencyContacts" ("id","name","phone","studentId") VALUES ${Array.from({ length: n }, (_, i) => row(i + n)).join(',')} RETURNING "id";`;
    expect(through(memo, bulk(3)).hit).to.equal(false);
    for (const n of [3, 2, 40, 4]) {
      const r = through(memo, bulk(n));
      expect(r.hit, `${n} rows`).to.equal(true);
      expectSanitized(r.info, bulk(n));
    }
    // a single row is another shape (no further rows): learned once, then matched
    expect(through(memo, bulk(1)).hit).to.equal(false);
    expect(through(memo, bulk(1)).hit).to.equal(true);
    expect(memo.pieces().flat().join('\n')).to.not.include(MARKER).and.not.include('555');
  });

  it('keys on the first 32 characters only when they hold no literal', () => {
    const memo = new ShapeMemo(undefined);
    through(memo, `SELECT * FROM t WHERE id = 5 AND "a_long_column_name" = 'x'`);
    expect(memo.size).to.equal(0);
  });

  it('stays bounded: two generations of SHAPE_ENTRIES shapes', () => {
    const memo = new ShapeMemo(undefined);
    for (let i = 0; i < SHAPE_ENTRIES * 5; i++) through(memo, `SELECT "t${i}"."id", "t${i}"."name" FROM "Table${i}" WHERE "id" = ${i}`);
    expect(memo.size).to.be.at.most(2 * SHAPE_ENTRIES).and.at.least(SHAPE_ENTRIES);
  });

  it('serves queryInfoOf: Sequelize statements with new values each time are sanitized once per shape', () => {
    const memo = memoFor(undefined);
    memo.clear();
    const raw = (id: number) =>
      `SELECT "HealthRecord"."id", "HealthRecord"."notes" FROM "HealthRecords" AS "HealthRecord" WHERE "HealthRecord"."studentId" = ${id} LIMIT 20;`;
    for (let id = 1; id <= 5; id++) {
      const info = queryInfoOf({ attributes: { 'db.query.text': raw(id) } } as never)!;
      expectSanitized(info, raw(id));
    }
    expect(memo.shapes.size).to.equal(1);
    expect(memo.shapes.get(raw(99))).to.include({ text: sanitizeSql(raw(99)).text });
    expect(memo.keys()).to.deep.equal([]);
  });
});
