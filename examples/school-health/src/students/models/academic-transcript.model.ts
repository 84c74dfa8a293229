import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { Student } from './student.model';

/** One school year of a student's academic history (read in batch for graduating students). */
@Table({ tableName: 'academic_transcripts', underscored: true, indexes: [{ fields: ['student_id'] }] })
export class AcademicTranscript extends Model {
  @Column({ type: DataType.UUID, defaultValue: DataType.UUIDV4, primaryKey: true })
  declare id: string;

  @ForeignKey(() => Student)
  @Column({ type: DataType.UUID, allowNull: false })
  declare studentId: string;

  @BelongsTo(() => Student, 'studentId')
  declare student?: Student;

  /** E.g. `2025-2026`. */
  @Column({ type: DataType.STRING(9), allowNull: false })
  declare schoolYear: string;

  @Column({ type: DataType.INTEGER, allowNull: false })
  declare grade: number;

  @Column({ type: DataType.DECIMAL(3, 2), allowNull: false })
  declare gpa: string;

  @Column({ type: DataType.INTEGER, allowNull: false })
  declare credits: number;
}
