import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { Student } from '../../students/models/student.model';
import { User } from '../../users/models/user.model';
import { Medication } from './medication.model';

/** One dose given to a student (the administration log). Notes are PHI. */
@Table({ tableName: 'medication_administrations', underscored: true, indexes: [{ fields: ['student_id'] }] })
export class MedicationAdministration extends Model {
  @Column({ type: DataType.UUID, defaultValue: DataType.UUIDV4, primaryKey: true })
  declare id: string;

  @ForeignKey(() => Student)
  @Column({ type: DataType.UUID, allowNull: false })
  declare studentId: string;

  @BelongsTo(() => Student, 'studentId')
  declare student?: Student;

  @ForeignKey(() => Medication)
  @Column({ type: DataType.UUID, allowNull: false })
  declare medicationId: string;

  @BelongsTo(() => Medication, 'medicationId')
  declare medication?: Medication;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: false })
  declare administeredById: string;

  @BelongsTo(() => User, 'administeredById')
  declare administeredBy?: User;

  @Column({ type: DataType.DATE, allowNull: false })
  declare administeredAt: Date;

  @Column({ type: DataType.STRING(40), allowNull: false })
  declare dose: string;

  @Column({ type: DataType.TEXT, allowNull: true })
  declare notes: string | null;
}
