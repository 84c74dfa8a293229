import { expect } from 'chai';
import { MedicationAdministration } from '../../src/medications/models/medication-administration.model';
import { createNurse, createSchool, createStudents } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('MedicationsController (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  describe('GET /medications', () => {
    it('returns the catalog sorted by name', async () => {
      const res = await t.request('GET', '/medications');
      expect(res.status).to.equal(200);
      expect(res.body.length).to.be.greaterThan(5);
      const names = res.body.map((m: any) => m.name);
      expect(names).to.deep.equal([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    });
  });

  describe('POST /medications/administrations/batch', () => {
    it('logs every dose of the batch and lists them in the student log', async () => {
      const school = await createSchool();
      const nurse = await createNurse(school.id);
      const [studentId] = await createStudents(1, { schoolId: school.id });
      const [med] = (await t.request('GET', '/medications')).body;
      const doses = Array.from({ length: 3 }, (_, i) => ({
        studentId,
        medicationId: med.id,
        administeredById: nurse.id,
        administeredAt: `2030-01-0${i + 1}T12:00:00Z`,
        dose: '1 tablet',
      }));
      const res = await t.request('POST', '/medications/administrations/batch', { administrations: doses });
      expect(res.status).to.equal(201);
      expect(res.body).to.deep.equal({ logged: 3 });
      expect(await MedicationAdministration.count({ where: { studentId } })).to.equal(3);
      const log = await t.request('GET', `/medications/administrations/student/${studentId}?limit=2`);
      expect(log.body.meta.total).to.equal(3);
      expect(log.body.data[0].medication.id).to.equal(med.id);
      expect(log.body.data[0].administeredBy.id).to.equal(nurse.id);
    });

    it('validates nested doses (400)', async () => {
      const res = await t.request('POST', '/medications/administrations/batch', { administrations: [{ dose: '' }] });
      expect(res.status).to.equal(400);
      expect(res.body.message.some((m: string) => m.startsWith('administrations.0.'))).to.equal(true);
    });
  });
});
