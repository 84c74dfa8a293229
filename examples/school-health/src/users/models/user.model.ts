import { Column, DataType, ForeignKey, BelongsTo, HasMany, Model, Table } from 'sequelize-typescript';
import { School } from '../../schools/models/school.model';
import { Student } from '../../students/models/student.model';

/** Staff roles. Nurses carry a student workload; counselors write mental-health records. */
export enum UserRole {
  Nurse = 'NURSE',
  Counselor = 'COUNSELOR',
  Admin = 'ADMIN',
}

/** A staff member (nurse, counselor or admin). */
@Table({ tableName: 'users', underscored: true, indexes: [{ fields: ['role'] }] })
export class User extends Model {
  @Column({ type: DataType.UUID, defaultValue: DataType.UUIDV4, primaryKey: true })
  declare id: string;

  @Column({ type: DataType.STRING(80), allowNull: false })
  declare firstName: string;

  @Column({ type: DataType.STRING(80), allowNull: false })
  declare lastName: string;

  @Column({ type: DataType.STRING(160), allowNull: false, unique: true })
  declare email: string;

  @Column({ type: DataType.ENUM(...Object.values(UserRole)), allowNull: false })
  declare role: UserRole;

  @ForeignKey(() => School)
  @Column({ type: DataType.UUID, allowNull: true })
  declare schoolId: string | null;

  @BelongsTo(() => School, 'schoolId')
  declare school?: School;

  /** Workload limit enforced by bulk nurse assignment. */
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 150 })
  declare maxStudents: number;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  declare isActive: boolean;

  @HasMany(() => Student, 'nurseId')
  declare students?: Student[];
}
