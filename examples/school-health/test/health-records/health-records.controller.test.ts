import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { HealthRecord, HealthRecordType } from '../../src/health-records/models/health-record.model';
import { MentalHealthRecord, RiskLevel } from '../../src/health-records/models/mental-health-record.model';
import { User, UserRole } from '../../src/users/models/user.model';
import { createSchool, createStudents } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('HealthRecordsController (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let studentId: string;

  before(async () => {
    t = await startTestApp();
    const school = await createSchool();
    [studentId] = await createStudents(1, { schoolId: school.id });
    const counselor = await User.create({ firstName: 'C', lastName: 'Counselor', email: `c.${randomUUID()}@t.example`, role: UserRole.Counselor });
    const rec = (recordType: HealthRecordType, recordDate: string) => ({ studentId, recordType, recordDate, title: 'T', description: 'secret description' });
    await HealthRecord.bulkCreate([
      rec(HealthRecordType.Visit, '2030-01-01'),
      rec(HealthRecordType.Visit, '2030-02-01'),
      rec(HealthRecordType.Allergy, '2029-05-05'),
    ]);
    await MentalHealthRecord.bulkCreate(
      Array.from({ length: 3 }, (_, i) => ({
        studentId,
        counselorId: counselor.id,
        createdById: counselor.id,
        sessionDate: `2030-0${i + 1}-10`,
        sessionType: 'CHECK_IN',
        riskLevel: RiskLevel.Low,
        sessionNotes: 'very private notes',
        diagnosis: 'private diagnosis',
      })),
    );
  });
  after(async () => t?.close());

  describe('GET /health-records/student/:id/summary', () => {
    it('counts records by type with the latest date, and lists the recent ones', async () => {
      const res = await t.request('GET', `/health-records/student/${studentId}/summary`);
      expect(res.status).to.equal(200);
      expect(res.body.totalRecords).to.equal(3);
      expect(res.body.byType).to.deep.include({ recordType: 'VISIT', count: 2, lastRecordDate: '2030-02-01' });
      expect(res.body.recent.map((r: any) => r.recordDate)).to.deep.equal(['2030-02-01', '2030-01-01', '2029-05-05']);
      expect(JSON.stringify(res.body)).not.to.contain('secret description');
    });

    it('answers 404 for an unknown student', async () => {
      expect((await t.request('GET', `/health-records/student/${randomUUID()}/summary`)).status).to.equal(404);
    });
  });

  describe('GET /health-records/student/:id/mental-health', () => {
    it('pages the timeline newest first, with counselor and creator, without notes or diagnosis', async () => {
      const res = await t.request('GET', `/health-records/student/${studentId}/mental-health?limit=2`);
      expect(res.status).to.equal(200);
      expect(res.body.meta).to.deep.equal({ page: 1, limit: 2, total: 3, pages: 2 });
      expect(res.body.data.map((r: any) => r.sessionDate)).to.deep.equal(['2030-03-10', '2030-02-10']);
      for (const r of res.body.data) {
        expect(r).not.to.have.any.keys('sessionNotes', 'diagnosis');
        expect(r.counselor.lastName).to.equal('Counselor');
        expect(r.creator.id).to.equal(r.counselor.id);
      }
    });
  });

  describe('POST /health-records', () => {
    it('creates a record and rejects an unknown record type with 400', async () => {
      const ok = await t.request('POST', '/health-records', { studentId, recordType: 'SCREENING', recordDate: '2030-03-03', title: 'Vision' });
      expect(ok.status).to.equal(201);
      const bad = await t.request('POST', '/health-records', { studentId, recordType: 'XRAY', recordDate: '2030-03-03', title: 'Vision' });
      expect(bad.status).to.equal(400);
    });
  });
});
