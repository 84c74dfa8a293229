import { BelongsTo, Column, DataType, ForeignKey, HasMany, Model, Table } from 'sequelize-typescript';
import { School } from '../../schools/models/school.model';
import { User } from '../../users/models/user.model';
import { EmergencyContact } from '../../emergency-contacts/models/emergency-contact.model';
import { AcademicTranscript } from './academic-transcript.model';

/** Grade 0 is kindergarten, 12 is the final year. */
export const MIN_GRADE = 0;
export const MAX_GRADE = 12;

/** Columns that hold PHI beyond the name and are never returned by the API. */
export const STUDENT_PRIVATE_ATTRIBUTES = ['ssn', 'notes'] as const;

/** A student. Name, date of birth, SSN and notes are PHI. */
@Table({ tableName: 'students', underscored: true, indexes: [{ fields: ['last_name'] }, { fields: ['grade'] }, { fields: ['school_id'] }, { fields: ['nurse_id'] }] })
export class Student extends Model {
  @Column({ type: DataType.UUID, defaultValue: DataType.UUIDV4, primaryKey: true })
  declare id: string;

  @Column({ type: DataType.STRING(20), allowNull: false, unique: true })
  declare studentNumber: string;

  @Column({ type: DataType.STRING(80), allowNull: false })
  declare firstName: string;

  @Column({ type: DataType.STRING(80), allowNull: false })
  declare lastName: string;

  @Column({ type: DataType.DATEONLY, allowNull: false })
  declare dateOfBirth: string;

  @Column({ type: DataType.INTEGER, allowNull: false })
  declare grade: number;

  /** Unique when present; never selected by list/detail queries. */
  @Column({ type: DataType.STRING(11), allowNull: true, unique: true })
  declare ssn: string | null;

  @Column({ type: DataType.TEXT, allowNull: true })
  declare notes: string | null;

  @ForeignKey(() => School)
  @Column({ type: DataType.UUID, allowNull: false })
  declare schoolId: string;

  @BelongsTo(() => School, 'schoolId')
  declare school?: School;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: true })
  declare nurseId: string | null;

  @BelongsTo(() => User, 'nurseId')
  declare nurse?: User | null;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  declare isActive: boolean;

  @Column({ type: DataType.DATEONLY, allowNull: false })
  declare enrollmentDate: string;

  @Column({ type: DataType.DATEONLY, allowNull: true })
  declare graduationDate: string | null;

  /** Stamped by the bulk transfer. */
  @Column({ type: DataType.DATE, allowNull: true })
  declare transferredAt: Date | null;

  @Column({ type: DataType.UUID, allowNull: true })
  declare previousSchoolId: string | null;

  @HasMany(() => EmergencyContact, 'studentId')
  declare emergencyContacts?: EmergencyContact[];

  @HasMany(() => AcademicTranscript, 'studentId')
  declare transcripts?: AcademicTranscript[];
}
