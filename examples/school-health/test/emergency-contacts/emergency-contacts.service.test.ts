import { expect } from 'chai';
import { EmergencyContactsService } from '../../src/emergency-contacts/emergency-contacts.service';
import { itPinsHotPath } from '../support/hot-path';
import { startTestApp, type TestApp } from '../support/test-app';

describe('EmergencyContactsService (query counts)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  describe('#statistics', () => {
    itPinsHotPath(3, () => ({ run: () => t.app.get(EmergencyContactsService).statistics() }), (stats) => {
      expect(stats.total).to.be.greaterThan(0);
    });
  });
});
