import { expect } from 'chai';
import { DataTypes, Model, Op, Sequelize } from 'sequelize';
import { MemoryStore, QueryCache, type QueryCacheOptions } from '../../src';
import { defineSchema, newSequelize, plain, seed, type Schema } from '../support/db';
import { READS, snapshot } from '../support/reads';

describe('WriteInterceptor (through QueryCache, real PostgreSQL)', function () {
  this.timeout(60_000);
  let sequelize: Sequelize;
  let s: Schema;
  let Audit: any;
  let cache: QueryCache | undefined;
  const audit = 'audit_wi';
  const students = 'students_wi';

  async function install(options: Partial<QueryCacheOptions> = {}): Promise<QueryCache> {
    cache?.uninstall();
    cache = QueryCache.install(sequelize, { store: new MemoryStore(), ...options });
    return cache;
  }

  before(async () => {
    sequelize = await newSequelize();
    s = defineSchema(sequelize, 'wi');
    class AuditLog extends Model {}
    AuditLog.init({ id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, what: DataTypes.STRING }, { sequelize, modelName: 'AuditLog', tableName: audit, timestamps: false });
    Audit = AuditLog;
  });
  beforeEach(async () => {
    cache?.uninstall();
    cache = undefined;
    await sequelize.sync({ force: true });
    await seed(s);
    // A trigger on students that writes another table, and a user function that writes students.
    await sequelize.query(`CREATE OR REPLACE FUNCTION wi_audit() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN INSERT INTO ${audit} (what) VALUES ('student changed'); RETURN NEW; END $f$`);
    await sequelize.query(`DROP TRIGGER IF EXISTS wi_audit ON ${students}; CREATE TRIGGER wi_audit AFTER INSERT OR UPDATE ON ${students} FOR EACH ROW EXECUTE FUNCTION wi_audit()`);
    await sequelize.query(`CREATE OR REPLACE FUNCTION wi_set_grade(g text) RETURNS void LANGUAGE sql AS $f$ UPDATE ${students} SET grade = g WHERE id = 1 $f$`);
    await sequelize.query(`CREATE OR REPLACE FUNCTION wi_pure(x int) RETURNS int LANGUAGE sql IMMUTABLE AS $f$ SELECT x + 1 $f$`);
  });
  after(async () => {
    cache?.uninstall();
    await sequelize.close();
  });

  describe('raw sequelize.query', () => {
    it('a SELECT calling a user function that writes invalidates everything', async () => {
      await install();
      expect((await s.Student.findByPk(1, { cache: true })).grade).to.equal('5');
      await sequelize.query(`SELECT wi_set_grade('9')`);
      expect((await s.Student.findByPk(1, { cache: true })).grade).to.equal('9');
    });

    it('writes hidden after comments ended by \\r, nested comments and non-ASCII dollar tags invalidate', async () => {
      await install();
      const writes = [
        `SELECT 1; -- note\rUPDATE ${students} SET grade = '7' WHERE id = 1`,
        `SELECT 1 /* a /* b */ it's */; UPDATE ${students} SET grade = '8' WHERE id = 1`,
        `SELECT $é$it's$é$ AS a; UPDATE ${students} SET grade = '9' WHERE id = 1`,
      ];
      for (const w of writes) {
        await s.Student.findByPk(1, { cache: true });
        await sequelize.query(w);
        const cached = plain(await s.Student.findByPk(1, { cache: true }));
        expect(cached).to.deep.equal(plain(await s.Student.findByPk(1, { cache: false })));
      }
    });

    it('a SELECT calling only built-ins (count, lower, coalesce, now...) invalidates nothing', async () => {
      const c = await install();
      await s.Student.findByPk(1, { cache: true });
      await sequelize.query(`SELECT count(DISTINCT id), lower(max(name)), coalesce(min(grade), 'x'), now() FROM ${students}`);
      await s.Student.findByPk(1, { cache: true });
      expect(c.stats()).to.include({ hits: 1, misses: 1 });
    });

    it('a function declared in readOnlyFunctions invalidates nothing', async () => {
      const c = await install({ readOnlyFunctions: ['wi_pure'] });
      await s.Student.findByPk(1, { cache: true });
      await sequelize.query('SELECT wi_pure(1)');
      await s.Student.findByPk(1, { cache: true });
      expect(c.stats()).to.include({ hits: 1, misses: 1 });
      expect(() => QueryCache.install(new Sequelize('postgres://u@127.0.0.1:1/x', { logging: false }), { store: new MemoryStore(), readOnlyFunctions: ['ok', 3 as any] })).to.throw(/readOnlyFunctions/);
    });
  });

  describe('cached reads', () => {
    it('the model reads the cache issues (includes, counts, aggregates) do not invalidate: a second round is all hits', async () => {
      const c = await install();
      const first = await snapshot(s, true);
      const hitsBefore = c.stats().hits;
      const second = await snapshot(s, true);
      expect(second).to.deep.equal(first);
      expect(c.stats().hits - hitsBefore).to.equal(READS.length);
    });

    it('a read calling NOW(), CURRENT_DATE or random() is run but never stored', async () => {
      const c = await install();
      const reads = [
        () => s.Student.findAll({ where: sequelize.where(sequelize.fn('NOW'), Op.gt, sequelize.col('createdAt')), order: [['id', 'ASC']], cache: true }),
        () => s.Student.findAll({ where: sequelize.literal('"birthDate" < CURRENT_DATE'), order: [['id', 'ASC']], cache: true }),
        () => s.Student.findAll({ order: sequelize.random(), limit: 1, cache: true }),
      ];
      for (const r of reads) {
        await r();
        await r();
      }
      expect(c.stats()).to.include({ hits: 0, misses: 6 });
    });
  });

  describe('triggers (writeDependencies)', () => {
    it('a write to a table whose trigger writes another table invalidates the declared dependents', async () => {
      await install({ writeDependencies: { Student: ['AuditLog'] } });
      expect(await Audit.count({ cache: true })).to.equal(0);
      await s.Student.update({ grade: '3' }, { where: { id: 1 } });
      expect(await Audit.count({ cache: true })).to.equal(await Audit.count({ cache: false }));
      await sequelize.query(`UPDATE ${students} SET grade = '4' WHERE id = 2`);
      expect(await Audit.count({ cache: true })).to.equal(2);
    });

    it('accepts table names and rejects a malformed option, naming it', async () => {
      await install({ writeDependencies: { [students]: [audit] } });
      await Audit.count({ cache: true });
      await s.Student.create({ name: 'New' });
      expect(await Audit.count({ cache: true })).to.equal(1);
      expect(() => QueryCache.install(new Sequelize('postgres://u@127.0.0.1:1/x', { logging: false }), { store: new MemoryStore(), writeDependencies: { Student: 'AuditLog' as any } })).to.throw(/writeDependencies\.Student/);
    });
  });
});
