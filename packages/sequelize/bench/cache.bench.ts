// Query cache speed on the real PostgreSQL: uncached vs MemoryStore hit vs RedisStore hit,
// for findByPk and for findAll with includes, in one run; plus a growth table of the
// MemoryStore (memory and hit cost with 1e3, 1e4, 1e5 entries).
// Run: npx tsx bench/cache.bench.ts   (BENCH_SECONDS per phase, default 2; QUERYLENS_BENCH_OUT for JSONL)
import { appendFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Redis from 'ioredis';
import { MemoryStore, QueryCache, RedisStore } from '../src';
import { analyzeSql } from '../src/sql/tableNames';
import { defineSchema, newSequelize, redisNamespace, redisUrl, seed } from '../test/support/db';
import { deleteNamespace } from '../test/support/redisServer';

interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  target: string | null;
  met: boolean | null;
}
const figures: Figure[] = [];
function figure(f: Figure): void {
  figures.push(f);
  if (process.env.QUERYLENS_BENCH_OUT) appendFileSync(process.env.QUERYLENS_BENCH_OUT, JSON.stringify(f) + '\n');
}

const phaseMillis = 1000 * Number(process.env.BENCH_SECONDS ?? 2);

/**
 * µs per call of `fn`, run repeatedly for about `phaseMillis` after a warm-up, in chunks of
 * ~50 ms: `mean` over the whole phase, and `best`, the fastest chunk (the least disturbed by
 * the other processes sharing the CPU).
 */
async function measure(fn: () => Promise<unknown>): Promise<{ mean: number; best: number }> {
  for (let i = 0; i < 200; i++) await fn();
  let n = 0;
  let best = Infinity;
  const t0 = process.hrtime.bigint();
  const end = Date.now() + phaseMillis;
  while (Date.now() < end) {
    const c0 = process.hrtime.bigint();
    const chunkEnd = Date.now() + 50;
    let k = 0;
    while (Date.now() < chunkEnd) {
      for (let i = 0; i < 10; i++) await fn();
      k += 10;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - c0) / 1e3 / k);
    n += k;
  }
  return { mean: Number(process.hrtime.bigint() - t0) / 1e3 / n, best };
}

async function micros(fn: () => Promise<unknown>): Promise<number> {
  return (await measure(fn)).mean;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const plain = await newSequelize({ pool: { max: 4 } });
  const mem = await newSequelize({ pool: { max: 4 } });
  const red = await newSequelize({ pool: { max: 4 } });
  const sp = defineSchema(plain, 'bench');
  const sm = defineSchema(mem, 'bench');
  const sr = defineSchema(red, 'bench');
  await plain.sync({ force: true });
  for (let i = 0; i < 25; i++) await seed(sp);
  const memCache = QueryCache.install(mem, { store: new MemoryStore() });
  const client = new Redis(redisUrl());
  const ns = redisNamespace('bench');
  const redisCache = QueryCache.install(red, { store: new RedisStore({ client, namespace: ns }), keySecret: 'bench-secret-0123456789', encryptionKey: Buffer.alloc(32, 9) });
  while (client.status !== 'ready') await new Promise((r) => setTimeout(r, 10));

  const queries = {
    findByPk: (s: typeof sp, cache: boolean) => s.Student.findByPk(42, { cache }),
    'findAll+include': (s: typeof sp, cache: boolean) =>
      s.Student.findAll({ where: { grade: '6', nurseId: 1 }, include: [s.Nurse, s.Course], limit: 10, order: [['id', 'ASC']], cache }),
  };
  console.log(`QueryCache bench (measured under load, ${phaseMillis} ms per phase)\n`);
  console.log('query             uncached µs   memory hit µs (best 50 ms)   ratio   redis hit µs   ratio   redis cmds/hit');
  for (const [name, q] of Object.entries(queries)) {
    const uncached = await micros(() => q(sp, false));
    const mem = await measure(() => q(sm, true));
    const memHit = mem.mean;
    await q(sr, true);
    await new Promise((r) => setTimeout(r, 50));
    let sent = 0;
    const orig = client.sendCommand.bind(client);
    (client as any).sendCommand = (...a: any[]) => {
      sent++;
      return orig(...(a as [any]));
    };
    const hitsBefore = redisCache.stats().hits;
    const redisHit = await micros(() => q(sr, true));
    (client as any).sendCommand = orig;
    const perHit = sent / (redisCache.stats().hits - hitsBefore);
    const memRatio = uncached / memHit;
    const redisRatio = uncached / redisHit;
    console.log(
      `${name.padEnd(17)} ${uncached.toFixed(1).padStart(11)} ${memHit.toFixed(2).padStart(15)} (${mem.best.toFixed(2).padStart(6)})      ${memRatio.toFixed(0).padStart(6)}x ${redisHit.toFixed(1).padStart(14)} ${redisRatio.toFixed(1).padStart(6)}x ${perHit.toFixed(2).padStart(16)}`,
    );
    figure({ name: `cache.${name}.uncached`, value: uncached, unit: 'us', baseline: null, ratio: null, target: null, met: null });
    figure({ name: `cache.${name}.memory_hit`, value: memHit, unit: 'us', baseline: uncached, ratio: memRatio, target: name === 'findByPk' ? '<= 5 us and >= 40x' : '>= 40x', met: memRatio >= 40 && (name !== 'findByPk' || memHit <= 5) });
    figure({ name: `cache.${name}.memory_hit_best_chunk`, value: mem.best, unit: 'us', baseline: uncached, ratio: uncached / mem.best, target: name === 'findByPk' ? '<= 5 us' : null, met: name === 'findByPk' ? mem.best <= 5 : null });
    figure({ name: `cache.${name}.redis_hit`, value: redisHit, unit: 'us', baseline: uncached, ratio: redisRatio, target: '>= 2.5x', met: redisRatio >= 2.5 });
    figure({ name: `cache.${name}.redis_round_trips_per_hit`, value: perHit, unit: 'commands', baseline: null, ratio: null, target: '== 1', met: Math.abs(perHit - 1) < 1e-9 });
  }
  // The key memo (query description -> HMAC key) against an HMAC on every hit (keyMemoEntries: 0).
  const nm = await newSequelize({ pool: { max: 2 } });
  const sn = defineSchema(nm, 'bench');
  const noMemo = QueryCache.install(nm, { store: new MemoryStore(), keyMemoEntries: 0 });
  await sn.Student.findByPk(42, { cache: true });
  const memo = await micros(() => sm.Student.findByPk(42, { cache: true }));
  const hmacEach = await micros(() => sn.Student.findByPk(42, { cache: true }));
  console.log(`\nfindByPk memory hit: key memo ${memo.toFixed(2)} µs, HMAC on every hit (keyMemoEntries: 0) ${hmacEach.toFixed(2)} µs (${(hmacEach / memo).toFixed(2)}x)`);
  figure({ name: 'cache.findByPk.memory_hit_no_key_memo', value: hmacEach, unit: 'us', baseline: memo, ratio: hmacEach / memo, target: '<= 5 us', met: hmacEach <= 5 });
  noMemo.uninstall();
  await nm.close();

  // SQL analysis (lexer + write/read/function classification) run on every statement sent, against the query itself.
  let text = '';
  await queries['findAll+include'](sp, false);
  await sp.Student.findAll({ where: { grade: '6', nurseId: 1 }, include: [sp.Nurse, sp.Course], limit: 10, order: [['id', 'ASC']], logging: (q: string) => (text = q.replace(/^Executing \([^)]*\): /, '')) });
  const uncachedInclude = await micros(() => queries['findAll+include'](sp, false));
  for (let i = 0; i < 2000; i++) analyzeSql(text);
  let runs = 0;
  const a0 = process.hrtime.bigint();
  for (const aEnd = Date.now() + phaseMillis / 2; Date.now() < aEnd; runs += 100) for (let i = 0; i < 100; i++) analyzeSql(text);
  const analyze = Number(process.hrtime.bigint() - a0) / 1e3 / runs;
  console.log(`analyzeSql on the findAll+include SQL (${text.length} chars): ${analyze.toFixed(2)} µs = ${((100 * analyze) / uncachedInclude).toFixed(2)}% of the uncached query (${uncachedInclude.toFixed(0)} µs)`);
  figure({ name: 'cache.analyze_sql.findAll_include', value: analyze, unit: 'us', baseline: uncachedInclude, ratio: analyze / uncachedInclude, target: null, met: null });

  const errors = memCache.stats().errors + redisCache.stats().errors;
  if (errors) console.log(`note: ${errors} store errors (Redis replies slower than redisTimeoutMillis under load); those reads fell through to PostgreSQL`);

  // Growth: a MemoryStore filled with N entries (each a private copy of one real Student
  // row under a distinct key), then the cost of a real findByPk hit among them.
  console.log('\nMemoryStore growth   entries   heap MB   bytes/entry   store estimate MB   findByPk hit µs');
  for (const n of [1_000, 10_000, 100_000]) {
    const g = await newSequelize({ pool: { max: 2 } });
    const sg = defineSchema(g, 'bench');
    const store = new MemoryStore({ maxEntries: n + 10, maxBytes: 2 ** 31 });
    const cache = QueryCache.install(g, { store });
    await sg.Student.findByPk(42, { cache: true });
    const template: any = await sg.Student.findByPk(43);
    const before = heapUsed();
    for (let i = 1; i < n; i++) {
      const look = store.lookup(`q:Student:synthetic${i}`, ['students_bench']);
      if (!look.hit && look.stamp) store.store(`q:Student:synthetic${i}`, ['students_bench'], look.stamp, { template: cloneInstance(template) }, 600);
    }
    const bytes = heapUsed() - before;
    const hit = await micros(() => sg.Student.findByPk(42, { cache: true }));
    console.log(`${''.padEnd(20)} ${String(n).padStart(8)} ${(bytes / 2 ** 20).toFixed(1).padStart(9)} ${(bytes / n).toFixed(0).padStart(13)} ${(store.byteCount() / 2 ** 20).toFixed(1).padStart(19)} ${hit.toFixed(2).padStart(17)}`);
    figure({ name: `cache.growth.${n}.heap_bytes_per_entry`, value: bytes / n, unit: 'bytes', baseline: null, ratio: null, target: null, met: null });
    figure({ name: `cache.growth.${n}.hit`, value: hit, unit: 'us', baseline: null, ratio: null, target: null, met: null });
    cache.uninstall();
    await store.close();
    await g.close();
  }

  memCache.uninstall();
  redisCache.uninstall();
  await deleteNamespace(client, ns);
  client.disconnect();
  await Promise.all([plain.close(), mem.close(), red.close()]);
}

/** A private copy of one instance, as the cache keeps it. */
function cloneInstance(inst: any): any {
  const c = Object.create(Object.getPrototypeOf(inst));
  c.dataValues = { ...inst.dataValues };
  c._previousDataValues = { ...inst._previousDataValues };
  c._changed = new Set();
  c._options = { ...inst._options };
  c.isNewRecord = false;
  c.uniqno = 1;
  return c;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
