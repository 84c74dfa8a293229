import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { EmergencyContact } from '../../src/emergency-contacts/models/emergency-contact.model';
import { createSchool, createStudents } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('EmergencyContactsController (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  describe('GET /emergency-contacts/statistics', () => {
    it('aggregates every contact by relationship, priority and pick-up permission', async () => {
      const res = await t.request('GET', '/emergency-contacts/statistics');
      expect(res.status).to.equal(200);
      const total = await EmergencyContact.count();
      const verified = await EmergencyContact.count({ where: { isVerified: true } });
      expect(res.body.total).to.equal(total);
      const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
      expect(sum(res.body.byRelationship)).to.equal(total);
      expect(Object.values(res.body.byPriority).reduce((a: number, p: any) => a + p.verified, 0)).to.equal(verified);
      expect(res.body.pickUp.allowed + res.body.pickUp.notAllowed).to.equal(total);
    });
  });

  describe('POST and GET /emergency-contacts/student/:id', () => {
    it("creates a contact and lists the student's contacts", async () => {
      const school = await createSchool();
      const [studentId] = await createStudents(1, { schoolId: school.id });
      const body = { firstName: 'Pat', lastName: 'Contact', relationship: 'GUARDIAN', phone: '555-0100', priority: 'PRIMARY' };
      expect((await t.request('POST', `/emergency-contacts/student/${studentId}`, body)).status).to.equal(201);
      const list = await t.request('GET', `/emergency-contacts/student/${studentId}`);
      expect(list.body).to.have.length(1);
      expect(list.body[0]).to.include({ firstName: 'Pat', relationship: 'GUARDIAN' });
    });

    it('answers 404 for an unknown student and 400 for a bad phone', async () => {
      const body = { firstName: 'Pat', lastName: 'Contact', relationship: 'GUARDIAN', phone: '555-0100', priority: 'PRIMARY' };
      expect((await t.request('POST', `/emergency-contacts/student/${randomUUID()}`, body)).status).to.equal(404);
      const bad = await t.request('POST', `/emergency-contacts/student/${randomUUID()}`, { ...body, phone: 'call me' });
      expect(bad.status).to.equal(400);
    });
  });
});
