import { Op, type Sequelize } from 'sequelize';
import type { Schema } from './db';

/** A named write through one Sequelize path. `n` varies the values; `t` is an optional transaction. */
export interface NamedWrite {
  name: string;
  /** Makes the write meaningful on freshly seeded data (e.g. soft-delete a row before restore). */
  prepare?(s: Schema): Promise<unknown>;
  run(s: Schema, sequelize: Sequelize, n: number, t?: any): Promise<unknown>;
}

async function someStudent(s: Schema, n: number, t?: any, paranoid = true): Promise<any> {
  const all = await s.Student.findAll({ order: [['id', 'ASC']], transaction: t, paranoid, cache: false });
  return all.length ? all[n % all.length] : undefined;
}
async function someCourse(s: Schema, n: number, t?: any): Promise<any> {
  const all = await s.Course.findAll({ order: [['id', 'ASC']], transaction: t, cache: false });
  return all.length ? all[n % all.length] : undefined;
}
async function someNurse(s: Schema, n: number, t?: any): Promise<any> {
  const all = await s.Nurse.findAll({ order: [['id', 'ASC']], transaction: t, cache: false });
  return all.length ? all[n % all.length] : undefined;
}

/** Every write path the issue names. */
export const WRITES: NamedWrite[] = [
  { name: 'instance.save', run: async (s, _q, n, t) => { const x = await someStudent(s, n, t); if (x) { x.name = `Saved ${n}`; await x.save({ transaction: t }); } } },
  { name: 'instance.update', run: async (s, _q, n, t) => (await someStudent(s, n, t))?.update({ grade: String(n % 9) }, { transaction: t }) },
  { name: 'instance.destroy (paranoid)', run: async (s, _q, n, t) => (await someStudent(s, n, t))?.destroy({ transaction: t }) },
  { name: 'instance.destroy force', run: async (s, _q, n, t) => (await someStudent(s, n, t))?.destroy({ force: true, transaction: t }) },
  { name: 'instance.restore', prepare: (s) => s.Student.destroy({ where: { grade: '5' } }), run: async (s, _q, n, t) => { const x = await someStudent(s, n, t, false); if (x?.deletedAt) await x.restore({ transaction: t }); } },
  { name: 'instance.increment', run: async (s, _q, n, t) => (await someStudent(s, n, t))?.increment('visits', { by: 1 + (n % 3), transaction: t }) },
  { name: 'instance.decrement', run: async (s, _q, n, t) => (await someStudent(s, n, t))?.decrement('visits', { transaction: t }) },
  { name: 'Model.create', run: (s, _q, n, t) => s.Student.create({ name: `New ${n}`, ssn: `000-00-${1000 + n}`, grade: '5' }, { transaction: t }) },
  { name: 'Model.bulkCreate', run: (s, _q, n, t) => s.Note.bulkCreate([{ body: `bulk ${n}` }, { body: `bulk ${n + 1}` }], { transaction: t }) },
  {
    name: 'Model.bulkCreate updateOnDuplicate',
    run: async (s, _q, n, t) => {
      const ids = (await s.Nurse.findAll({ transaction: t, cache: false })).map((x: any) => x.id);
      await s.Nurse.bulkCreate([{ id: ids[0] ?? 1, name: `Dup ${n}` }], { updateOnDuplicate: ['name'], transaction: t });
    },
  },
  { name: 'Model.update (static, no hooks)', run: (s, _q, n, t) => s.Student.update({ grade: `${n % 7}` }, { where: { grade: { [Op.ne]: null } }, transaction: t }) },
  { name: 'Model.destroy (static, paranoid)', run: (s, _q, n, t) => s.Student.destroy({ where: { grade: '5' }, transaction: t }) },
  { name: 'Model.destroy force', run: (s, _q, n, t) => s.Note.destroy({ where: { id: { [Op.gt]: n % 5 } }, force: true, transaction: t }) },
  { name: 'Model.restore', prepare: (s) => s.Student.destroy({ where: { grade: '5' } }), run: (s, _q, _n, t) => s.Student.restore({ transaction: t }) },
  { name: 'Model.upsert', run: (s, _q, n, t) => s.Course.upsert({ id: 1 + (n % 3), title: `Upserted ${n}` }, { transaction: t }) },
  { name: 'Model.increment', run: (s, _q, n, t) => s.Student.increment({ visits: 2 }, { where: { id: { [Op.lte]: 1 + (n % 4) } }, transaction: t }) },
  { name: 'Model.truncate', run: (s, _q, _n, t) => s.Enrollment.truncate({ transaction: t }) },
  { name: 'setCourses (through)', run: async (s, _q, n, t) => { const x = await someStudent(s, n, t); const c = await someCourse(s, n, t); if (x && c) await x.setCourses([c], { transaction: t }); } },
  { name: 'addCourse (through)', run: async (s, _q, n, t) => { const x = await someStudent(s, n + 1, t); const c = await someCourse(s, n + 1, t); if (x && c) await x.addCourse(c, { transaction: t, through: { role: `r${n}` } }); } },
  { name: 'removeCourse (through)', run: async (s, _q, n, t) => { const x = await someStudent(s, 0, t); const c = await someCourse(s, n, t); if (x && c) await x.removeCourse(c, { transaction: t }); } },
  { name: 'setNurse (belongsTo)', run: async (s, _q, n, t) => { const x = await someStudent(s, n, t); const y = await someNurse(s, n + 1, t); if (x) await x.setNurse(y ?? null, { transaction: t }); } },
  { name: 'createNote (hasMany)', run: async (s, _q, n, t) => (await someStudent(s, n, t))?.createNote({ body: `created ${n}` }, { transaction: t }) },
  { name: 'Nurse.destroy (FK ON DELETE SET NULL)', run: async (s, _q, n, t) => (await someNurse(s, n, t))?.destroy({ transaction: t }) },
  { name: 'raw UPDATE (unquoted, lower case)', run: (s, q, n, t) => q.query(`UPDATE ${s.Student.getTableName()} SET visits = visits + ${1 + (n % 5)}`, { transaction: t }) },
  { name: 'raw INSERT with literal', run: (s, q, n, t) => q.query(`INSERT INTO "${s.Nurse.getTableName()}" (name, "createdAt", "updatedAt") VALUES ('update "x" ${n}', now(), now())`, { transaction: t }) },
  { name: 'raw DELETE', run: (s, q, n, t) => q.query(`DELETE FROM "${s.Note.getTableName()}" WHERE id % 3 = ${n % 3}`, { transaction: t }) },
  { name: 'raw CTE write', run: (s, q, n, t) => q.query(`WITH x AS (UPDATE "${s.Course.getTableName()}" SET title = title || '${n}' RETURNING id) SELECT count(*) FROM x`, { transaction: t }) },
  { name: 'raw DO block (unknown: all)', run: (s, q, n, t) => q.query(`DO $$ BEGIN UPDATE "${s.Student.getTableName()}" SET grade = '${n % 4}'; END $$`, { transaction: t }) },
  { name: 'QueryInterface.bulkUpdate', run: (s, q, n, t) => q.getQueryInterface().bulkUpdate(s.Nurse.getTableName() as string, { name: `QI ${n}` }, {}, { transaction: t }) },
];
