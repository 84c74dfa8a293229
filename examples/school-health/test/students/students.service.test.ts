import { expect } from 'chai';
import { captureQueries } from '@querylens/core/testing';
import { QueryCache } from '@querylens/sequelize';
import { StudentFilterDto } from '../../src/students/dto/student-filter.dto';
import { GraduatingStudentsDto } from '../../src/students/dto/graduating-students.dto';
import { AcademicTranscript } from '../../src/students/models/academic-transcript.model';
import { StudentsService } from '../../src/students/students.service';
import { createNurse, createSchool, createStudents } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

function filter(values: Partial<StudentFilterDto>): StudentFilterDto {
  return Object.assign(new StudentFilterDto(), values);
}

describe('StudentsService (query counts)', () => {
  let t: TestApp;
  let students: StudentsService;
  let schoolId: string;

  before(async () => {
    t = await startTestApp();
    students = t.app.get(StudentsService);
    schoolId = (await createSchool()).id;
    const nurse = await createNurse(schoolId);
    await createStudents(40, { schoolId, nurseId: nurse.id });
  });
  after(async () => t?.close());

  describe('#findAll', () => {
    it('costs 2 queries on a miss (count + page, nurse joined), never an N+1', async () => {
      const miss = await captureQueries(() => students.findAll(filter({ schoolId, limit: 25 })));
      expect(miss.count, miss.queries.map((q) => q.summary).join(' | ')).to.equal(2);
      expect(miss.nPlusOne).to.deep.equal([]);
      expect(miss.result.data).to.have.length(25);
      expect(miss.result.data.every((s) => s.nurse)).to.equal(true);
    });

    it('costs 0 queries on a hit (cached 5 minutes)', async () => {
      await students.findAll(filter({ schoolId, limit: 25 }));
      const hit = await captureQueries(() => students.findAll(filter({ schoolId, limit: 25 })));
      expect(hit.count).to.equal(0);
      expect(hit.result.meta.total).to.equal(40);
    });

    it('is invalidated by a write to students (no stale total)', async () => {
      await students.findAll(filter({ schoolId, limit: 5 }));
      await createStudents(1, { schoolId });
      const after = await captureQueries(() => students.findAll(filter({ schoolId, limit: 5 })));
      expect(after.count).to.equal(2);
      expect(after.result.meta.total).to.equal(41);
    });

    it('counts its hits in cache.stats()', async () => {
      const cache = t.app.get(QueryCache);
      const before = cache.stats().hits;
      await students.findAll(filter({ schoolId, limit: 7 }));
      await students.findAll(filter({ schoolId, limit: 7 }));
      expect(cache.stats().hits).to.equal(before + 1);
    });
  });

  describe('#findOne', () => {
    it('costs 1 query on a miss (nurse, school and contacts joined)', async () => {
      const [id] = await createStudents(1, { schoolId });
      const miss = await captureQueries(() => students.findOne(id));
      expect(miss.count).to.equal(1);
      expect(miss.result.id).to.equal(id);
    });

    it('costs 0 queries on a hit (cached 10 minutes)', async () => {
      const [id] = await createStudents(1, { schoolId });
      await students.findOne(id);
      const hit = await captureQueries(() => students.findOne(id));
      expect(hit.count).to.equal(0);
    });
  });

  describe('#findGraduating', () => {
    it('costs 2 queries (students + one batch of transcripts) for 3 or 60 seniors', async () => {
      const counts: number[] = [];
      for (const n of [3, 60]) {
        const school = await createSchool();
        const ids = await createStudents(n, { schoolId: school.id, grade: 12 });
        await AcademicTranscript.bulkCreate(ids.flatMap((studentId) => [9, 10, 11].map((grade) => ({ studentId, grade, schoolYear: `20${grade + 10}-20${grade + 11}`, gpa: '3.00', credits: 7 }))));
        const c = await captureQueries(() => students.findGraduating(Object.assign(new GraduatingStudentsDto(), { schoolId: school.id })));
        expect(c.result.total).to.equal(n);
        expect(c.result.data.every((s) => s.totalCredits === 21 && s.cumulativeGpa === 3 && s.eligible)).to.equal(true);
        expect(c.nPlusOne).to.deep.equal([]);
        counts.push(c.count);
      }
      expect(counts).to.deep.equal([2, 2]);
    });
  });
});
