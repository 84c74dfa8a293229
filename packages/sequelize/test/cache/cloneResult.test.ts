import { expect } from 'chai';
import { Sequelize } from 'sequelize';
import { cloneResult } from '../../src/cache/cloneResult';
import { defineSchema } from '../support/db';

describe('cloneResult', () => {
  const sequelize = new Sequelize('postgres://u@127.0.0.1:1/x', { logging: false });
  const s = defineSchema(sequelize, 'cr');
  const Base = (Sequelize as any).Model;
  after(() => sequelize.close());

  describe('.cloneResult()', () => {
    it('copies instances with includes, keeping shared references inside the copy and none with the source', () => {
      const src: any = s.Student.build(
        { id: 1, name: 'A', birthDate: new Date(5), Nurse: { id: 2, name: 'N' }, Courses: [{ id: 3, title: 'C', Enrollment: { role: 'x' } }] },
        { isNewRecord: false, include: [s.Nurse, s.Course], raw: true },
      );
      const copy: any = cloneResult([src], Base);
      const c = copy[0];
      expect(c).to.be.instanceOf(s.Student).and.not.equal(src);
      expect(c.toJSON()).to.deep.equal(src.toJSON());
      expect(c.isNewRecord).to.equal(false);
      expect(c.Nurse).to.be.instanceOf(s.Nurse).and.equal(c.dataValues.Nurse).and.not.equal(src.Nurse);
      expect(c.Courses).to.equal(c.dataValues.Courses);
      expect(c.birthDate).to.not.equal(src.birthDate);
      c.set('name', 'B');
      expect(c.changed()).to.deep.equal(['name']);
      expect(src.name).to.equal('A');
      expect(src.changed()).to.equal(false);
    });

    it('copies plain values and rejects objects of unknown classes', () => {
      const v = { count: 3, rows: [{ a: [1, 2] }] };
      const c: any = cloneResult(v, Base);
      expect(c).to.deep.equal(v);
      expect(c).to.not.equal(v);
      expect(c.rows[0].a).to.not.equal(v.rows[0].a);
      expect(() => cloneResult({ x: new Map() }, Base)).to.throw(/unknown class/);
    });
  });
});
