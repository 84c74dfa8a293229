import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { Op, WhereOptions } from 'sequelize';
import { utcDayRange } from '../common/util/dates';
import { CacheTtlSeconds, cached } from '../database/cache-policy';
import { Student } from '../students/models/student.model';
import { User } from '../users/models/user.model';
import { CalendarQueryDto } from './dto/calendar-query.dto';
import { CreateAppointmentDto } from './dto/create-appointment.dto';
import { Appointment, AppointmentStatus } from './models/appointment.model';

@Injectable()
export class AppointmentsService {
  constructor(@InjectModel(Appointment) private readonly appointments: typeof Appointment) {}

  /**
   * The appointment calendar of a day (and nurse) (hot path): student and nurse eager-loaded in
   * the same query, cancelled visits excluded, ordered by time, cached 5 minutes. One query on a miss.
   */
  async calendar(query: CalendarQueryDto): Promise<{ date: string; nurseId: string | null; appointments: Appointment[] }> {
    const where: WhereOptions = {
      scheduledDate: { [Op.between]: utcDayRange(query.date) },
      status: { [Op.ne]: AppointmentStatus.Cancelled },
    };
    if (query.nurseId) Object.assign(where, { nurseId: query.nurseId });
    const appointments = await this.appointments.findAll({
      where,
      attributes: ['id', 'scheduledDate', 'durationMinutes', 'type', 'status', 'studentId', 'nurseId'],
      include: [
        { model: Student, as: 'student', attributes: ['id', 'firstName', 'lastName', 'grade'] },
        { model: User, as: 'nurse', attributes: ['id', 'firstName', 'lastName'] },
      ],
      order: [
        ['scheduledDate', 'ASC'],
        ['id', 'ASC'],
      ],
      ...cached(CacheTtlSeconds.appointmentCalendar, 'appointment_calendar'),
    });
    return { date: query.date, nurseId: query.nurseId ?? null, appointments };
  }

  async create(dto: CreateAppointmentDto): Promise<Appointment> {
    const scheduledDate = new Date(dto.scheduledDate);
    if (Number.isNaN(scheduledDate.getTime())) throw new BadRequestException('scheduledDate is not a valid date');
    return this.appointments.create({ ...dto, scheduledDate });
  }

  async cancel(id: string): Promise<Appointment> {
    const appointment = await this.appointments.findByPk(id, { attributes: ['id', 'status'] });
    if (!appointment) throw new NotFoundException('Appointment not found');
    await appointment.update({ status: AppointmentStatus.Cancelled });
    return appointment;
  }
}
