import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** The medication catalog (not PHI; very stable, cached 30 minutes). */
@Table({ tableName: 'medications', underscored: true })
export class Medication extends Model {
  @Column({ type: DataType.UUID, defaultValue: DataType.UUIDV4, primaryKey: true })
  declare id: string;

  @Column({ type: DataType.STRING(120), allowNull: false })
  declare name: string;

  @Column({ type: DataType.STRING(120), allowNull: false })
  declare genericName: string;

  /** E.g. tablet, inhaler, injection. */
  @Column({ type: DataType.STRING(40), allowNull: false })
  declare form: string;

  @Column({ type: DataType.STRING(40), allowNull: false })
  declare strength: string;

  /** National Drug Code (synthetic in the seed). */
  @Column({ type: DataType.STRING(20), allowNull: false, unique: true })
  declare ndc: string;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  declare controlledSubstance: boolean;
}
