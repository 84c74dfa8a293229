import 'reflect-metadata';
import { expect } from 'chai';
import { BelongsTo, Column, DataType, ForeignKey, HasMany, Model, Sequelize, Table } from 'sequelize-typescript';
import { MemoryStore, QueryCache } from '../../src';
import { ensureDatabase, testDatabaseUrl } from '../support/db';

// Decorators applied by hand, exactly as TypeScript's legacy (experimentalDecorators)
// emit does: the test runner (tsx/esbuild) would emit TC39 decorators instead.
class TsNurse extends Model {
  declare name: string;
  declare students: TsStudent[];
}
class TsStudent extends Model {
  declare name: string;
  declare nurseId: number;
  declare nurse: TsNurse;
}
Column(DataType.STRING)(TsNurse.prototype, 'name');
HasMany(() => TsStudent)(TsNurse.prototype, 'students');
Table({ tableName: 'ts_nurses_qc' })(TsNurse);
Column(DataType.STRING)(TsStudent.prototype, 'name');
ForeignKey(() => TsNurse)(TsStudent.prototype, 'nurseId');
Column(DataType.INTEGER)(TsStudent.prototype, 'nurseId');
BelongsTo(() => TsNurse)(TsStudent.prototype, 'nurse');
Table({ tableName: 'ts_students_qc' })(TsStudent);

describe('QueryCache with sequelize-typescript', function () {
  this.timeout(30_000);
  let sequelize: Sequelize;
  let cache: QueryCache;

  before(async () => {
    await ensureDatabase();
    sequelize = new Sequelize(testDatabaseUrl(), { logging: false, models: [TsNurse, TsStudent] });
    await sequelize.sync({ force: true });
    const n = await TsNurse.create({ name: 'Nurse Joy' });
    await TsStudent.bulkCreate([{ name: 'Alice', nurseId: n.id }, { name: 'Bob', nurseId: n.id }]);
    cache = QueryCache.install(sequelize, { store: new MemoryStore(), models: { TsStudent: { ttlSeconds: 600 } } });
  });
  after(async () => {
    cache.uninstall();
    await sequelize.close();
  });

  describe('#read', () => {
    it('caches decorated models with includes and invalidates on write', async () => {
      const q = () => TsStudent.findAll({ include: [TsNurse], order: [['id', 'ASC']], cache: true });
      await q();
      const hit = await q();
      expect(cache.stats().hits).to.equal(1);
      expect(hit[0]).to.be.instanceOf(TsStudent);
      expect(hit[0].name).to.equal('Alice');
      expect(hit[0].nurse).to.be.instanceOf(TsNurse);
      expect(hit[0].nurse.name).to.equal('Nurse Joy');
      await TsNurse.update({ name: 'Nurse Renamed' }, { where: {} });
      expect((await q())[1].nurse.name).to.equal('Nurse Renamed');
    });
  });
});
