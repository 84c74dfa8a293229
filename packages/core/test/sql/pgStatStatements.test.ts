import { expect } from 'chai';
import { Client } from 'pg';
import { sanitizeSql } from '../../src/sql/sanitizeSql';

/**
 * Validates the fingerprint against PostgreSQL itself: a generated workload runs on a
 * real server with pg_stat_statements, and our fingerprint groups must be its queryid
 * groups, except where we collapse IN-lists and multi-row VALUES on purpose (PostgreSQL
 * 15 gives each list length its own queryid).
 */

const DATABASE = 'ql_core_test';
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function databaseUrl(name: string): string {
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

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

/**
 * Statement shapes as tokens. `$s` string (standard, E'' or dollar-quoted), `$i` integer,
 * `$n` integer that may be negative, `$d` date string, `$b` boolean, `$L` integer IN-list,
 * `$LS` string IN-list, `$R` one or more VALUES rows. Tokens are joined with random
 * whitespace and comments, and unquoted words get random letter case.
 */
const SHAPES: string[] = [
  'SELECT id , name FROM ql_sql_patients WHERE id = $i',
  'SELECT * FROM ql_sql_patients WHERE name = $s',
  'SELECT p.id , s.name FROM ql_sql_patients p JOIN ql_sql_schools s ON s.id = p.school_id WHERE p.name = $s AND s.id = $i',
  'SELECT id FROM ql_sql_patients WHERE id IN $L',
  'SELECT id FROM ql_sql_patients WHERE name IN $LS AND active = $b',
  'INSERT INTO ql_sql_visits ( patient_id , reason ) VALUES ( $i , $s )',
  'INSERT INTO ql_sql_visits ( reason , patient_id ) VALUES $R',
  'UPDATE ql_sql_patients SET notes = $s WHERE id = $i',
  'DELETE FROM ql_sql_visits WHERE reason = $s AND patient_id = $i',
  "SELECT count(*) FROM ql_sql_visits WHERE visited_at > $d::timestamptz",
  'SELECT id FROM ql_sql_patients WHERE dob BETWEEN $d AND $d',
  'SELECT name FROM ql_sql_patients ORDER BY id LIMIT $i OFFSET $i',
  'SELECT school_id , count(*) FROM ql_sql_patients WHERE name LIKE $s GROUP BY school_id HAVING count(*) > $i',
  'SELECT name FROM ql_sql_patients WHERE school_id = $n',
  'SELECT id FROM ql_sql_patients WHERE active = $b AND ssn = $s',
  'UPDATE ql_sql_patients SET name = $s , notes = $s WHERE id = $i AND school_id = $i',
  'WITH recent AS ( SELECT patient_id FROM ql_sql_visits WHERE reason = $s ) SELECT p.name FROM ql_sql_patients p JOIN recent r ON r.patient_id = p.id',
  'SELECT p.name FROM ql_sql_patients p WHERE EXISTS ( SELECT 1 FROM ql_sql_visits v WHERE v.patient_id = p.id AND v.reason = $s )',
  'SELECT "id" , "dob" FROM "ql_sql_patients" WHERE "ssn" = $s',
  'SELECT s.name , count(p.id) FROM ql_sql_schools s LEFT JOIN ql_sql_patients p ON p.school_id = s.id WHERE s.id > $i GROUP BY s.name ORDER BY s.name DESC',
];

interface Generated {
  sql: string;
  shape: number;
  /** List lengths / row counts: the part of the shape we collapse on purpose ('' if none). */
  collapseKey: string;
}

function generate(count: number, seed: number): Generated[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (): string => String(1 + Math.floor(r() * 100000));
  const words = ['Alice', 'Smith', "O'Brien", 'back\\slash', 'new\nline', 'dollar $$ sign', 'asthma -- note', '/* not a comment */', 'Zoë'];
  const str = (): string => {
    const v = `${pick(words)} ${int()}`;
    switch (Math.floor(r() * 3)) {
      case 0:
        return `'${v.replace(/'/g, "''")}'`;
      case 1:
        return `E'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
      default:
        return `$q$${v}$q$`;
    }
  };
  const spaces = [' ', ' ', ' ', '  ', '\n', '\t', ' /* note */ ', ' -- note\n'];
  const out: Generated[] = [];
  for (let k = 0; k < count; k++) {
    const shape = k % SHAPES.length;
    const keys: number[] = [];
    const tokens = SHAPES[shape].split(' ').map((t) => {
      const m = /^(\$(?:LS|[sindbLR]))(.*)$/.exec(t);
      if (m === null) {
        if (t.startsWith('"')) return t;
        return t.replace(/[a-z]/gi, (ch) => (r() < 0.3 ? (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) : ch));
      }
      let v: string;
      switch (m[1]) {
        case '$s': v = str(); break;
        case '$i': v = int(); break;
        case '$n': v = String(Math.floor(r() * 2001) - 1000); break;
        case '$d': v = `'20${10 + Math.floor(r() * 15)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}'`; break;
        case '$b': v = r() < 0.5 ? 'true' : 'FALSE'; break;
        case '$L': {
          const n = 2 + Math.floor(r() * 3);
          keys.push(n);
          v = `(${Array.from({ length: n }, int).join(', ')})`;
          break;
        }
        case '$LS': {
          const n = 2 + Math.floor(r() * 3);
          keys.push(n);
          v = `(${Array.from({ length: n }, str).join(',')})`;
          break;
        }
        default: {
          const n = 1 + Math.floor(r() * 3);
          keys.push(n);
          v = Array.from({ length: n }, () => `(${str()}, ${int()})`).join(pick([', ', ',\n', ',']));
        }
      }
      return v + m[2];
    });
    let sql = tokens[0];
    for (let t = 1; t < tokens.length; t++) sql += pick(spaces) + tokens[t];
    out.push({ sql, shape, collapseKey: keys.join('x') });
  }
  return out;
}

/** Partition of indexes 0..n-1 by key, as a canonical string (sorted groups of sorted indexes). */
function partition(keys: string[]): string {
  const groups = new Map<string, number[]>();
  keys.forEach((k, idx) => {
    const g = groups.get(k);
    if (g) g.push(idx);
    else groups.set(k, [idx]);
  });
  return [...groups.values()].map((g) => g.join(',')).sort().join(' | ');
}

describe('sanitizeSql', () => {
  describe('#fingerprint against pg_stat_statements', function () {
    this.timeout(120_000);
    let client: Client;
    let dbid: string;

    before(async () => {
      const admin = new Client({ connectionString: baseUrl });
      await admin.connect();
      try {
        const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
        if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
      } finally {
        await admin.end();
      }
      client = new Client({ connectionString: databaseUrl(DATABASE) });
      await client.connect();
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      // temporary tables: private to this session, so parallel runs of this suite cannot clash,
      // and their OIDs (hence queryids) are unique to this run
      await client.query('CREATE TEMP TABLE ql_sql_schools (id int PRIMARY KEY, name text NOT NULL)');
      await client.query(
        'CREATE TEMP TABLE ql_sql_patients (id int PRIMARY KEY, name text, ssn text, dob date, notes text, school_id int, active boolean)',
      );
      await client.query(
        'CREATE TEMP TABLE ql_sql_visits (id serial PRIMARY KEY, patient_id int, reason text, visited_at timestamptz DEFAULT now())',
      );
      await client.query(
        "INSERT INTO ql_sql_schools VALUES (1, 'North'), (2, 'South'); INSERT INTO ql_sql_patients SELECT g, 'p' || g, 'x', DATE '2012-01-01' + g, NULL, 1 + g % 2, g % 3 = 0 FROM generate_series(1, 50) g",
      );
      dbid = (await client.query('SELECT oid::text AS oid FROM pg_database WHERE datname = current_database()')).rows[0].oid;
    });

    after(async () => {
      if (client) await client.end();
    });

    it('keeps ORDER BY / GROUP BY ordinals apart and ignores a trailing semicolon, as queryid does', async () => {
      const statements = [
        'SELECT id, name FROM ql_sql_patients ORDER BY 1',
        'SELECT id, name FROM ql_sql_patients ORDER BY 2',
        'SELECT id, name FROM ql_sql_patients ORDER BY 2;',
        'SELECT id, name FROM ql_sql_patients ORDER BY 1, 2 DESC LIMIT 5',
        'SELECT id, name FROM ql_sql_patients ORDER BY 1, 2 DESC LIMIT 7 ; -- done',
        'SELECT id, name FROM ql_sql_patients ORDER BY 2, 1 DESC LIMIT 5',
        'SELECT school_id, count(*) FROM ql_sql_patients GROUP BY 1',
        'SELECT school_id, count(*) FROM ql_sql_patients GROUP BY 1 ORDER BY 2',
        'SELECT school_id, count(*) FROM ql_sql_patients GROUP BY 1 ORDER BY 1',
        'SELECT id FROM ql_sql_patients WHERE id > 3 ORDER BY id + 1',
        'SELECT id FROM ql_sql_patients WHERE id > 4 ORDER BY id + 2;',
      ];
      const queryIds: string[] = [];
      for (const sql of statements) {
        const plan = await client.query(`EXPLAIN (VERBOSE) ${sql}`);
        const line = plan.rows.map((row) => row['QUERY PLAN'] as string).find((l) => l.startsWith('Query Identifier:'));
        expect(line, sql).to.be.a('string');
        queryIds.push((line as string).slice('Query Identifier:'.length).trim());
      }
      expect(new Set(queryIds).size).to.equal(8);
      expect(partition(statements.map((sql) => sanitizeSql(sql).fingerprint))).to.equal(partition(queryIds));
    });

    it('groups a generated workload exactly as queryid does, except the IN-list and VALUES collapsing', async () => {
      const workload = generate(SHAPES.length * 16, 20261129);
      expect(workload.length).to.be.at.least(300);

      // 1. PostgreSQL's queryid for every statement (EXPLAIN VERBOSE prints the same id pg_stat_statements uses)
      const queryIds: string[] = [];
      for (const st of workload) {
        const plan = await client.query(`EXPLAIN (VERBOSE) ${st.sql}`);
        const line = plan.rows.map((row) => row['QUERY PLAN'] as string).find((l) => l.startsWith('Query Identifier:'));
        expect(line, st.sql).to.be.a('string');
        queryIds.push((line as string).slice('Query Identifier:'.length).trim());
      }

      // 2. run the workload and read pg_stat_statements. The statistics are cluster-wide and
      //    shared with other suites: reset only our own entries (our dbid and queryids).
      const expectedCalls = new Map<string, number>();
      for (const q of queryIds) expectedCalls.set(q, (expectedCalls.get(q) ?? 0) + 1);
      let stats = new Map<string, { calls: number; query: string }>();
      for (let attempt = 0; attempt < 3; attempt++) {
        for (const q of expectedCalls.keys()) {
          await client.query('SELECT pg_stat_statements_reset(0, $1::oid, $2::bigint)', [dbid, q]);
        }
        for (const st of workload) await client.query(st.sql);
        const rows = await client.query(
          'SELECT queryid::text AS queryid, calls::int AS calls, query FROM pg_stat_statements WHERE dbid = $1::oid AND toplevel',
          [dbid],
        );
        stats = new Map(rows.rows.map((row) => [row.queryid as string, { calls: row.calls as number, query: row.query as string }]));
        // someone else may reset the (cluster-wide) statistics meanwhile: then run again
        if ([...expectedCalls].every(([q, n]) => stats.get(q)?.calls === n)) break;
      }
      for (const [q, n] of expectedCalls) {
        expect(stats.get(q)?.calls, `calls of queryid ${q}`).to.equal(n);
      }

      // 3. PostgreSQL replaced as many constants as we replaced literals (lists not collapsed)
      for (const [q, { query }] of stats) {
        const idx = queryIds.indexOf(q);
        if (idx < 0) continue;
        const placeholders = (query.match(/\$\d+/g) ?? []).length;
        const ours = (sanitizeSql(workload[idx].sql, { collapseLists: false }).text.match(/\?/g) ?? []).length;
        expect(ours, query).to.equal(placeholders);
      }

      // 4. the groups
      const fingerprints = workload.map((st) => sanitizeSql(st.sql).fingerprint);
      const byShape = SHAPES.map((_, shape) => [...new Set(workload.filter((st) => st.shape === shape).map((st) => fingerprints[workload.indexOf(st)]))]);
      byShape.forEach((prints, shape) => expect(prints, SHAPES[shape]).to.have.length(1));
      for (let a = 0; a < SHAPES.length; a++) {
        for (let b = a + 1; b < SHAPES.length; b++) {
          expect(byShape[a][0], `${SHAPES[a]} vs ${SHAPES[b]}`).not.to.equal(byShape[b][0]);
        }
      }
      expect(partition(workload.map((st, k) => `${fingerprints[k]}/${st.collapseKey}`))).to.equal(partition(queryIds));

      // 5. the collapsing, explicitly: one fingerprint spans one queryid per list length
      const collapsed = workload.filter((st) => st.collapseKey !== '');
      const collapsedShapes = new Set(collapsed.map((st) => st.shape));
      expect(collapsedShapes.size).to.equal(3);
      for (const shape of collapsedShapes) {
        const idx = workload.map((st, k) => (st.shape === shape ? k : -1)).filter((k) => k >= 0);
        expect(new Set(idx.map((k) => fingerprints[k])).size, SHAPES[shape]).to.equal(1);
        const ids = new Set(idx.map((k) => queryIds[k]));
        const lengths = new Set(idx.map((k) => workload[k].collapseKey));
        expect(ids.size, SHAPES[shape]).to.be.greaterThan(1);
        expect(ids.size, SHAPES[shape]).to.equal(lengths.size);
      }
    });
  });
});
