import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { Student } from '../../students/models/student.model';
import { User } from '../../users/models/user.model';

export enum HealthRecordType {
  Visit = 'VISIT',
  Immunization = 'IMMUNIZATION',
  Allergy = 'ALLERGY',
  Screening = 'SCREENING',
  Injury = 'INJURY',
  Illness = 'ILLNESS',
}

/** A general health record entry. Title and description are PHI. */
@Table({ tableName: 'health_records', underscored: true, indexes: [{ fields: ['record_type'] }, { fields: ['student_id', 'record_date'] }] })
export class HealthRecord extends Model {
  @Column({ type: DataType.UUID, defaultValue: DataType.UUIDV4, primaryKey: true })
  declare id: string;

  @ForeignKey(() => Student)
  @Column({ type: DataType.UUID, allowNull: false })
  declare studentId: string;

  @BelongsTo(() => Student, 'studentId')
  declare student?: Student;

  @Column({ type: DataType.ENUM(...Object.values(HealthRecordType)), allowNull: false })
  declare recordType: HealthRecordType;

  @Column({ type: DataType.DATEONLY, allowNull: false })
  declare recordDate: string;

  @Column({ type: DataType.STRING(160), allowNull: false })
  declare title: string;

  @Column({ type: DataType.TEXT, allowNull: true })
  declare description: string | null;

  @ForeignKey(() => User)
  @Column({ type: DataType.UUID, allowNull: true })
  declare createdById: string | null;

  @BelongsTo(() => User, 'createdById')
  declare createdBy?: User | null;
}
