import { Column, DataType, HasMany, Model, Table } from 'sequelize-typescript';
import { Student } from '../../students/models/student.model';

/** A school of the district. Not PHI. */
@Table({ tableName: 'schools', underscored: true })
export class School extends Model {
  @Column({ type: DataType.UUID, defaultValue: DataType.UUIDV4, primaryKey: true })
  declare id: string;

  @Column({ type: DataType.STRING(120), allowNull: false })
  declare name: string;

  /** Short unique code, e.g. `WC-NORTH`. */
  @Column({ type: DataType.STRING(20), allowNull: false, unique: true })
  declare code: string;

  @Column({ type: DataType.STRING(120), allowNull: false })
  declare district: string;

  @HasMany(() => Student, 'schoolId')
  declare students?: Student[];
}
