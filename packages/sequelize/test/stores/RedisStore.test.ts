import { expect } from 'chai';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import Redis from 'ioredis';
import type { Sequelize } from 'sequelize';
import { QueryCache, RedisStore } from '../../src';
import { defineSchema, newSequelize, plain, redisNamespace, redisUrl, seed, type Schema } from '../support/db';
import { commandStats, deleteNamespace, PrivateRedis, until } from '../support/redisServer';

const SECRET = 'test-secret-0123456789abcdef';
const KEY = Buffer.alloc(32, 7);

describe('RedisStore', function () {
  this.timeout(60_000);
  let sequelize: Sequelize;
  let s: Schema;
  let admin: Redis;
  const namespaces: string[] = [];

  before(async () => {
    sequelize = await newSequelize();
    s = defineSchema(sequelize, 'rs');
    admin = new Redis(redisUrl());
  });
  beforeEach(async () => {
    await sequelize.sync({ force: true });
    await seed(s);
  });
  after(async () => {
    for (const ns of namespaces) await deleteNamespace(admin, ns);
    admin.disconnect();
    await sequelize.close();
  });

  function install(client: Redis, label: string, extra: Partial<Parameters<typeof QueryCache.install>[1]> = {}, seq: Sequelize = sequelize): { cache: QueryCache; store: RedisStore; ns: string } {
    const ns = redisNamespace(label);
    namespaces.push(ns);
    const store = new RedisStore({ client, namespace: ns });
    const cache = QueryCache.install(seq, { store, keySecret: SECRET, encryptionKey: KEY, ...extra });
    return { cache, store, ns };
  }

  /** Reads made before the client is connected bypass the cache (by design); tests wait for it. */
  const ready = (...clients: Redis[]) => until(() => clients.every((c) => c.status === 'ready'));

  describe('constructor / install', () => {
    it('throws without an ioredis client, and install requires keySecret', () => {
      expect(() => new RedisStore({ client: {} as any })).to.throw(/option client/);
      const client = new Redis(redisUrl(), { lazyConnect: true });
      expect(() => QueryCache.install(sequelize, { store: new RedisStore({ client }) })).to.throw(/keySecret is required/);
      client.disconnect();
    });

    it('warns through diag when values would be stored unencrypted', () => {
      const warnings: string[] = [];
      diag.setLogger({ warn: (m: string) => warnings.push(m), error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
      const client = new Redis(redisUrl(), { lazyConnect: true });
      try {
        const { cache } = install(client, 'warn', { encryptionKey: undefined });
        cache.uninstall();
      } finally {
        diag.disable();
        client.disconnect();
      }
      expect(warnings.some((w) => /without encryptionKey/.test(w))).to.equal(true);
    });
  });

  describe('#adopt', () => {
    it('bounds local templates by count and bytes, oldest dropped first', () => {
      const client = new Redis(redisUrl(), { lazyConnect: true });
      const store = new RedisStore({ client, namespace: redisNamespace('adopt'), maxLocalEntries: 3, maxLocalBytes: 1000 });
      const local = (store as any).local as Map<string, unknown>;
      for (let i = 0; i < 5; i++) store.adopt(`k${i}`, { template: i, id: `v${i}`, bytes: 100 });
      expect([...local.keys()]).to.deep.equal(['k2', 'k3', 'k4']);
      store.adopt('big', { template: 'x', id: 'v', bytes: 950 });
      expect([...local.keys()]).to.deep.equal(['big']);
      store.adopt('huge', { template: 'x', id: 'v', bytes: 5000 });
      expect(local.has('huge')).to.equal(false);
      expect(() => new RedisStore({ client, maxLocalEntries: -1 })).to.throw(/maxLocalEntries/);
      client.disconnect();
    });
  });

  describe('#lookup', () => {
    it('serves a hit in exactly one round trip (one EVALSHA, counted by INFO commandstats on a private server)', async () => {
      const server = await PrivateRedis.start();
      const client = new Redis(server.url);
      const stats = new Redis(server.url);
      const { cache } = install(client, 'rt');
      try {
        await ready(client);
        const q = () => s.Student.findAll({ where: { grade: '5' }, include: [s.Nurse, s.Course], order: [['id', 'ASC']], cache: true });
        const first = await q();
        await until(async () => (await client.keys('*:e:*')).length === 1);
        await q(); // loads the script cache if needed
        let sent = 0;
        const orig = client.sendCommand.bind(client);
        (client as any).sendCommand = (...a: any[]) => {
          sent++;
          return orig(...(a as [any]));
        };
        const before = await commandStats(stats);
        const hit = await q();
        const after = await commandStats(stats);
        (client as any).sendCommand = orig;
        const delta = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
        delete delta.info; // the stats connection's own INFO
        expect(sent).to.equal(1);
        expect(delta.evalsha).to.equal(1);
        expect(delta.set ?? 0).to.equal(0);
        expect(Object.keys(delta).sort()).to.deep.equal(['evalsha', 'get']); // GETs run inside the script
        expect(plain(hit)).to.deep.equal(plain(first));
        expect(cache.stats().hits).to.equal(2);
      } finally {
        cache.uninstall();
        client.disconnect();
        stats.disconnect();
        await server.stop();
      }
    });
  });

  describe('#store', () => {
    it('keys are prefix:Model:HMAC and values are AES-256-GCM sealed with a TTL: no PHI in Redis', async () => {
      const client = new Redis(redisUrl());
      const { cache, ns } = install(client, 'phi');
      try {
        await ready(client);
        await s.Student.findOne({ where: { ssn: '123-45-6789' }, cache: { keyPrefix: 'student_detail', ttlSeconds: 600 } });
        let keys: string[] = [];
        await until(async () => (keys = await admin.keys(`${ns}:e:*`)).length === 1);
        expect(keys[0]).to.match(new RegExp(`^${ns}:e:student_detail:Student:[A-Za-z0-9_-]{43}$`));
        const raw = (await admin.getBuffer(keys[0]))!;
        for (const phi of ['123-45-6789', 'Alice', 'Smith']) {
          expect(keys[0]).to.not.include(phi);
          expect(raw.includes(Buffer.from(phi))).to.equal(false);
        }
        const ttl = await admin.ttl(keys[0]);
        expect(ttl).to.be.greaterThan(500).and.at.most(600);
        const hit: any = await s.Student.findOne({ where: { ssn: '123-45-6789' }, cache: { keyPrefix: 'student_detail', ttlSeconds: 600 } });
        expect(hit.name).to.equal('Alice Smith');
        expect(cache.stats().hits).to.equal(1);
      } finally {
        cache.uninstall();
        client.disconnect();
      }
    });

    it('never serves an entry whose table generation disappeared (evicted or restarted: no ABA)', async () => {
      const client = new Redis(redisUrl());
      const { cache, ns } = install(client, 'aba');
      try {
        await ready(client);
        const q = () => s.Student.findAll({ order: [['id', 'ASC']], cache: true });
        await q();
        await until(async () => (await admin.keys(`${ns}:e:*`)).length === 1);
        await admin.del(`${ns}:g:students_rs`);
        await q();
        expect(cache.stats()).to.include({ hits: 0, misses: 2 });
      } finally {
        cache.uninstall();
        client.disconnect();
      }
    });
  });

  describe('multi-instance', () => {
    it('shares invalidation and entries between two app instances', async () => {
      const other = await newSequelize();
      const s2 = defineSchema(other, 'rs');
      const c1 = new Redis(redisUrl());
      const c2 = new Redis(redisUrl());
      const ns = redisNamespace('multi');
      namespaces.push(ns);
      const a = QueryCache.install(sequelize, { store: new RedisStore({ client: c1, namespace: ns }), keySecret: SECRET, encryptionKey: KEY });
      const b = QueryCache.install(other, { store: new RedisStore({ client: c2, namespace: ns }), keySecret: SECRET, encryptionKey: KEY });
      try {
        await ready(c1, c2);
        const qa = () => s.Student.findAll({ include: [s.Nurse, s.Course], order: [['id', 'ASC'], [s.Course, 'id', 'ASC']], cache: true });
        const qb = () => s2.Student.findAll({ include: [s2.Nurse, s2.Course], order: [['id', 'ASC'], [s2.Course, 'id', 'ASC']], cache: true });
        const fromA = await qa();
        await until(async () => (await admin.keys(`${ns}:e:*`)).length === 1);
        const fromB: any[] = await qb();
        expect(b.stats().hits).to.equal(1);
        expect(plain(fromB)).to.deep.equal(plain(fromA));
        expect(fromB[0]).to.be.instanceOf(s2.Student);
        expect(fromB[0].Courses[0]).to.be.instanceOf(s2.Course);
        expect(fromB[0].isNewRecord).to.equal(false);
        const again: any[] = await qb(); // served from B's local template, validated by Redis
        expect(plain(again)).to.deep.equal(plain(fromA));
        expect(again[0]).to.not.equal(fromB[0]);
        expect(b.stats().hits).to.equal(2);
        await s2.Student.update({ grade: '9' }, { where: {} });
        const afterWrite: any[] = await qa();
        expect(afterWrite.map((x) => x.grade)).to.deep.equal(['9', '9', '9', '9']);
        await until(async () => (await admin.keys(`${ns}:e:*`)).length === 1);
        await s.Student.update({ name: 'Renamed By A' }, { where: { id: 1 } });
        await qa(); // A stores a new version of the same key
        await new Promise((r) => setTimeout(r, 20));
        const fromBAfter: any[] = await qb(); // B's template is for the old version: it must not be used
        expect(fromBAfter[0].name).to.equal('Renamed By A');
        expect(plain(fromBAfter)).to.deep.equal(plain(await s2.Student.findAll({ include: [s2.Nurse, s2.Course], order: [['id', 'ASC'], [s2.Course, 'id', 'ASC']] })));
      } finally {
        a.uninstall();
        b.uninstall();
        c1.disconnect();
        c2.disconnect();
        await other.close();
      }
    });
  });

  describe('failures', () => {
    it('falls through when Redis stops, counts errors, and recovers (epoch bumped) after a restart', async () => {
      const server = await PrivateRedis.start();
      const client = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
      const { cache, store, ns } = install(client, 'down');
      try {
        await ready(client);
        const q = () => s.Student.findAll({ order: [['id', 'ASC']], cache: true });
        await q();
        await q();
        expect(cache.stats().hits).to.equal(1);
        await server.stop();
        await until(() => client.status !== 'ready');
        const down = await q();
        await s.Student.update({ grade: '7' }, { where: { id: 1 } });
        const downAfterWrite: any[] = await q();
        expect(plain(down)).to.not.deep.equal(plain(downAfterWrite));
        expect(downAfterWrite[0].grade).to.equal('7');
        expect(cache.stats().errors).to.be.greaterThan(1);
        expect(store.isUntrusted).to.equal(true);
        await server.start();
        await until(() => !store.isUntrusted);
        const probe = new Redis(server.url);
        const epoch = await probe.get(`${ns}:epoch`);
        probe.disconnect();
        expect(epoch).to.be.a('string');
        await q();
        const hit: any[] = await q();
        expect(hit[0].grade).to.equal('7');
        expect(cache.stats().hits).to.equal(2);
      } finally {
        cache.uninstall();
        client.disconnect();
        await server.stop();
      }
    });

    it('an instance that lost contact invalidates everything when it is back (its invalidation was lost)', async () => {
      const other = await newSequelize();
      const s2 = defineSchema(other, 'rs');
      const ca = new Redis(redisUrl());
      const cb = new Redis(redisUrl());
      const ns = redisNamespace('lost');
      namespaces.push(ns);
      const storeA = new RedisStore({ client: ca, namespace: ns });
      const a = QueryCache.install(sequelize, { store: storeA, keySecret: SECRET, encryptionKey: KEY });
      const b = QueryCache.install(other, { store: new RedisStore({ client: cb, namespace: ns }), keySecret: SECRET, encryptionKey: KEY });
      try {
        await ready(ca, cb);
        const qb = () => s2.Student.findAll({ order: [['id', 'ASC']], cache: true });
        await qb();
        await until(async () => (await admin.keys(`${ns}:e:*`)).length === 1);
        ca.disconnect();
        await until(() => ca.status === 'end');
        await s.Student.update({ name: 'Lost Write' }, { where: {} }); // A's bump cannot reach Redis
        expect(storeA.isUntrusted).to.equal(true);
        expect((await s.Student.findAll({ cache: true })).length).to.equal(4); // A falls through meanwhile
        await ca.connect();
        await until(() => !storeA.isUntrusted);
        const fromB: any[] = await qb();
        expect(fromB.map((x) => x.name)).to.deep.equal(['Lost Write', 'Lost Write', 'Lost Write', 'Lost Write']);
      } finally {
        a.uninstall();
        b.uninstall();
        ca.disconnect();
        cb.disconnect();
        await other.close();
      }
    });

    it('falls through within the timeout when Redis is slow (paused), without failing the query', async () => {
      const server = await PrivateRedis.start();
      const client = new Redis(server.url);
      const ctl = new Redis(server.url);
      const { cache } = install(client, 'slow', { redisTimeoutMillis: 30 });
      try {
        await ready(client, ctl);
        await ctl.client('PAUSE', 1000, 'ALL');
        const r: any[] = await s.Student.findAll({ order: [['id', 'ASC']], cache: true });
        expect(r.map((x) => x.name)).to.include('Alice Smith');
        expect(cache.stats().errors).to.equal(1);
      } finally {
        cache.uninstall();
        client.disconnect();
        ctl.disconnect();
        await server.stop();
      }
    });
  });
});
