import { expect } from 'chai';
import * as cls from 'cls-hooked';
import { Sequelize } from 'sequelize';
import { MemoryStore, QueryCache } from '../../src';
import { defineSchema, newSequelize, seed, type Schema } from '../support/db';

describe('QueryCache with CLS transactions (Sequelize.useCLS)', function () {
  this.timeout(30_000);
  let sequelize: Sequelize;
  let s: Schema;
  let cache: QueryCache;

  before(async () => {
    Sequelize.useCLS(cls.createNamespace('qltest-cls'));
    sequelize = await newSequelize();
    s = defineSchema(sequelize, 'cls');
    await sequelize.sync({ force: true });
    await seed(s);
    cache = QueryCache.install(sequelize, { store: new MemoryStore() });
  });
  after(async () => {
    cache.uninstall();
    delete (Sequelize as any)._cls;
    await sequelize.close();
  });

  describe('#read', () => {
    it('bypasses reads inside a CLS transaction and invalidates its writes on commit', async () => {
      const grades = async () => ((await s.Student.findAll({ order: [['id', 'ASC']], cache: true })) as any[]).map((x) => x.grade);
      expect(await grades()).to.deep.equal(['5', '5', '6', '6']);
      const bypassesBefore = cache.stats().bypasses;
      await sequelize.transaction(async () => {
        await s.Student.update({ grade: '3' }, { where: {} }); // no `transaction:` option: CLS supplies it
        expect(await grades()).to.deep.equal(['3', '3', '3', '3']); // read inside: bypass, sees own write
      });
      expect(cache.stats().bypasses).to.equal(bypassesBefore + 1);
      expect(await grades()).to.deep.equal(['3', '3', '3', '3']);
    });

    it('leaves the cache true after a CLS transaction rolls back', async () => {
      const names = async () => ((await s.Student.findAll({ order: [['id', 'ASC']], cache: true })) as any[]).map((x) => x.name);
      const before = await names();
      await sequelize
        .transaction(async () => {
          await s.Student.update({ name: 'Rolled Back' }, { where: {} });
          expect(await names()).to.deep.equal(Array(4).fill('Rolled Back'));
          throw new Error('rollback');
        })
        .catch(() => undefined);
      expect(await names()).to.deep.equal(before);
    });
  });
});
