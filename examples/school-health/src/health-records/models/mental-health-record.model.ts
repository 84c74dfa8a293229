import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { Student } from '../../students/models/student.model';
import { User } from '../../users/models/user.model';

export enum RiskLevel {
  Low = 'LOW',
  Moderate = 'MODERATE',
  High = 'HIGH',
}

/** Columns excluded from every timeline read unless explicitly requested by code (never by the API). */
export const MENTAL_HEALTH_SENSITIVE_ATTRIBUTES = ['sessionNotes', 'diagnosis'] as const;

/** A counseling session. Session notes and diagnosis are the most sensitive PHI of the app. */
@Table({ tableName: 'mental_health_records', underscored: true, indexes: [{ fields: ['student_id', 'session_date'] }] })
export class MentalHealthRecord extends Model {
  @Column({ type: DataType.UUID, defaultValue: DataType.UUIDV4, primaryKey: true })
  declare id: string;

  @ForeignKey(() => Student)
  @Column({ type: DataType.UUID, allowNull: false })
  declare studentId: string;

  @BelongsTo(() => Student, 'studentId')
  declare student?: Student;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: false })
  declare counselorId: string;

  @BelongsTo(() => User, 'counselorId')
  declare counselor?: User;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: false })
  declare createdById: string;

  @BelongsTo(() => User, 'createdById')
  declare creator?: User;

  @Column({ type: DataType.DATEONLY, allowNull: false })
  declare sessionDate: string;

  @Column({ type: DataType.STRING(40), allowNull: false })
  declare sessionType: string;

  @Column({ type: DataType.ENUM(...Object.values(RiskLevel)), allowNull: false })
  declare riskLevel: RiskLevel;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  declare followUpRequired: boolean;

  @Column({ type: DataType.TEXT, allowNull: true })
  declare sessionNotes: string | null;

  @Column({ type: DataType.STRING(160), allowNull: true })
  declare diagnosis: string | null;
}
