import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { expect } from 'chai';
import { QueryLensSpanProcessor } from '../../src';
import { captureQueries } from '../../src/testing';
import { captureRegistry } from '../../src/testing/captureRegistry';
import { ensureDatabase, pg, pgInstrumentation, testDatabaseUrl, tracedClient } from '../helpers/postgres';
import { harness, installContextManager } from '../helpers/tracing';
import type { Harness } from '../helpers/tracing';

describe('captureQueries', function () {
  this.timeout(30_000);

  describe('without a QueryLensSpanProcessor', () => {
    it('throws a clear error instead of reporting 0 queries', async () => {
      expect(captureRegistry().processors, 'a test leaked a live processor').to.equal(0);
      let error: Error | undefined;
      await captureQueries(() => 1).catch((e: Error) => (error = e));
      expect(error?.message).to.match(/no QueryLensSpanProcessor is registered/);
    });
  });

  describe('with instrumentation-pg against PostgreSQL', () => {
    let h: Harness;
    let client: pg.Client;

    before(async () => {
      await ensureDatabase();
      const setup = new pg.Client({ connectionString: testDatabaseUrl() });
      await setup.connect();
      await setup.query('CREATE TABLE IF NOT EXISTS ql_proc_capture (id int PRIMARY KEY, student_id int, name text)');
      await setup.query(`INSERT INTO ql_proc_capture SELECT g, g, 'Guardian ' || g FROM generate_series(1, 10) g ON CONFLICT DO NOTHING`);
      await setup.end();
    });
    beforeEach(async () => {
      h = harness([new QueryLensSpanProcessor({ nPlusOneWindowMillis: 60_000 })]);
      client = await tracedClient(h.provider);
    });
    afterEach(async () => {
      await client.end();
      pgInstrumentation.disable();
      await h.shutdown();
    });

    const byStudent = (id: number) => client.query(`SELECT * FROM ql_proc_capture WHERE student_id = ${id}`);

    it('returns the sanitized queries, their count and the N+1 of a loop', async () => {
      const captured = await captureQueries(async () => {
        const ids = await client.query('SELECT id FROM ql_proc_capture ORDER BY id LIMIT 6');
        for (const r of ids.rows) await byStudent(r.id);
        return ids.rowCount;
      });
      expect(captured.result).to.equal(6);
      expect(captured.count).to.equal(7);
      expect(captured.queries[1].text).to.equal('SELECT * FROM ql_proc_capture WHERE student_id = ?');
      expect(captured.queries[1].durationMillis).to.be.greaterThan(0);
      expect(captured.nPlusOne.map((d) => [d.count, d.statement, d.parentSpanName])).to.deep.equal([
        [6, 'SELECT * FROM ql_proc_capture WHERE student_id = ?', 'captureQueries'],
      ]);
    });

    it('reports no N+1 for a single batched query', async () => {
      const captured = await captureQueries(() => client.query('SELECT * FROM ql_proc_capture WHERE student_id IN (1, 2, 3, 4, 5, 6)'));
      expect(captured.count).to.equal(1);
      expect(captured.nPlusOne).to.deep.equal([]);
      expect(captured.queries[0].text).not.to.match(/\d/);
    });

    it('supports nested and concurrent captures', async () => {
      const outer = await captureQueries(async () => {
        await byStudent(1);
        const [a, b] = await Promise.all([
          captureQueries(async () => {
            await byStudent(2);
            await byStudent(3);
          }),
          captureQueries(() => byStudent(4)),
        ]);
        return [a.count, b.count];
      });
      expect(outer.result).to.deep.equal([2, 1]);
      expect(outer.count).to.equal(4);
    });

    it('throws when no context manager propagates the capture', async () => {
      context.disable();
      try {
        let error: Error | undefined;
        await captureQueries(() => 1).catch((e: Error) => (error = e));
        expect(error?.message).to.match(/no OpenTelemetry context manager/);
      } finally {
        context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
        installContextManager();
      }
    });
  });
});
