import { expect } from 'chai';
import { captureQueries } from '@querylens/core/testing';
import { StudentsBulkService } from '../../src/students/students-bulk.service';
import { Student } from '../../src/students/models/student.model';
import { createNurse, createSchool, createStudents } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

/** Statements of each bulk operation whatever the number of students: START, SET isolation level, the batch reads and set-based UPDATEs, COMMIT. */
const EXPECTED = { gradeTransition: 6, assignNurse: 7, transfer: 6 };

describe('StudentsBulkService (constant query counts, 10 vs 1000 students)', () => {
  let t: TestApp;
  let bulk: StudentsBulkService;
  before(async () => {
    t = await startTestApp();
    bulk = t.app.get(StudentsBulkService);
  });
  after(async () => t?.close());

  for (const size of [10, 1000]) {
    describe(`with ${size} students`, () => {
      it(`#gradeTransition runs ${EXPECTED.gradeTransition} statements`, async () => {
        const school = await createSchool();
        const ids = await createStudents(size, { schoolId: school.id, grade: 3 });
        const c = await captureQueries(() => bulk.gradeTransition({ studentIds: ids }));
        expect(c.result.promoted).to.equal(size);
        expect(c.count, c.queries.map((q) => q.summary).join(' | ')).to.equal(EXPECTED.gradeTransition);
        expect(c.nPlusOne).to.deep.equal([]);
      });

      it(`#assignNurse runs ${EXPECTED.assignNurse} statements`, async () => {
        const school = await createSchool();
        const nurse = await createNurse(school.id, 2000);
        const ids = await createStudents(size, { schoolId: school.id });
        const c = await captureQueries(() => bulk.assignNurse({ nurseId: nurse.id, studentIds: ids }));
        expect(c.result.assigned).to.equal(size);
        expect(c.count, c.queries.map((q) => q.summary).join(' | ')).to.equal(EXPECTED.assignNurse);
      });

      it(`#transfer runs ${EXPECTED.transfer} statements`, async () => {
        const from = await createSchool();
        const to = await createSchool();
        const ids = await createStudents(size, { schoolId: from.id });
        const c = await captureQueries(() => bulk.transfer({ toSchoolId: to.id, studentIds: ids }));
        expect(c.result.transferred).to.equal(size);
        expect(c.count, c.queries.map((q) => q.summary).join(' | ')).to.equal(EXPECTED.transfer);
        expect(await Student.count({ where: { schoolId: to.id } })).to.equal(size);
      });
    });
  }
});
