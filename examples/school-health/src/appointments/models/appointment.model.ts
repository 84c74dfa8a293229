import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { Student } from '../../students/models/student.model';
import { User } from '../../users/models/user.model';

export enum AppointmentStatus {
  Scheduled = 'SCHEDULED',
  Completed = 'COMPLETED',
  Cancelled = 'CANCELLED',
  NoShow = 'NO_SHOW',
}

export enum AppointmentType {
  Checkup = 'CHECKUP',
  Medication = 'MEDICATION',
  Screening = 'SCREENING',
  Injury = 'INJURY',
  Illness = 'ILLNESS',
  FollowUp = 'FOLLOW_UP',
}

/** A visit to the school nurse. The reason is PHI. */
@Table({ tableName: 'appointments', underscored: true, indexes: [{ fields: ['student_id'] }, { fields: ['scheduled_date'] }, { fields: ['nurse_id', 'scheduled_date'] }] })
export class Appointment extends Model {
  @Column({ type: DataType.UUID, defaultValue: DataType.UUIDV4, primaryKey: true })
  declare id: string;

  @ForeignKey(() => Student)
  @Column({ type: DataType.UUID, allowNull: false })
  declare studentId: string;

  @BelongsTo(() => Student, 'studentId')
  declare student?: Student;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: false })
  declare nurseId: string;

  @BelongsTo(() => User, 'nurseId')
  declare nurse?: User;

  @Column({ type: DataType.DATE, allowNull: false })
  declare scheduledDate: Date;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 15 })
  declare durationMinutes: number;

  @Column({ type: DataType.ENUM(...Object.values(AppointmentType)), allowNull: false })
  declare type: AppointmentType;

  @Column({ type: DataType.ENUM(...Object.values(AppointmentStatus)), allowNull: false, defaultValue: AppointmentStatus.Scheduled })
  declare status: AppointmentStatus;

  @Column({ type: DataType.TEXT, allowNull: true })
  declare reason: string | null;
}
