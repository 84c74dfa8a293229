import { expect } from 'chai';
import type { Transaction } from 'sequelize';
import { createSchool, createStudents } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('StudentsBulkService pool backpressure (HTTP, pool of 2)', () => {
  let t: TestApp;
  let ids: string[];
  before(async () => {
    t = await startTestApp({ config: { poolMax: 2 } });
    ids = await createStudents(5, { schoolId: (await createSchool()).id, grade: 1 });
  });
  after(async () => t?.close());

  /** Holds every pool connection in an open transaction (the pool is 100% utilized). */
  async function exhaustPool(): Promise<Transaction[]> {
    return Promise.all([t.sequelize.transaction(), t.sequelize.transaction()]);
  }

  describe('#gradeTransition', () => {
    it('answers 503 with Retry-After when the pool stays saturated past the wait', async () => {
      const held = await exhaustPool();
      try {
        const res = await fetch(`${t.baseUrl}/students/bulk/grade-transition`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ studentIds: ids }),
        });
        expect(res.status).to.equal(503);
        expect(res.headers.get('retry-after')).to.equal('1');
        expect(((await res.json()) as { message: string }).message).to.equal('The database is busy; retry shortly');
      } finally {
        await Promise.all(held.map((tx) => tx.rollback()));
      }
    });

    it('waits for the pressure to drop, then runs', async () => {
      const held = await exhaustPool();
      setTimeout(() => void Promise.all(held.map((tx) => tx.rollback())), 300);
      const res = await t.request('POST', '/students/bulk/grade-transition', { studentIds: ids });
      expect(res.status).to.equal(200);
      expect(res.body.promoted).to.equal(5);
    });
  });
});
