// Growth of sanitizeSql's cost with the statement length: 1 KB to 1 MB should be linear
// (constant time per byte). Run: npx tsx bench/growth/sanitizer.growth.ts
import { requireFrom, makeRecord, emit, printTable, envNumber, BenchRecord } from './common';

const { sanitizeSql } = requireFrom('packages/sequelize')('@querylens/core') as typeof import('../../packages/core/src/index');

/** A Sequelize-shaped SELECT with an IN-list of mixed literals, grown to at least `bytes` characters. */
function statement(bytes: number): string {
  const head =
    'SELECT "Student"."id", "Student"."firstName", "Student"."lastName", "Student"."grade", "nurse"."id" AS "nurse.id" ' +
    'FROM "Students" AS "Student" LEFT OUTER JOIN "Users" AS "nurse" ON "Student"."nurseId" = "nurse"."id" ' +
    "WHERE \"Student\".\"deletedAt\" IS NULL /* list */ AND \"Student\".\"lastName\" = 'O''Brien' AND \"Student\".\"id\" IN (";
  const parts: string[] = [];
  let len = head.length + 40;
  for (let i = 0; len < bytes; i++) {
    const item =
      i % 4 === 0
        ? `'${(0x10000000 + i).toString(16)}-7c1e-4b5a-9f0e-${(1e11 + i).toString().slice(0, 12)}'`
        : i % 4 === 1
          ? `${i * 37}`
          : i % 4 === 2
            ? `E'it\\'s ${i}'`
            : `'Zqv ''${i}'' $$x'`;
    parts.push(item);
    len += item.length + 2;
  }
  return `${head}${parts.join(', ')}) ORDER BY "Student"."lastName" ASC LIMIT 20 OFFSET 0;`;
}

function timePerCallNanos(sql: string, budgetMillis: number): number {
  // warm up, then batches until the budget is spent; the median batch is reported
  for (let i = 0; i < 3; i++) sanitizeSql(sql);
  const perBatch = Math.max(1, Math.round(200_000 / sql.length));
  const samples: number[] = [];
  const end = Date.now() + budgetMillis;
  while (Date.now() < end || samples.length < 5) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i++) sanitizeSql(sql);
    samples.push(Number(process.hrtime.bigint() - t0) / perBatch);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function main(): void {
  const budget = envNumber('GROWTH_BUDGET_MILLIS', 1500);
  const sizes = [1024, 10 * 1024, 100 * 1024, 1024 * 1024];
  const rows: { bytes: number; nanos: number }[] = [];
  for (const bytes of sizes) {
    const sql = statement(bytes);
    const out = sanitizeSql(sql);
    if (out.text.includes("O''Brien") || out.text.includes('Zqv')) throw new Error('sanitizeSql leaked a literal in the growth corpus');
    rows.push({ bytes: sql.length, nanos: timePerCallNanos(sql, budget) });
  }
  const base = rows[0].nanos / rows[0].bytes;
  const records: BenchRecord[] = [];
  for (const r of rows) {
    const label = r.bytes >= 1024 * 1024 ? `${Math.round(r.bytes / 1024 / 1024)}MB` : `${Math.round(r.bytes / 1024)}KB`;
    records.push(makeRecord({ name: `growth.sanitizer.${label}.time`, value: r.nanos / 1000, unit: 'µs/statement' }));
    records.push(makeRecord({ name: `growth.sanitizer.${label}.throughput`, value: r.bytes / r.nanos * 1e9 / 1024 / 1024, unit: 'MB/s' }));
    // linear growth: time per byte stays within 3x of the 1 KB figure (quadratic work would be
    // ~1000x at 1 MB; cache misses on a 1 MB string cost up to ~3x on this machine)
    records.push(
      makeRecord({ name: `growth.sanitizer.${label}.ns_per_byte`, value: r.nanos / r.bytes, unit: 'ns/byte', baseline: base, target: 3, direction: 'max' }),
    );
  }
  printTable('sanitizeSql growth with statement length (ns/byte against the 1 KB figure; linear = ratio near 1)', records);
  emit(records);
}

main();
