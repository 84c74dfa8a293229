import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Student } from '../../src/students/models/student.model';
import { createNurse, createSchool, createStudents } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('StudentsBulkService (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  describe('#gradeTransition', () => {
    it('promotes active students, graduates grade 12, skips inactive ones', async () => {
      const school = await createSchool();
      const nurse = await createNurse(school.id);
      const juniors = await createStudents(3, { schoolId: school.id, grade: 4 });
      const seniors = await createStudents(2, { schoolId: school.id, grade: 12, nurseId: nurse.id });
      const inactive = await createStudents(1, { schoolId: school.id, grade: 4, isActive: false });
      const res = await t.request('POST', '/students/bulk/grade-transition', { studentIds: [...juniors, ...seniors, ...inactive] });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ requested: 6, promoted: 3, graduated: 2, skipped: 1 });
      const rows = await Student.findAll({ where: { id: [...juniors, ...seniors, ...inactive] } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const id of juniors) expect(byId.get(id)?.grade).to.equal(5);
      for (const id of seniors) expect(byId.get(id)).to.include({ grade: 12, isActive: false, nurseId: null });
      for (const id of seniors) expect(byId.get(id)?.graduationDate).to.be.a('string');
      expect(byId.get(inactive[0])?.grade).to.equal(4);
    });

    it('changes nothing and answers 404 when an id does not exist (one transaction)', async () => {
      const school = await createSchool();
      const ids = await createStudents(2, { schoolId: school.id, grade: 2 });
      const res = await t.request('POST', '/students/bulk/grade-transition', { studentIds: [...ids, randomUUID()] });
      expect(res.status).to.equal(404);
      expect(res.body.message).to.equal('1 of 3 students do not exist');
      const rows = await Student.findAll({ where: { id: ids } });
      expect(rows.map((r) => r.grade)).to.deep.equal([2, 2]);
    });

    it('rejects an empty, duplicated or malformed id list with 400', async () => {
      const id = randomUUID();
      for (const studentIds of [[], [id, id], ['x']]) {
        expect((await t.request('POST', '/students/bulk/grade-transition', { studentIds })).status).to.equal(400);
      }
    });
  });

  describe('#assignNurse', () => {
    it('assigns within the workload limit and counts students already assigned', async () => {
      const school = await createSchool();
      const nurse = await createNurse(school.id, 5);
      const mine = await createStudents(2, { schoolId: school.id, nurseId: nurse.id });
      const others = await createStudents(3, { schoolId: school.id });
      const res = await t.request('POST', '/students/bulk/assign-nurse', { nurseId: nurse.id, studentIds: [...mine, ...others] });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ nurseId: nurse.id, assigned: 3, alreadyAssigned: 2, workload: 5, maxStudents: 5 });
      expect(await Student.count({ where: { nurseId: nurse.id } })).to.equal(5);
    });

    it('answers 409 and assigns nobody when the limit would be exceeded', async () => {
      const school = await createSchool();
      const nurse = await createNurse(school.id, 4);
      await createStudents(3, { schoolId: school.id, nurseId: nurse.id });
      const others = await createStudents(2, { schoolId: school.id });
      const res = await t.request('POST', '/students/bulk/assign-nurse', { nurseId: nurse.id, studentIds: others });
      expect(res.status).to.equal(409);
      expect(res.body.message).to.equal('Nurse workload limit exceeded: 3 assigned + 2 requested > limit 4');
      expect(await Student.count({ where: { nurseId: nurse.id } })).to.equal(3);
    });

    it('answers 404 for an unknown nurse', async () => {
      const school = await createSchool();
      const ids = await createStudents(1, { schoolId: school.id });
      const res = await t.request('POST', '/students/bulk/assign-nurse', { nurseId: randomUUID(), studentIds: ids });
      expect(res.status).to.equal(404);
    });
  });

  describe('#transfer', () => {
    it('moves students, unassigns their nurse and stamps the transfer', async () => {
      const from = await createSchool();
      const to = await createSchool();
      const nurse = await createNurse(from.id);
      const movers = await createStudents(4, { schoolId: from.id, nurseId: nurse.id });
      const stayer = await createStudents(1, { schoolId: to.id });
      const res = await t.request('POST', '/students/bulk/transfer', { toSchoolId: to.id, studentIds: [...movers, ...stayer] });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ toSchoolId: to.id, transferred: 4, alreadyAtSchool: 1 });
      const rows = await Student.findAll({ where: { id: movers } });
      for (const r of rows) {
        expect(r).to.include({ schoolId: to.id, previousSchoolId: from.id, nurseId: null });
        expect(r.transferredAt?.toISOString()).to.equal(res.body.transferredAt);
      }
      const unchanged = await Student.findByPk(stayer[0]);
      expect(unchanged?.transferredAt).to.equal(null);
    });

    it('answers 404 for an unknown school', async () => {
      const school = await createSchool();
      const ids = await createStudents(1, { schoolId: school.id });
      expect((await t.request('POST', '/students/bulk/transfer', { toSchoolId: randomUUID(), studentIds: ids })).status).to.equal(404);
    });
  });
});
