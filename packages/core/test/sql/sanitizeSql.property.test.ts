import { expect } from 'chai';
import fc from 'fast-check';
import { sanitizeSql } from '../../src/sql/sanitizeSql';

/** Stands for PHI inside every generated literal; it must never reach the output. */
const MARKER = 'Qx7Phi';
/** Digits that stand for PHI inside numeric literals. */
const NUMBER_MARKER = '8675309';

/** Characters that break naive scanners, plus any code point and lone surrogates. */
const nastyChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("'", "''", '"', '\\', '\\\'', '$', '$$', '$q$', '*/', '/*', '--', '\n', '\r', ';', 'E\'', 'U&', '(', ')', ',', ' ', '\t', '0', '-1', 'é', '😀') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
);
const content = fc.tuple(fc.array(nastyChar, { maxLength: 12 }), fc.array(nastyChar, { maxLength: 12 }))
  .map(([a, b]) => a.join('') + MARKER + b.join(''));

type Kind = 'std' | 'stdOff' | 'escape' | 'dollar' | 'unicode' | 'national' | 'number' | 'block' | 'line';
const literalKinds: Kind[] = ['std', 'escape', 'dollar', 'unicode', 'national', 'number'];

interface Slot {
  kind: Kind;
  value: string;
}

/** Encodes `value` as a literal (or comment) of `kind` that PostgreSQL would read back as `value`. */
function encode(slot: Slot): string {
  const v = slot.value;
  switch (slot.kind) {
    case 'std':
      return `'${v.replace(/'/g, "''")}'`;
    case 'stdOff':
      return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
    case 'escape':
      return `E'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'national':
      return `N'${v.replace(/'/g, "''")}'`;
    case 'unicode':
      return `U&'${v.replace(/'/g, "''")}'`;
    case 'dollar': {
      let k = 0;
      while (`${v}$t${k}$`.indexOf(`$t${k}$`) !== v.length) k++;
      return `$t${k}$${v}$t${k}$`;
    }
    case 'number': {
      const digits = v.replace(/[^0-9]/g, '').slice(0, 6);
      const forms = [`${NUMBER_MARKER}${digits}`, `-${NUMBER_MARKER}.${digits}5`, `${NUMBER_MARKER}e-${digits.length}`, `.${NUMBER_MARKER}`, `0x${NUMBER_MARKER}`];
      return forms[v.length % forms.length];
    }
    case 'block': {
      let body = v;
      for (let prev = ''; prev !== body; ) {
        prev = body;
        body = body.replace(/\*\//g, '* /').replace(/\/\*/g, '/ *');
      }
      // a trailing '*' or leading '/' would fuse with the delimiters
      return `/* ${body} */`;
    }
    case 'line':
      return `-- ${v.replace(/[\r\n]/g, ' ')}\n`;
  }
}

/** Statement templates; each `{}` sits where a literal is grammatical and follows a space, `(`, `,` or `=`. */
const TEMPLATES = [
  'SELECT * FROM p WHERE name = {} AND id = {}',
  'INSERT INTO "Patients" ("name","ssn") VALUES ({},{}) RETURNING "id"',
  'UPDATE "Patients" SET "notes" = {} WHERE "id" = {}',
  'SELECT {}, {} FROM p JOIN q ON q.x = p.y WHERE x IN ({}, {}, {})',
  'SELECT a FROM p WHERE b = {}::text OR c LIKE {} ESCAPE {}',
  'DELETE FROM visits WHERE reason = {};',
  'SELECT f({},{}) AS x FROM p WHERE n <> {} ORDER BY name LIMIT {}',
  'WITH r AS (SELECT {} AS v) SELECT * FROM r WHERE v = {}',
  'SELECT {}',
];

const slotArb = (kinds: Kind[]): fc.Arbitrary<Slot> => fc.record({ kind: fc.constantFrom(...kinds), value: content });

interface Statement {
  sql: string;
  expected: string;
  template: string;
  slots: Slot[];
}

function build(template: string, slots: Slot[]): Statement {
  const pieces = template.split('{}');
  let sql = pieces[0];
  let expected = pieces[0];
  for (let k = 0; k < slots.length; k++) {
    const next = pieces[k + 1];
    sql += encode(slots[k]) + next;
    let replacement = '?';
    if (slots[k].kind === 'line') replacement = '\n';
    else if (slots[k].kind === 'block') {
      const before = expected.charAt(expected.length - 1);
      const after = next.charAt(0);
      replacement = before !== '' && after !== '' && !/\s/.test(before) && !/\s/.test(after) ? ' ' : '';
    }
    expected += replacement + next;
  }
  return { sql, expected, template, slots };
}

const statementArb = (kinds: Kind[]): fc.Arbitrary<Statement> =>
  fc.constantFrom(...TEMPLATES).chain((template) => {
    const n = template.split('{}').length - 1;
    return fc.array(slotArb(kinds), { minLength: n, maxLength: n }).map((slots) => build(template, slots));
  });

function expectNoPhi(text: string, summary: string): void {
  expect(text).not.to.include(MARKER);
  expect(summary).not.to.include(MARKER);
  expect(text).not.to.include(NUMBER_MARKER);
}

describe('sanitizeSql (properties)', () => {
  describe('#text', () => {
    it('replaces exactly the literals and comments of random statements, whatever their content', () => {
      fc.assert(
        fc.property(statementArb([...literalKinds, 'block', 'line']), (st) => {
          const r = sanitizeSql(st.sql, { collapseLists: false });
          expect(r.text).to.equal(st.expected);
          expectNoPhi(r.text, r.summary);
        }),
        { numRuns: 1500 },
      );
    });

    it('does the same with standard_conforming_strings off', () => {
      fc.assert(
        fc.property(statementArb(['stdOff', 'escape', 'dollar', 'number', 'block']), (st) => {
          const r = sanitizeSql(st.sql, { collapseLists: false, standardConformingStrings: false });
          expect(r.text).to.equal(st.expected);
          expectNoPhi(r.text, r.summary);
        }),
        { numRuns: 500 },
      );
    });

    it('never leaks literal content with the default options (list collapsing on)', () => {
      fc.assert(
        fc.property(statementArb(literalKinds), (st) => {
          const r = sanitizeSql(st.sql);
          expectNoPhi(r.text, r.summary);
        }),
        { numRuns: 500 },
      );
    });

    it('fails closed when a statement is cut inside a literal', () => {
      fc.assert(
        fc.property(statementArb(['std', 'escape', 'dollar', 'unicode', 'block']), fc.nat(), (st, pick) => {
          const first = st.sql.indexOf(MARKER);
          if (first < 0) return;
          const markers: number[] = [];
          for (let at = first; at >= 0; at = st.sql.indexOf(MARKER, at + 1)) markers.push(at);
          // cut right after a complete marker, before its literal ends
          const at = markers[pick % markers.length] + MARKER.length;
          const r = sanitizeSql(st.sql.slice(0, at));
          expectNoPhi(r.text, r.summary);
        }),
        { numRuns: 800 },
      );
    });
  });

  describe('#fingerprint', () => {
    it('ignores the literal values', () => {
      fc.assert(
        fc.property(statementArb(literalKinds), fc.array(content, { minLength: 6, maxLength: 6 }), (st, others) => {
          const other = build(st.template, st.slots.map((s, k) => ({ kind: s.kind, value: others[k] })));
          expect(sanitizeSql(other.sql).fingerprint).to.equal(sanitizeSql(st.sql).fingerprint);
        }),
        { numRuns: 500 },
      );
    });

    it('ignores whitespace, comments, letter case outside quotes and IN-list length', () => {
      const spacing = fc.constantFrom(' ', '  ', '\n', '\t ', ' /* Qx7Phi */ ', ' -- note\n');
      fc.assert(
        fc.property(
          fc.array(spacing, { minLength: 40, maxLength: 40 }),
          fc.array(fc.boolean(), { minLength: 120, maxLength: 120 }),
          fc.array(fc.integer({ min: 1, max: 99999 }), { minLength: 1, maxLength: 30 }),
          (spaces, upper, list) => {
            const base = `SELECT "P"."id", name FROM "Patients" AS "P" JOIN schools s ON s.id = "P".school_id WHERE s.name = 'x' AND "P".id IN (${list.join(', ')}) ORDER BY name`;
            let quoted = false;
            let w = 0;
            let varied = '';
            for (let k = 0; k < base.length; k++) {
              const ch = base[k];
              if (ch === '"') quoted = !quoted;
              if (ch === ' ' && !quoted) varied += spaces[w++ % spaces.length];
              else if (!quoted && /[a-z]/i.test(ch)) varied += upper[k % upper.length] ? ch.toUpperCase() : ch.toLowerCase();
              else varied += ch;
            }
            const canonical = base.replace(/IN \([^)]*\)/, 'IN (7)');
            expect(sanitizeSql(varied).fingerprint).to.equal(sanitizeSql(canonical).fingerprint);
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  describe('robustness', () => {
    const sqlish = fc.array(
      fc.oneof(
        nastyChar,
        fc.constantFrom('SELECT ', 'FROM ', 'IN (', 'VALUES (', 'E\'', 'U&"', '"', 'x', '1', '.', '+', '-', ':', '::', '[', ']', ' '),
      ),
      { maxLength: 60 },
    ).map((a) => a.join(''));

    it('never throws, and keeps its output contract, for any string', () => {
      fc.assert(
        fc.property(fc.oneof(sqlish, fc.string({ unit: 'binary' }), fc.string()), fc.integer({ min: 1, max: 200 }), (sql, maxLength) => {
          const r = sanitizeSql(sql, { maxLength });
          expect(r.text).to.be.a('string');
          expect(r.text.length).to.be.at.most(maxLength);
          expect(r.summary.length).to.be.at.most(255);
          expect(r.fingerprint).to.match(/^[0-9a-f]{16}$/);
        }),
        { numRuns: 3000 },
      );
    });
  });
});
