import { expect } from 'chai';
import { AppointmentsService } from '../../src/appointments/appointments.service';
import { CalendarQueryDto } from '../../src/appointments/dto/calendar-query.dto';
import { itPinsHotPath } from '../support/hot-path';
import { startTestApp, type TestApp } from '../support/test-app';

describe('AppointmentsService (query counts)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  describe('#calendar', () => {
    const query = Object.assign(new CalendarQueryDto(), { date: new Date().toISOString().slice(0, 10) });
    itPinsHotPath(1, () => ({ run: () => t.app.get(AppointmentsService).calendar(query) }), (result) => {
      expect(result.appointments.length).to.be.greaterThan(0);
      expect(result.appointments.every((a) => a.student && a.nurse)).to.equal(true);
    });
  });
});
