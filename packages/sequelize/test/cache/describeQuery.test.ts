import { expect } from 'chai';
import { Op, Sequelize } from 'sequelize';
import { describeQuery } from '../../src/cache/describeQuery';
import { defineSchema } from '../support/db';

describe('describeQuery', () => {
  const sequelize = new Sequelize('postgres://u@127.0.0.1:1/x', { logging: false });
  const s = defineSchema(sequelize, 'dq');
  const Base = (Sequelize as any).Model;
  const d = (options: unknown, method = 'findAll', model: any = s.Student) => describeQuery(method, model, Base, [options], 0);

  after(() => sequelize.close());

  describe('.describeQuery()', () => {
    it('is stable for equal options and differs for any change of value, operator, include, scope or method', () => {
      const base = { where: { grade: '5', id: { [Op.gt]: 3 } }, include: [s.Nurse], order: [['id', 'ASC']], limit: 2 };
      expect(d(base)).to.be.a('string').and.equal(d({ ...base, where: { ...base.where } }));
      const variants = [
        { ...base, where: { grade: '6', id: { [Op.gt]: 3 } } },
        { ...base, where: { grade: '5', id: { [Op.gte]: 3 } } },
        { ...base, where: { grade: '5', id: { [Op.gt]: '3' } } },
        { ...base, include: [s.Course] },
        { ...base, include: [{ model: s.Nurse, required: true }] },
        { ...base, order: [['id', 'DESC']] },
        { ...base, limit: 3 },
        { ...base, paranoid: false },
        { ...base, attributes: ['id'] },
        { ...base, where: sequelize.where(sequelize.fn('lower', sequelize.col('name')), 'alice') },
        { ...base, where: { birthDate: new Date(0) } },
      ];
      const all = new Set([d(base), d(base, 'findOne'), d(base, 'findAll', s.Student.scope({ where: { grade: '5' } } as any)), ...variants.map((v) => d(v))]);
      expect(all.size).to.equal(variants.length + 3);
    });

    it('changes when the default scope is replaced', () => {
      const before = d({ where: { id: 1 } }, 'findAll', s.Nurse);
      s.Nurse.addScope('defaultScope', { where: { name: 'Nurse Joy' } }, { override: true });
      expect(d({ where: { id: 1 } }, 'findAll', s.Nurse)).to.be.a('string').and.not.equal(before);
    });

    it('ignores logging, transaction, benchmark and the cache option itself', () => {
      expect(d({ where: { id: 1 }, logging: () => undefined, benchmark: true, cache: { ttlSeconds: 5 } })).to.equal(d({ where: { id: 1 } }));
    });

    it('refuses what it cannot describe: instances, arbitrary functions, cycles', () => {
      const cyclic: any = { a: 1 };
      cyclic.self = cyclic;
      expect(d({ where: { id: s.Student.build({ id: 1 }) } })).to.equal(undefined);
      expect(d({ where: { id: () => 1 } })).to.equal(undefined);
      expect(d({ where: cyclic })).to.equal(undefined);
    });
  });
});
