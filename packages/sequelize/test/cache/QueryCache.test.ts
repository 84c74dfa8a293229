import { expect } from 'chai';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { DataTypes, Model, Sequelize } from 'sequelize';
import { MemoryStore, QueryCache } from '../../src';
import { defineSchema, newSequelize, plain, seed, type Schema } from '../support/db';
import { snapshot } from '../support/reads';
import { TestReader } from '../support/metrics';
import { WRITES } from '../support/writes';

describe('QueryCache', function () {
  this.timeout(60_000);
  let sequelize: Sequelize;
  let s: Schema;
  let cache: QueryCache | undefined;
  let selects = 0;

  before(async () => {
    sequelize = await newSequelize({
      logging: (sql: string) => {
        if (/^Executing \([^)]*\): SELECT/.test(sql)) selects++;
      },
    });
    s = defineSchema(sequelize, 'qc');
  });
  beforeEach(async () => {
    cache?.uninstall();
    cache = undefined;
    await sequelize.sync({ force: true });
    await seed(s);
    cache = QueryCache.install(sequelize, { store: new MemoryStore(), models: { Nurse: { cacheByDefault: true, ttlSeconds: 600 } } });
    selects = 0;
  });
  after(async () => {
    cache?.uninstall();
    await sequelize.close();
  });

  describe('.install()', () => {
    it('rejects a second install on the same Sequelize', () => {
      expect(() => QueryCache.install(sequelize, { store: new MemoryStore() })).to.throw(/already installed/);
    });
    const bad: Array<[string, any, RegExp]> = [
      ['no store', {}, /option store/],
      ['negative defaultTtlSeconds', { store: new MemoryStore(), defaultTtlSeconds: -1 }, /defaultTtlSeconds/],
      ['bad model ttl', { store: new MemoryStore(), models: { Student: { ttlSeconds: 0 } } }, /models\.Student\.ttlSeconds/],
      ['short keySecret', { store: new MemoryStore(), keySecret: 'short' }, /keySecret/],
      ['16-byte encryptionKey', { store: new MemoryStore(), encryptionKey: Buffer.alloc(16) }, /encryptionKey/],
      ['zero redisTimeoutMillis', { store: new MemoryStore(), redisTimeoutMillis: 0 }, /redisTimeoutMillis/],
    ];
    for (const [label, options, message] of bad) {
      it(`throws naming the option: ${label}`, () => {
        const other = new Sequelize('postgres://u@127.0.0.1:1/x', { logging: false });
        expect(() => QueryCache.install(other, options)).to.throw(message);
      });
    }
  });

  describe('keyMemoEntries', () => {
    it('0 computes the HMAC on every read and still serves hits; a bad value throws naming the option', async () => {
      cache!.uninstall();
      cache = QueryCache.install(sequelize, { store: new MemoryStore(), keyMemoEntries: 0 });
      const a = plain(await s.Student.findByPk(1, { cache: true }));
      expect(plain(await s.Student.findByPk(1, { cache: true }))).to.deep.equal(a);
      expect(plain(await s.Student.findByPk(2, { cache: true }))).to.not.deep.equal(a);
      expect(cache.stats()).to.include({ hits: 1, misses: 2 });
      const other = new Sequelize('postgres://u@127.0.0.1:1/x', { logging: false });
      expect(() => QueryCache.install(other, { store: new MemoryStore(), keyMemoEntries: -1 })).to.throw(/keyMemoEntries/);
    });
  });

  describe('#read (cached finders)', () => {
    it('serves the second identical findAll with include from the cache, without a query', async () => {
      const q = () => s.Student.findAll({ where: { grade: '5' }, include: [s.Nurse, s.Course], order: [['id', 'ASC']], cache: true });
      const first = await q();
      const before = selects;
      const second = await q();
      expect(selects).to.equal(before);
      expect(plain(second)).to.deep.equal(plain(first));
      expect(cache!.stats()).to.include({ hits: 1, misses: 1 });
    });

    it('returns real instances: model class, isNewRecord false, includes rebuilt, nothing changed, savable', async () => {
      await s.Student.findByPk(1, { include: [s.Nurse, s.Course], cache: true });
      const hit: any = await s.Student.findByPk(1, { include: [s.Nurse, s.Course], cache: true });
      expect(cache!.stats().hits).to.equal(1);
      expect(hit).to.be.instanceOf(s.Student);
      expect(hit.isNewRecord).to.equal(false);
      expect(hit.changed()).to.equal(false);
      expect(hit.Nurse).to.be.instanceOf(s.Nurse);
      expect(hit.Courses).to.have.length(2);
      expect(hit.Courses[0]).to.be.instanceOf(s.Course);
      expect(hit.Courses[0].Enrollment).to.be.instanceOf(s.Enrollment);
      expect(hit.birthDate).to.be.instanceOf(Date);
      hit.name = 'Renamed';
      expect(hit.changed()).to.deep.equal(['name']);
      await hit.save();
      const fresh: any = await s.Student.findByPk(1, { include: [s.Nurse, s.Course], cache: true });
      expect(fresh.name).to.equal('Renamed');
    });

    it('hands out a fresh copy each time: mutating one result does not change the next', async () => {
      const q = () => s.Student.findAll({ include: [s.Course], order: [['id', 'ASC']], cache: true });
      const a: any[] = await q();
      const b: any[] = await q();
      b[0].name = 'Mutated';
      b[0].birthDate.setUTCFullYear(1900);
      b[0].Courses.pop();
      b.pop();
      const c: any[] = await q();
      expect(plain(c)).to.deep.equal(plain(a));
      expect(c[0]).to.not.equal(a[0]);
      expect(cache!.stats().hits).to.equal(2);
    });

    it('caches findAndCountAll, count, sum and max', async () => {
      const reads = [
        () => s.Student.findAndCountAll({ include: [s.Nurse], limit: 2, order: [['id', 'ASC']], cache: true }),
        () => s.Student.count({ where: { grade: '5' }, cache: true }),
        () => s.Student.sum('visits', { cache: true }),
        () => s.Student.max('id', { cache: true }),
      ];
      const first = [];
      for (const r of reads) first.push(plain(await r()));
      const before = selects;
      for (let i = 0; i < reads.length; i++) expect(plain(await reads[i]())).to.deep.equal(first[i]);
      expect(selects).to.equal(before);
      expect((first[0] as any).count).to.equal(4);
    });

    it('caches raw: true reads as plain objects', async () => {
      const q = () => s.Student.findAll({ where: { grade: '6' }, raw: true, order: [['id', 'ASC']], cache: true }) as Promise<any[]>;
      const a = await q();
      const b = await q();
      expect(cache!.stats().hits).to.equal(1);
      expect(b).to.deep.equal(a);
      expect(b[0]).to.not.be.instanceOf(s.Student);
      expect(b[0]).to.not.equal(a[0]);
    });

    it('does not cache reads without cache: true, and caches models with cacheByDefault', async () => {
      await s.Student.findAll();
      await s.Student.findAll();
      expect(cache!.stats()).to.include({ hits: 0, misses: 0 });
      await s.Nurse.findAll();
      await s.Nurse.findAll();
      expect(cache!.stats()).to.include({ hits: 1, misses: 1 });
      await s.Nurse.findAll({ cache: false });
      expect(cache!.stats()).to.include({ hits: 1, misses: 1 });
    });

    it('keys differ by values, operators and included models', async () => {
      const a = await s.Student.findAll({ where: { grade: '5' }, cache: true });
      const b = await s.Student.findAll({ where: { grade: '6' }, cache: true });
      const c = await s.Student.findAll({ where: { grade: { [Symbol.for('ne')]: '5' } } as any, cache: true });
      const d = await s.Student.findAll({ where: { grade: '5' }, include: [s.Nurse], cache: true });
      expect(cache!.stats().misses).to.equal(4);
      expect(a.map((x: any) => x.grade)).to.deep.equal(['5', '5']);
      expect(b.map((x: any) => x.grade)).to.deep.equal(['6', '6']);
      expect(c.map((x: any) => x.grade)).to.deep.equal(['6', '6']);
      expect((d[0] as any).Nurse).to.not.equal(undefined);
    });

    it('makes one database query for concurrent identical misses (single flight)', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => s.Student.findAll({ include: [s.Nurse], order: [['id', 'ASC']], cache: true })));
      expect(selects).to.equal(1);
      for (const r of results) expect(plain(r)).to.deep.equal(plain(results[0]));
      expect(new Set(results.map((r) => r[0])).size).to.equal(8);
    });

    it('expires entries after ttlSeconds', async () => {
      await s.Student.findByPk(1, { cache: { ttlSeconds: 0.05 } });
      await new Promise((r) => setTimeout(r, 80));
      await s.Student.findByPk(1, { cache: { ttlSeconds: 0.05 } });
      expect(cache!.stats()).to.include({ hits: 0, misses: 2 });
    });

    it('bypasses models with find hooks unless allowFindHooks is set', async () => {
      const hook = (): void => undefined;
      s.Course.addHook('beforeFind', 'qltest', hook);
      try {
        await s.Course.findAll({ cache: true });
        await s.Course.findAll({ cache: true });
        expect(cache!.stats()).to.include({ hits: 0, misses: 0, bypasses: 2 });
      } finally {
        s.Course.removeHook('beforeFind', 'qltest');
      }
      await s.Course.findAll({ cache: true });
      await s.Course.findAll({ cache: true });
      expect(cache!.stats()).to.include({ hits: 1, misses: 1 });
    });

    it('does not store a read whose SQL reads a table it cannot see (literal subquery), unless dependsOn names it', async () => {
      const notes = s.Note.getTableName();
      const where = sequelize.literal(`"Student"."id" IN (SELECT "studentId" FROM "${notes}" WHERE body LIKE '%a')`);
      await s.Student.findAll({ where, cache: true });
      await s.Student.findAll({ where, cache: true });
      expect(cache!.stats()).to.include({ hits: 0, misses: 2 });
      const q = () => s.Student.findAll({ where, order: [['id', 'ASC']], cache: { dependsOn: [s.Note] } });
      await q();
      expect((await q()).length).to.equal(4);
      expect(cache!.stats().hits).to.equal(1);
      await s.Note.destroy({ where: {}, force: true });
      expect((await q()).length).to.equal(0);
    });

    it('bypasses rejectOnEmpty reads (they must throw, not return a cached null)', async () => {
      const err = await s.Student.findByPk(999, { rejectOnEmpty: true, cache: true }).catch((e) => e);
      expect(err).to.be.instanceOf(Error);
      const again = await s.Student.findByPk(999, { rejectOnEmpty: true, cache: true }).catch((e) => e);
      expect(again).to.be.instanceOf(Error);
      expect(cache!.stats()).to.include({ hits: 0, bypasses: 2 });
    });

    it('bypasses reads inside an explicit transaction', async () => {
      await sequelize.transaction(async (t) => {
        await s.Student.findAll({ cache: true, transaction: t });
        await s.Student.findAll({ cache: true, transaction: t });
      });
      expect(cache!.stats()).to.include({ hits: 0, misses: 0, bypasses: 2 });
    });
  });

  describe('write invalidation (every path)', () => {
    for (const w of WRITES) {
      it(`serves no stale read after ${w.name}`, async () => {
        await w.prepare?.(s);
        await snapshot(s, true);
        const hitsBefore = cache!.stats().hits;
        const before = await snapshot(s, true);
        expect(cache!.stats().hits - hitsBefore).to.be.greaterThan(10);
        await w.run(s, sequelize, 1);
        const after = await snapshot(s, false);
        expect(after, 'the write changed nothing').to.not.deep.equal(before);
        expect(await snapshot(s, true)).to.deep.equal(after);
      });
    }
  });

  describe('transactions', () => {
    it('keeps serving committed data while a transaction writes, and fresh data after commit', async () => {
      await snapshot(s, true);
      const t = await sequelize.transaction();
      await s.Student.update({ grade: '9' }, { where: {}, transaction: t });
      const during = await snapshot(s, true);
      expect(during).to.deep.equal(await snapshot(s, false));
      expect(plain(await s.Student.count({ where: { grade: '9' }, cache: true }))).to.equal(0);
      await t.commit();
      expect(await s.Student.count({ where: { grade: '9' }, cache: true })).to.equal(4);
      expect(await snapshot(s, true)).to.deep.equal(await snapshot(s, false));
    });

    it('invalidates a transaction twice (before and after COMMIT), not once per statement', async () => {
      cache!.uninstall();
      const bumps: string[][] = [];
      class CountingStore extends MemoryStore {
        override invalidateTables(tables: readonly string[]): void {
          bumps.push([...tables]);
          super.invalidateTables(tables);
        }
      }
      cache = QueryCache.install(sequelize, { store: new CountingStore() });
      await s.Student.findAll({ cache: true });
      await sequelize.transaction(async (t) => {
        for (let i = 0; i < 5; i++) await s.Student.update({ visits: i }, { where: { id: 1 }, transaction: t });
        expect(bumps).to.have.length(0);
      });
      expect(bumps).to.have.length(2);
      expect(bumps[0]).to.include('students_qc');
      expect((await s.Student.findAll({ cache: true, order: [['id', 'ASC']] }))[0].get('visits')).to.equal(4);
    });

    it('caches nothing from a transaction that rolls back', async () => {
      const t = await sequelize.transaction();
      await s.Student.update({ grade: '9' }, { where: {}, transaction: t });
      const inside = await s.Student.count({ where: { grade: '9' }, cache: true, transaction: t });
      expect(inside).to.equal(4);
      await t.rollback();
      expect(await s.Student.count({ where: { grade: '9' }, cache: true })).to.equal(0);
      expect(await snapshot(s, true)).to.deep.equal(await snapshot(s, false));
    });

    it('invalidates on commit of a nested (savepoint) transaction only when the root commits', async () => {
      await s.Student.findAll({ cache: true });
      await sequelize.transaction(async (root) => {
        await sequelize.transaction({ transaction: root }, async (sp) => {
          await s.Student.update({ grade: '8' }, { where: {}, transaction: sp });
        });
        expect((await s.Student.findAll({ cache: true })).map((x: any) => x.grade)).to.not.include('8');
      });
      expect((await s.Student.findAll({ cache: true })).map((x: any) => x.grade)).to.deep.equal(['8', '8', '8', '8']);
    });
  });

  describe('#invalidate / #invalidateAll / #uninstall', () => {
    it('invalidate(Model) and invalidateAll() drop entries', async () => {
      await s.Student.findByPk(1, { cache: true });
      await cache!.invalidate(s.Student);
      await s.Student.findByPk(1, { cache: true });
      await cache!.invalidateAll();
      await s.Student.findByPk(1, { cache: true });
      expect(cache!.stats()).to.include({ hits: 0, misses: 3 });
    });

    it('still runs a Sequelize.prototype.query patch applied after install (other instrumentations)', async () => {
      const proto = Sequelize.prototype as any;
      const before = proto.query;
      let seen = 0;
      proto.query = function (this: any, ...a: any[]) {
        seen++;
        return before.apply(this, a);
      };
      try {
        await s.Student.findAll({ cache: true });
        await s.Student.update({ grade: '1' }, { where: { id: 1 } });
        expect(seen).to.equal(2);
      } finally {
        proto.query = before;
      }
    });

    it('uninstall() restores sequelize.query and stops caching', async () => {
      const wrapped = sequelize.query;
      cache!.uninstall();
      expect(sequelize.query).to.not.equal(wrapped);
      await s.Student.findByPk(1, { cache: true });
      await s.Student.findByPk(1, { cache: true });
      expect(cache!.stats()).to.include({ hits: 0, misses: 0 });
    });
  });

  describe('observability', () => {
    it('records querylens.cache.requests, duration and entries, and a span event', async () => {
      cache!.uninstall();
      const reader = new TestReader();
      const meterProvider = new MeterProvider({ readers: [reader] });
      cache = QueryCache.install(sequelize, { store: new MemoryStore(), meterProvider });
      const cm = new AsyncLocalStorageContextManager().enable();
      context.setGlobalContextManager(cm);
      const exporter = new InMemorySpanExporter();
      const tp = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
      try {
        await tp.getTracer('t').startActiveSpan('request', async (span) => {
          await s.Student.findByPk(1, { cache: true });
          await s.Student.findByPk(1, { cache: true });
          span.end();
        });
        const { resourceMetrics } = await reader.collect();
        const ms = resourceMetrics.scopeMetrics.flatMap((x) => x.metrics);
        const requests = ms.find((m) => m.descriptor.name === 'querylens.cache.requests')!;
        const points = requests.dataPoints.map((p) => [p.attributes['querylens.cache.result'], p.attributes['querylens.cache.model'], p.value]);
        expect(points).to.deep.include.members([['hit', 'Student', 1], ['miss', 'Student', 1]]);
        const duration = ms.find((m) => m.descriptor.name === 'querylens.cache.duration')!;
        expect(duration.descriptor.unit).to.equal('s');
        expect(duration.dataPoints.map((p) => p.attributes['querylens.cache.result']).sort()).to.deep.equal(['hit', 'miss']);
        const entries = ms.find((m) => m.descriptor.name === 'querylens.cache.entries')!;
        expect(entries.dataPoints[0].value).to.equal(1);
        const events = exporter.getFinishedSpans()[0].events.map((e) => e.attributes?.['querylens.cache.result']);
        expect(events).to.deep.equal(['miss', 'hit']);
      } finally {
        context.disable();
        trace.disable();
        await meterProvider.shutdown();
      }
    });
  });

  describe('sequelize-typescript style models (class fields off, Model.init)', () => {
    it('caches a model defined on a subclass of Model', async () => {
      class Base extends Model {}
      class Immunization extends Base {}
      Immunization.init({ vaccine: DataTypes.STRING }, { sequelize, tableName: 'immunizations_qc' });
      await Immunization.sync({ force: true });
      await Immunization.create({ vaccine: 'MMR' });
      await Immunization.findAll({ cache: true });
      const hit: any[] = await Immunization.findAll({ cache: true });
      expect(hit[0]).to.be.instanceOf(Immunization);
      expect(hit[0].vaccine).to.equal('MMR');
      expect(cache!.stats().hits).to.equal(1);
      await Immunization.drop();
    });
  });
});
