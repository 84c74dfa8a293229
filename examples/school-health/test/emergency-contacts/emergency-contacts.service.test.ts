import { expect } from 'chai';
import { EmergencyContactsService } from '../../src/emergency-contacts/emergency-contacts.service';
import { EmergencyContact } from '../../src/emergency-contacts/models/emergency-contact.model';
import { itPinsHotPath } from '../support/hot-path';
import { startTestApp, type TestApp } from '../support/test-app';

describe('EmergencyContactsService (query counts)', () => {
  let t: TestApp;
  let studentId: string;
  before(async () => {
    t = await startTestApp();
    studentId = (await EmergencyContact.findOne({ where: { priority: 'PRIMARY' }, attributes: ['studentId'] }))!.studentId;
  });
  after(async () => t?.close());

  describe('#forStudent', () => {
    itPinsHotPath(1, () => ({ run: () => t.app.get(EmergencyContactsService).forStudent(studentId) }), (contacts) => {
      expect(contacts.length).to.be.greaterThan(0);
      expect(contacts[0].priority).to.equal('PRIMARY');
    });
  });

  describe('#statistics', () => {
    itPinsHotPath(3, () => ({ run: () => t.app.get(EmergencyContactsService).statistics() }), (stats) => {
      expect(stats.total).to.be.greaterThan(0);
    });
  });
});
