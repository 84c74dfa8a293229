import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { MemoryStore, QueryCache } from '../../src';
import { defineSchema, newSequelize, plain, seed, type Schema } from '../support/db';

/**
 * One test per failure documented for sequelize-transparent-cache (invalidates only
 * through its own wrapper; caches uncommitted data) and sequelize-simple-cache (clears
 * before the write; ignores associations).
 */
describe('QueryCache (known failures of other plugins)', function () {
  this.timeout(60_000);
  let sequelize: Sequelize;
  let s: Schema;
  let cache: QueryCache;

  before(async () => {
    sequelize = await newSequelize();
    s = defineSchema(sequelize, 'kf');
  });
  beforeEach(async () => {
    await sequelize.sync({ force: true });
    await seed(s);
    cache = QueryCache.install(sequelize, { store: new MemoryStore() });
  });
  afterEach(() => cache.uninstall());
  after(() => sequelize.close());

  const detail = () => s.Student.findByPk(1, { cache: { keyPrefix: 'student_detail', ttlSeconds: 600 } }) as Promise<any>;

  it('transparent-cache: a static Model.update (no individualHooks) is seen by the next cached read', async () => {
    expect((await detail()).grade).to.equal('5');
    expect((await detail()).grade).to.equal('5');
    await s.Student.update({ grade: '6' }, { where: { id: 1 } });
    expect((await detail()).grade).to.equal('6');
    expect(cache.stats()).to.include({ hits: 1, misses: 2 });
  });

  it('transparent-cache: a raw sequelize.query write is seen by the next cached read', async () => {
    await detail();
    await sequelize.query(`UPDATE students_kf SET name = 'Raw Write' WHERE id = 1`);
    expect((await detail()).name).to.equal('Raw Write');
  });

  it('transparent-cache: bulk writes (bulkCreate, static destroy) are seen by cached lists and counts', async () => {
    const list = () => s.Student.findAll({ where: { grade: '5' }, cache: true });
    const count = () => s.Student.count({ cache: true });
    expect((await list()).length).to.equal(2);
    expect(await count()).to.equal(4);
    await s.Student.bulkCreate([{ name: 'Eve', grade: '5' }, { name: 'Fay', grade: '5' }]);
    expect((await list()).length).to.equal(4);
    expect(await count()).to.equal(6);
    await s.Student.destroy({ where: { grade: '5' } });
    expect((await list()).length).to.equal(0);
    expect(await count()).to.equal(2);
  });

  it('transparent-cache: uncommitted data read inside a transaction is never cached, and a rollback leaves the cache true', async () => {
    await detail();
    const t = await sequelize.transaction();
    await s.Student.update({ name: 'Uncommitted' }, { where: { id: 1 }, transaction: t });
    const inside: any = await s.Student.findByPk(1, { cache: { keyPrefix: 'student_detail' }, transaction: t });
    expect(inside.name).to.equal('Uncommitted');
    expect((await detail()).name).to.equal('Alice Smith');
    await t.rollback();
    expect((await detail()).name).to.equal('Alice Smith');
    expect(plain(await detail())).to.deep.equal(plain(await s.Student.findByPk(1)));
  });

  it('simple-cache: a read racing a write (old snapshot finishing after the write) is not served as fresh', async () => {
    const slow = () => s.Student.findAll({ where: sequelize.literal('pg_sleep(0.1) IS NOT NULL'), order: [['id', 'ASC']], cache: true }) as Promise<any[]>;
    const racing = slow();
    await new Promise((r) => setTimeout(r, 100));
    await s.Student.update({ name: 'Written During Read' }, { where: {} });
    const old = await racing;
    expect(old[0].name).to.equal('Alice Smith'); // the read's snapshot predates the write
    const next = await slow();
    expect(next.map((x) => x.name)).to.deep.equal(Array(4).fill('Written During Read'));
    expect(cache.stats().hits).to.equal(0);
  });

  it('simple-cache: writes to included models and through tables invalidate the parent read', async () => {
    const q = () => s.Student.findByPk(1, { include: [s.Course, s.Nurse, s.Note], cache: true }) as Promise<any>;
    expect((await q()).Courses.map((c: any) => c.title).sort()).to.deep.equal(['Biology', 'Chemistry']);
    await s.Course.update({ title: 'Physics' }, { where: { title: 'Biology' } });
    expect((await q()).Courses.map((c: any) => c.title).sort()).to.deep.equal(['Chemistry', 'Physics']);
    const student: any = await s.Student.findByPk(1);
    await student.removeCourse(2);
    expect((await q()).Courses).to.have.length(1);
    await (await s.Nurse.findByPk(1))!.update({ name: 'Nurse Renamed' });
    expect((await q()).Nurse.name).to.equal('Nurse Renamed');
    await s.Note.create({ studentId: 1, body: 'new note' });
    expect((await q()).Notes).to.have.length(3);
  });
});
