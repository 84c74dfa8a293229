import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createNurse, createSchool, createStudents } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('UsersController (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  describe('GET /nurses', () => {
    it("lists a school's nurses", async () => {
      const school = await createSchool();
      const nurse = await createNurse(school.id);
      const res = await t.request('GET', `/nurses?schoolId=${school.id}`);
      expect(res.status).to.equal(200);
      expect(res.body.map((n: any) => n.id)).to.deep.equal([nurse.id]);
    });

    it('pages with page and limit', async () => {
      const school = await createSchool();
      for (let i = 0; i < 3; i++) await createNurse(school.id);
      const page1 = await t.request('GET', `/nurses?schoolId=${school.id}&page=1&limit=2`);
      const page2 = await t.request('GET', `/nurses?schoolId=${school.id}&page=2&limit=2`);
      expect(page1.body).to.have.length(2);
      expect(page2.body).to.have.length(1);
      expect(page1.body.map((n: any) => n.id)).not.to.include(page2.body[0].id);
    });
  });

  describe('GET /nurses/:id', () => {
    it('returns the profile and the active workload; 404 for an unknown nurse', async () => {
      const school = await createSchool();
      const nurse = await createNurse(school.id);
      await createStudents(4, { schoolId: school.id, nurseId: nurse.id });
      await createStudents(1, { schoolId: school.id, nurseId: nurse.id, isActive: false });
      const res = await t.request('GET', `/nurses/${nurse.id}`);
      expect(res.status).to.equal(200);
      expect(res.body.workload).to.equal(4);
      expect(res.body.nurse.id).to.equal(nurse.id);
      expect((await t.request('GET', `/nurses/${randomUUID()}`)).status).to.equal(404);
    });
  });
});
