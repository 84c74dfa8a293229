import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { expect } from 'chai';
import { AttributeNames, N_PLUS_ONE_EVENT, QueryLensSpanProcessor, SLOW_QUERY_EVENT } from '../../src';
import { ensureDatabase, pg, pgInstrumentation, testDatabaseUrl, tracedClient } from '../helpers/postgres';
import { exported, harness } from '../helpers/tracing';
import type { Harness } from '../helpers/tracing';

const SSN = '078-05-1120';
const NAME = 'Alice Smith';

describe('QueryLensSpanProcessor with instrumentation-pg against PostgreSQL', function () {
  this.timeout(30_000);
  let h: Harness;
  let ql: QueryLensSpanProcessor;
  let client: pg.Client;

  before(async () => {
    await ensureDatabase();
    const setup = new pg.Client({ connectionString: testDatabaseUrl() });
    await setup.connect();
    await setup.query('DROP TABLE IF EXISTS ql_proc_guardians; DROP TABLE IF EXISTS ql_proc_students');
    await setup.query('CREATE TABLE ql_proc_students (id serial PRIMARY KEY, name text NOT NULL, ssn text UNIQUE)');
    await setup.query('CREATE TABLE ql_proc_guardians (id serial PRIMARY KEY, student_id int NOT NULL, name text)');
    await setup.query(`INSERT INTO ql_proc_students (name, ssn) SELECT 'S' || g, 'ssn-' || g FROM generate_series(1, 10) g`);
    await setup.query('INSERT INTO ql_proc_guardians (student_id, name) SELECT g, $1 FROM generate_series(1, 10) g', [NAME]);
    await setup.end();
  });

  beforeEach(async () => {
    // A wide N+1 window: a loaded machine must not turn a loop into a non-loop (the window rule is unit-tested).
    ql = new QueryLensSpanProcessor({ slowQueryMillis: 250, nPlusOneWindowMillis: 60_000 });
    h = harness([ql]);
    client = await tracedClient(h.provider);
    h.exporter.reset();
  });

  afterEach(async () => {
    await client.end();
    pgInstrumentation.setConfig({});
    pgInstrumentation.disable();
    await h.shutdown();
  });

  const tracer = () => h.provider.getTracer('app');
  const pgSpans = () => h.spans().filter((s) => s.name.startsWith('pg.query'));

  it('detects an N+1 loop (inlined values, as Sequelize sends them) and adds the event to the request span', async () => {
    await tracer().startActiveSpan('GET /students', async (req) => {
      const students = await client.query('SELECT id FROM ql_proc_students ORDER BY id LIMIT 6');
      for (const s of students.rows) await client.query(`SELECT * FROM ql_proc_guardians WHERE student_id = ${s.id}`);
      req.end();
    });
    const r = ql.report();
    expect(r.n1Detections.map((d) => [d.count, d.parentSpanName, d.statement])).to.deep.equal([
      [6, 'GET /students', 'SELECT * FROM ql_proc_guardians WHERE student_id = ?'],
    ]);
    const req = h.spans().find((s) => s.name === 'GET /students')!;
    const ev = req.events.find((e) => e.name === N_PLUS_ONE_EVENT)!;
    expect(ev.attributes!['querylens.n_plus_one.count']).to.equal(6);
    expect(pgSpans().filter((s) => s.attributes[AttributeNames.N_PLUS_ONE] === true)).to.have.length(2);
    expect(r.totalQueries).to.equal(7);
  });

  it('detects a concurrent loop through a pg.Pool, with pg-pool.connect spans in between', async () => {
    pgInstrumentation.setTracerProvider(h.provider);
    const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 3 });
    try {
      await tracer().startActiveSpan('GET /guardians', async (req) => {
        await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((id) => pool.query('SELECT * FROM ql_proc_guardians WHERE student_id = $1', [id])));
        req.end();
      });
    } finally {
      await pool.end();
    }
    expect(h.spans().some((s) => s.name === 'pg-pool.connect')).to.equal(true);
    expect(ql.report().n1Detections.map((d) => d.count)).to.deep.equal([8]);
  });

  it('flags a slow pg_sleep with the event, and records the application call site once armed', async () => {
    await client.query('SELECT pg_sleep(0.3)');
    await client.query('SELECT pg_sleep(0.3)');
    await client.query('SELECT 1');
    const [first, second, fast] = pgSpans();
    expect(first.attributes[AttributeNames.SLOW_QUERY]).to.equal(true);
    expect(first.events.map((e) => e.name)).to.include(SLOW_QUERY_EVENT);
    expect(second.attributes['code.stacktrace']).to.be.a('string').that.includes('QueryLensSpanProcessor.pg.test.ts');
    expect(String(second.attributes['code.stacktrace'])).not.to.include('node_modules');
    expect(fast.attributes).not.to.have.property(AttributeNames.SLOW_QUERY);
    const r = ql.report();
    expect(r.slowQueries).to.equal(2);
    const d = r.queryDistribution;
    expect(d.medium + d.slow + d.verySlow).to.equal(2);
  });

  it('lets no SSN out of a unique violation, a bad cast, or an app span recording the error detail', async () => {
    pgInstrumentation.setConfig({ enhancedDatabaseReporting: true });
    await client.query(`INSERT INTO ql_proc_students (name, ssn) VALUES ('${NAME}', '${SSN}')`);
    await tracer().startActiveSpan('POST /students', async (app) => {
      try {
        await client.query('INSERT INTO ql_proc_students (name, ssn) VALUES ($1, $2)', [NAME, SSN]);
        expect.fail('unique violation expected');
      } catch (err) {
        const e = err as Error & { detail?: string };
        expect(e.detail).to.include(SSN);
        app.recordException(new Error(`${e.message}: ${e.detail}`));
        app.setStatus({ code: SpanStatusCode.ERROR, message: `${e.message}: ${e.detail}` });
      }
      await client.query(`SELECT '${SSN}'::int`).catch((err: Error) => expect(err.message).to.include(SSN));
      app.end();
    });
    await client.query(`DELETE FROM ql_proc_students WHERE ssn = '${SSN}'`);
    const spans = h.spans();
    const text = exported(spans);
    expect(text).not.to.include(SSN).and.not.to.include(NAME);
    expect(text).to.include('Key (ssn)=(?) already exists');
    expect(text).to.include('invalid input syntax for type integer: \\"?\\"');
    expect(spans.some((s) => 'db.postgresql.values' in s.attributes)).to.equal(false);
  });

  it('counts the queries of code run outside any request as root spans, without N+1 grouping', async () => {
    await context.with(trace.deleteSpan(context.active()), async () => {
      for (let i = 1; i <= 6; i++) await client.query(`SELECT * FROM ql_proc_guardians WHERE student_id = ${i}`);
    });
    const r = ql.report();
    expect(r.totalQueries).to.equal(6);
    expect(r.n1Detections).to.deep.equal([]);
  });
});
