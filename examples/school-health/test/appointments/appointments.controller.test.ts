import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Appointment, AppointmentStatus, AppointmentType } from '../../src/appointments/models/appointment.model';
import { createNurse, createSchool, createStudents } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('AppointmentsController (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let nurseId: string;
  let otherNurseId: string;
  let studentIds: string[];
  const day = '2031-03-04';

  before(async () => {
    t = await startTestApp();
    const school = await createSchool();
    nurseId = (await createNurse(school.id)).id;
    otherNurseId = (await createNurse(school.id)).id;
    studentIds = await createStudents(3, { schoolId: school.id });
    const at = (time: string) => new Date(`${day}T${time}Z`);
    await Appointment.bulkCreate([
      { studentId: studentIds[0], nurseId, scheduledDate: at('10:00:00'), type: AppointmentType.Checkup },
      { studentId: studentIds[1], nurseId, scheduledDate: at('08:30:00'), type: AppointmentType.Injury },
      { studentId: studentIds[2], nurseId, scheduledDate: at('09:00:00'), type: AppointmentType.Illness, status: AppointmentStatus.Cancelled },
      { studentId: studentIds[2], nurseId: otherNurseId, scheduledDate: at('11:00:00'), type: AppointmentType.Checkup },
      { studentId: studentIds[0], nurseId, scheduledDate: new Date('2031-03-05T00:00:00Z'), type: AppointmentType.Checkup },
    ]);
  });
  after(async () => t?.close());

  describe('GET /appointments/calendar', () => {
    it("returns a nurse's day in time order, cancelled excluded, with student and nurse loaded", async () => {
      const res = await t.request('GET', `/appointments/calendar?date=${day}&nurseId=${nurseId}`);
      expect(res.status).to.equal(200);
      expect(res.body.appointments.map((a: any) => a.studentId)).to.deep.equal([studentIds[1], studentIds[0]]);
      for (const a of res.body.appointments) {
        expect(a.student).to.have.keys('id', 'firstName', 'lastName', 'grade');
        expect(a.nurse.id).to.equal(nurseId);
        expect(a).not.to.have.property('reason');
      }
    });

    it('returns every nurse when nurseId is omitted', async () => {
      const res = await t.request('GET', `/appointments/calendar?date=${day}`);
      const mine = res.body.appointments.filter((a: any) => studentIds.includes(a.studentId));
      expect(mine).to.have.length(3);
    });

    it('answers 400 on a malformed date', async () => {
      const res = await t.request('GET', '/appointments/calendar?date=04/03/2031');
      expect(res.status).to.equal(400);
      expect(res.body.message).to.deep.equal(['date must be an ISO date (YYYY-MM-DD)']);
    });
  });

  describe('POST /appointments and /:id/cancel', () => {
    it('creates then cancels an appointment; 404 for an unknown one', async () => {
      const created = await t.request('POST', '/appointments', {
        studentId: studentIds[0],
        nurseId,
        scheduledDate: '2031-03-06T09:15:00Z',
        type: 'CHECKUP',
        reason: 'headache',
      });
      expect(created.status).to.equal(201);
      const cancelled = await t.request('POST', `/appointments/${created.body.id}/cancel`);
      expect(cancelled.status).to.equal(200);
      expect((await Appointment.findByPk(created.body.id))?.status).to.equal(AppointmentStatus.Cancelled);
      expect((await t.request('POST', `/appointments/${randomUUID()}/cancel`)).status).to.equal(404);
    });
  });
});
