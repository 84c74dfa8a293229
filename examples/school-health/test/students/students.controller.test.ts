import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Student } from '../../src/students/models/student.model';
import { createNurse, createSchool, createStudents } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('StudentsController (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let schoolId: string;
  let nurseId: string;

  before(async () => {
    t = await startTestApp();
    schoolId = (await createSchool()).id;
    nurseId = (await createNurse(schoolId)).id;
    await createStudents(25, { schoolId, nurseId, grade: 3 });
    await createStudents(5, { schoolId, grade: 3, nurseId: null });
  });
  after(async () => t?.close());

  describe('GET /students', () => {
    it('paginates with a distinct total and eager-loads the nurse', async () => {
      const res = await t.request('GET', `/students?schoolId=${schoolId}&limit=10&page=2`);
      expect(res.status).to.equal(200);
      expect(res.body.meta).to.deep.equal({ page: 2, limit: 10, total: 30, pages: 3 });
      expect(res.body.data).to.have.length(10);
      const withNurse = res.body.data.filter((s: any) => s.nurse);
      expect(withNurse.length).to.be.greaterThan(0);
      expect(withNurse[0].nurse).to.have.keys('id', 'firstName', 'lastName');
    });

    it('never returns the SSN or notes', async () => {
      const res = await t.request('GET', `/students?schoolId=${schoolId}&limit=5`);
      for (const s of res.body.data) expect(s).not.to.have.any.keys('ssn', 'notes');
    });

    it('searches by name prefix, treating LIKE wildcards literally', async () => {
      const res = await t.request('GET', `/students?schoolId=${schoolId}&search=Student1`);
      expect(res.body.meta.total).to.equal(12); // Student1, Student10..19 in two batches (1 + 10 in the first, 1 in the second)
      const wild = await t.request('GET', `/students?schoolId=${schoolId}&search=%25`);
      expect(wild.body.meta.total).to.equal(0);
    });

    it('answers 400 with the failing constraint on a bad parameter', async () => {
      const res = await t.request('GET', '/students?limit=500');
      expect(res.status).to.equal(400);
      expect(res.body.message).to.deep.equal(['limit must not be greater than 100']);
      const unknown = await t.request('GET', '/students?color=blue');
      expect(unknown.status).to.equal(400);
      expect(unknown.body.message).to.deep.equal(['property color should not exist']);
    });
  });

  describe('GET /students/:id', () => {
    it('returns the student with nurse, school and emergency contacts', async () => {
      const [id] = await createStudents(1, { schoolId, nurseId });
      const res = await t.request('GET', `/students/${id}`);
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id, schoolId, nurseId });
      expect(res.body.school.id).to.equal(schoolId);
      expect(res.body.nurse.id).to.equal(nurseId);
      expect(res.body.emergencyContacts).to.be.an('array');
      expect(res.body).not.to.have.any.keys('ssn', 'notes');
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expect((await t.request('GET', `/students/${randomUUID()}`)).status).to.equal(404);
      expect((await t.request('GET', '/students/not-a-uuid')).status).to.equal(400);
    });
  });

  describe('POST /students', () => {
    const body = () => ({
      studentNumber: `N${randomUUID().slice(0, 10)}`,
      firstName: 'Ada',
      lastName: 'Testcase',
      dateOfBirth: '2013-04-05',
      grade: 6,
      ssn: `9${String(Math.floor(Math.random() * 100)).padStart(2, '0')}-55-${String(Math.floor(Math.random() * 10000)).padStart(4, '0')}`,
      notes: 'private note',
      schoolId,
    });

    it('creates a student and hides the SSN and notes in the response', async () => {
      const dto = body();
      const res = await t.request('POST', '/students', dto);
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ firstName: 'Ada', grade: 6, schoolId });
      expect(res.body).not.to.have.any.keys('ssn', 'notes');
      const stored = await Student.findByPk(res.body.id);
      expect(stored?.ssn).to.equal(dto.ssn);
    });

    it('answers 409 on a duplicate SSN without echoing it', async () => {
      const dto = body();
      expect((await t.request('POST', '/students', dto)).status).to.equal(201);
      const res = await t.request('POST', '/students', { ...dto, studentNumber: `N${randomUUID().slice(0, 10)}` });
      expect(res.status).to.equal(409);
      expect(res.body.message).to.equal('A record with the same ssn already exists');
      expect(JSON.stringify(res.body)).not.to.contain(dto.ssn);
    });

    it('answers 400 naming the invalid fields', async () => {
      const res = await t.request('POST', '/students', { ...body(), grade: 13, ssn: '123456789', extra: 1 });
      expect(res.status).to.equal(400);
      expect(res.body.message).to.include.members(['property extra should not exist', 'grade must not be greater than 12', 'ssn must have the form NNN-NN-NNNN']);
    });

    it('answers 400 when the school does not exist', async () => {
      const res = await t.request('POST', '/students', { ...body(), schoolId: randomUUID() });
      expect(res.status).to.equal(400);
      expect(res.body.message).to.equal('The request references a record that does not exist');
    });
  });

  describe('PATCH /students/:id', () => {
    it('updates allowed fields and 404s on an unknown student', async () => {
      const [id] = await createStudents(1, { schoolId });
      const res = await t.request('PATCH', `/students/${id}`, { grade: 7 });
      expect(res.status).to.equal(200);
      expect(res.body.grade).to.equal(7);
      expect((await Student.findByPk(id))?.grade).to.equal(7);
      expect((await t.request('PATCH', `/students/${randomUUID()}`, { grade: 7 })).status).to.equal(404);
    });
  });

  describe('GET /students/graduating', () => {
    it('returns grade-12 students with totals computed from their transcripts', async () => {
      const res = await t.request('GET', '/students/graduating?limit=50');
      expect(res.status).to.equal(200);
      expect(res.body.data.length).to.be.greaterThan(0);
      for (const s of res.body.data) {
        expect(s.totalCredits).to.be.a('number');
        expect(s.eligible).to.equal(s.totalCredits >= 20 && (s.cumulativeGpa ?? 0) >= 2);
      }
      const rows = await Student.findAll({ where: { id: res.body.data.map((s: any) => s.id) }, attributes: ['grade', 'isActive'] });
      expect(rows.every((r) => r.grade === 12 && r.isActive)).to.equal(true);
    });
  });
});
