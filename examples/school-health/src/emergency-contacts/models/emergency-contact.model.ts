import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { Student } from '../../students/models/student.model';

export enum ContactRelationship {
  Mother = 'MOTHER',
  Father = 'FATHER',
  Guardian = 'GUARDIAN',
  Grandparent = 'GRANDPARENT',
  Sibling = 'SIBLING',
  Other = 'OTHER',
}

export enum ContactPriority {
  Primary = 'PRIMARY',
  Secondary = 'SECONDARY',
  Other = 'OTHER',
}

/** A student's emergency contact. Name, phone and email are PHI. */
@Table({ tableName: 'emergency_contacts', underscored: true, indexes: [{ fields: ['student_id'] }] })
export class EmergencyContact extends Model {
  @Column({ type: DataType.UUID, defaultValue: DataType.UUIDV4, primaryKey: true })
  declare id: string;

  @ForeignKey(() => Student)
  @Column({ type: DataType.UUID, allowNull: false })
  declare studentId: string;

  @BelongsTo(() => Student, 'studentId')
  declare student?: Student;

  @Column({ type: DataType.STRING(80), allowNull: false })
  declare firstName: string;

  @Column({ type: DataType.STRING(80), allowNull: false })
  declare lastName: string;

  @Column({ type: DataType.ENUM(...Object.values(ContactRelationship)), allowNull: false })
  declare relationship: ContactRelationship;

  @Column({ type: DataType.STRING(20), allowNull: false })
  declare phone: string;

  @Column({ type: DataType.STRING(160), allowNull: true })
  declare email: string | null;

  @Column({ type: DataType.ENUM(...Object.values(ContactPriority)), allowNull: false })
  declare priority: ContactPriority;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  declare isVerified: boolean;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  declare canPickUp: boolean;
}
