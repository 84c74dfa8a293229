// Growth of the query cache with its size: memory per entry and cost of a hit with 10^3,
// 10^4 and 10^5 entries in a MemoryStore, filled by real cached `findByPk` reads on
// PostgreSQL (database ql_bench_growth). Hit cost should stay flat; memory linear.
// Run: npx tsx --expose-gc bench/growth/cache.growth.ts   (GROWTH_CACHE_MAX=10000 to shorten)
import { requireFrom, makeRecord, emit, printTable, envNumber, settledHeapBytes, BenchRecord } from './common';

const req = requireFrom('packages/sequelize');
const { Sequelize, DataTypes } = req('sequelize');
const { Client } = req('pg');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { QueryCache, MemoryStore } = require('../../packages/sequelize');

const DB = 'ql_bench_growth';

async function ensureDatabase(): Promise<string> {
  const admin = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const c = new Client({ connectionString: admin });
  await c.connect();
  try {
    const r = await c.query('select 1 from pg_database where datname = $1', [DB]);
    if (!r.rowCount) await c.query(`create database ${DB}`);
  } finally {
    await c.end();
  }
  const u = new URL(admin);
  u.pathname = `/${DB}`;
  return u.toString();
}

async function timeMicros(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Number(process.hrtime.bigint() - t0) / 1e3 / n;
}

async function main(): Promise<void> {
  const max = envNumber('GROWTH_CACHE_MAX', 100_000);
  const checkpoints = [1_000, 10_000, 100_000].filter((n) => n <= max);
  const url = await ensureDatabase();
  const sequelize = new Sequelize(url, { dialect: 'postgres', logging: false, pool: { max: 10 } });
  const Row = sequelize.define(
    'GrowthRow',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true },
      firstName: DataTypes.STRING,
      lastName: DataTypes.STRING,
      grade: DataTypes.INTEGER,
      notes: DataTypes.TEXT,
    },
    { tableName: 'growth_rows', timestamps: false },
  );
  await Row.sync();
  const have = await Row.count();
  if (have < checkpoints[checkpoints.length - 1]) {
    await sequelize.query('TRUNCATE growth_rows');
    await sequelize.query(
      `INSERT INTO growth_rows (id, "firstName", "lastName", grade, notes)
       SELECT i, 'First' || i, 'Last' || i, i % 13, repeat('synthetic note ', 8) FROM generate_series(1, ${checkpoints[checkpoints.length - 1]}) AS i`,
    );
  }
  const cache = QueryCache.install(sequelize, {
    store: new MemoryStore({ maxEntries: 1_000_000, maxBytes: 4 * 1024 ** 3 }),
    keySecret: 'growth-bench-secret-0123456789',
  });
  // uncached baseline, measured in the same run
  await timeMicros(200, (i) => Row.findByPk(1 + i));
  const uncached = await timeMicros(1000, (i) => Row.findByPk(1 + ((i * 7919) % 1000)));
  const heap0 = settledHeapBytes();
  const rows: { entries: number; bytesPerEntry: number; heapMiB: number; hitMicros: number }[] = [];
  let filled = 0;
  for (const cp of checkpoints) {
    // fill with cached reads, ten at a time (the pool has ten connections)
    while (filled < cp) {
      const batch = [];
      for (let k = 0; k < 10 && filled < cp; k++) batch.push(Row.findByPk(++filled, { cache: true }));
      await Promise.all(batch);
    }
    const heap = settledHeapBytes();
    const probes = 2000;
    // a first pass warms the JIT (and the first checkpoint would otherwise pay for it)
    await timeMicros(probes, (i) => Row.findByPk(1 + ((i * 7919) % cp), { cache: true }));
    const hits0 = cache.stats().hits;
    // median of 5 batches, so one garbage collection does not decide the figure
    const batches: number[] = [];
    for (let b = 0; b < 5; b++) {
      batches.push(await timeMicros(probes / 5, (i) => Row.findByPk(1 + (((b * probes) / 5 + i) * 7919) % cp, { cache: true })));
    }
    const hitMicros = batches.sort((x, y) => x - y)[2];
    if (cache.stats().hits - hits0 < probes * 0.99) throw new Error(`expected cache hits at ${cp} entries, got ${cache.stats().hits - hits0}/${probes}`);
    rows.push({ entries: cp, bytesPerEntry: (heap - heap0) / cp, heapMiB: heap / 2 ** 20, hitMicros });
  }
  const records: BenchRecord[] = [makeRecord({ name: 'growth.cache.uncached_findByPk', value: uncached, unit: 'µs' })];
  const base = rows[0];
  for (const r of rows) {
    const n = r.entries.toExponential(0).replace('+', '');
    records.push(makeRecord({ name: `growth.cache.${n}_entries.heap`, value: r.heapMiB, unit: 'MiB' }));
    records.push(makeRecord({ name: `growth.cache.${n}_entries.bytes_per_entry`, value: r.bytesPerEntry, unit: 'bytes/entry' }));
    // flat: a hit with N entries costs at most 2x a hit with 10^3 entries
    records.push(
      makeRecord({ name: `growth.cache.${n}_entries.hit`, value: r.hitMicros, unit: 'µs/hit', baseline: base.hitMicros, target: 2, direction: 'max' }),
    );
    records.push(makeRecord({ name: `growth.cache.${n}_entries.speedup`, value: uncached / r.hitMicros, unit: 'x vs uncached findByPk' }));
  }
  printTable('Query cache (MemoryStore) with N entries: memory and hit cost (ratio against 10^3 entries; flat = near 1)', records);
  emit(records);
  await sequelize.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
