import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/test-app';

describe('DemoController (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  describe('GET /demo/n-plus-one/students-with-nurses', () => {
    it('returns exactly what its eager-loading twin returns', async () => {
      const slow = await t.request('GET', '/demo/n-plus-one/students-with-nurses?limit=15');
      const fast = await t.request('GET', '/demo/eager/students-with-nurses?limit=15');
      expect(slow.status).to.equal(200);
      expect(slow.body).to.have.length(15);
      expect(slow.body).to.deep.equal(fast.body);
      expect(fast.body.some((s: any) => s.nurse !== null)).to.equal(true);
    });
  });

  describe('GET /demo/slow-report', () => {
    it('aggregates students and visits per school and grade', async () => {
      const res = await t.request('GET', '/demo/slow-report?minDurationMillis=0');
      expect(res.status).to.equal(200);
      const students = res.body.reduce((sum: number, r: any) => sum + r.students, 0);
      const [[{ n }]] = (await t.sequelize.query('SELECT COUNT(*)::int AS n FROM students')) as [[{ n: number }], unknown];
      expect(students).to.equal(n);
    });

    it('rejects a duration above 5000 ms with 400', async () => {
      expect((await t.request('GET', '/demo/slow-report?minDurationMillis=60000')).status).to.equal(400);
    });
  });

  describe('DEMO_ENDPOINTS=false', () => {
    it('removes the demonstration routes', async () => {
      await t.close();
      t = await startTestApp({ config: { demoEndpoints: false } });
      expect((await t.request('GET', '/demo/eager/students-with-nurses')).status).to.equal(404);
    });
  });
});
