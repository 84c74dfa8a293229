/**
 * sanitizeSql throughput against libpg-query's normalize (the real PostgreSQL parser),
 * measured in the same run over bench/corpus.json (SQL captured from Sequelize 6; see
 * corpus.generate.ts), plus a growth table showing the work is linear in input length.
 *
 *   npx tsx bench/sanitizer.bench.ts        (QUERYLENS_BENCH_OUT=file appends JSON lines)
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, normalizeSync } from 'libpg-query';
import type { sanitizeSql as SanitizeSql } from '../src/sql/sanitizeSql';

// Measure the compiled package (what users run) when `pnpm build` output is fresh; else the source via tsx.
// (fresh: every src/sql/*.ts is older than its dist/sql/*.js; tsc -b leaves unchanged outputs untouched)
const built = join(__dirname, '../dist/sql/sanitizeSql.js');
const fresh = readdirSync(join(__dirname, '../src/sql')).every((f) => {
  const js = join(__dirname, '../dist/sql', f.replace(/\.ts$/, '.js'));
  return existsSync(js) && statSync(js).mtimeMs >= statSync(join(__dirname, '../src/sql', f)).mtimeMs;
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sanitizeSql } = require(fresh ? built : '../src/sql/sanitizeSql') as { sanitizeSql: typeof SanitizeSql };

interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  target: number | null;
  met: boolean | null;
}

const figures: Figure[] = [];
function record(f: Figure): void {
  figures.push(f);
}

/**
 * CPU nanoseconds per call of each function over `inputs`: rounds of about `millis` / rounds
 * each, interleaved (a, b, a, b, ...) so load changes hit every function alike; best round
 * wins. CPU time (process.cpuUsage) rather than wall-clock: the machine is shared, and
 * time spent waiting for a core is not the function's cost.
 */
function measure(inputs: string[], fns: Array<(s: string) => unknown>, millis: number, rounds = 7): number[] {
  let sink = 0;
  const best = fns.map(() => Infinity);
  for (const fn of fns) {
    const warm = performance.now() + 150;
    while (performance.now() < warm) for (const s of inputs) sink ^= String(fn(s)).length;
  }
  for (let round = 0; round < rounds; round++) {
    fns.forEach((fn, k) => {
      let calls = 0;
      const start = process.cpuUsage();
      const end = performance.now() + millis / rounds / fns.length;
      do {
        for (const s of inputs) sink ^= (fn(s) as string).length;
        calls += inputs.length;
      } while (performance.now() < end);
      const used = process.cpuUsage(start);
      const ns = ((used.user + used.system) * 1000) / calls;
      if (ns < best[k]) best[k] = ns;
    });
  }
  if (sink === 0.5) console.log(sink); // keep the results alive
  return best;
}

/** Ours, including flattening the text rope (Number() flattens), since a flat string is what normalize returns. */
const sanitize = (s: string): string => {
  const t = sanitizeSql(s).text;
  return Number.isNaN(Number(t)) ? t : t;
};
const normalize = (s: string): string => {
  try {
    return normalizeSync(s);
  } catch {
    return '';
  }
};
/** The "one-regex scrubber" of the issue, for scale only: it leaks (E'\'', $$...$$, comments). */
const regex = (s: string): string => s.replace(/'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b/g, '?');

const fmt = (v: number, d = 2): string => v.toFixed(d).padStart(9);
/** Throughput in MB/s of SQL text, counting one byte per character (the corpus is almost all ASCII). */
const mbps = (nsPerCall: number, charsPerCall: number): number => (charsPerCall / nsPerCall) * 1000;

async function main(): Promise<void> {
  await loadModule();
  const corpus: string[] = JSON.parse(readFileSync(join(__dirname, 'corpus.json'), 'utf8'));
  const chars = corpus.reduce((a, s) => a + s.length, 0);
  const meanChars = chars / corpus.length;
  console.log(`sanitizeSql from ${fresh ? 'dist (tsc build)' : 'src (tsx; run pnpm build to measure the compiled package)'}`);
  console.log(`corpus: ${corpus.length} Sequelize statements, mean ${meanChars.toFixed(0)} chars; CPU time, best of interleaved rounds (measured under load: shared 2-core machine)\n`);

  const [ours, theirs, naive] = measure(corpus, [sanitize, normalize, regex], 9000, 9);
  console.log('whole corpus         CPU µs/stmt      MB/s   vs normalize');
  console.log(`sanitizeSql          ${fmt(ours / 1000, 3)} ${fmt(mbps(ours, meanChars), 1)} ${fmt(theirs / ours, 1)}x`);
  console.log(`libpg-query normalize${fmt(theirs / 1000, 3)} ${fmt(mbps(theirs, meanChars), 1)}      1.0x`);
  console.log(`one regex (leaks)    ${fmt(naive / 1000, 3)} ${fmt(mbps(naive, meanChars), 1)} ${fmt(theirs / naive, 1)}x`);
  record({ name: 'sanitizer.corpus.us_per_statement', value: ours / 1000, unit: 'us', baseline: theirs / 1000, ratio: theirs / ours, target: 10, met: theirs / ours >= 10 });
  record({ name: 'sanitizer.corpus.throughput', value: mbps(ours, meanChars), unit: 'MB/s', baseline: mbps(theirs, meanChars), ratio: theirs / ours, target: 250, met: mbps(ours, meanChars) >= 250 });

  const buckets: Array<[string, string, number, number]> = [
    ['< 250', 'lt250', 0, 250],
    ['250-500', '250_500', 250, 500],
    ['500-1000', '500_1000', 500, 1000],
    ['1000-2000', '1000_2000', 1000, 2000],
    ['> 2000', 'gt2000', 2000, Infinity],
  ];
  console.log('\nby length (chars)  n   sanitizeSql µs   MB/s   normalize µs   MB/s   ratio');
  for (const [label, id, lo, hi] of buckets) {
    const inputs = corpus.filter((s) => s.length >= lo && s.length < hi);
    if (inputs.length === 0) continue;
    const mean = inputs.reduce((a, s) => a + s.length, 0) / inputs.length;
    const [a, b] = measure(inputs, [sanitize, normalize], 1600, 5);
    console.log(`${label.padEnd(12)}${String(inputs.length).padStart(6)} ${fmt(a / 1000, 3)}    ${fmt(mbps(a, mean), 1)} ${fmt(b / 1000, 3)}    ${fmt(mbps(b, mean), 1)} ${fmt(b / a, 1)}x`);
    record({ name: `sanitizer.bucket.${id}.throughput`, value: mbps(a, mean), unit: 'MB/s', baseline: mbps(b, mean), ratio: b / a, target: null, met: null });
  }

  // growth: one realistic clause repeated to 1 KB .. 1 MB
  const clause = `("Student"."lastName" = 'O''Brien' AND "Student"."ssn" = '078-05-1120' AND "Student"."grade" >= 7) OR `;
  console.log('\ngrowth (chars)      sanitizeSql ms   ns/char   normalize ms   ns/char');
  let perChar1k = 0;
  for (const size of [1_000, 10_000, 100_000, 1_000_000]) {
    let body = '';
    while (body.length < size) body += clause;
    const sql = `SELECT "Student"."id" FROM "students" AS "Student" WHERE ${body}false`;
    const [a, b] = size <= 100_000 ? measure([sql], [sanitize, normalize], 1600, 5) : [measure([sql], [sanitize], 1500, 5)[0], NaN];
    const nsPerChar = a / sql.length;
    if (size === 1_000) perChar1k = nsPerChar;
    console.log(`${String(sql.length).padEnd(18)}${fmt(a / 1e6, 3)}   ${fmt(nsPerChar, 2)}   ${Number.isNaN(b) ? '        -' : fmt(b / 1e6, 3)}   ${Number.isNaN(b) ? '        -' : fmt(b / sql.length, 2)}`);
    record({ name: `sanitizer.growth.${size}.ns_per_char`, value: nsPerChar, unit: 'ns/char', baseline: perChar1k, ratio: nsPerChar / perChar1k, target: null, met: null });
  }

  const out = process.env.QUERYLENS_BENCH_OUT;
  if (out) appendFileSync(out, figures.map((f) => JSON.stringify(f)).join('\n') + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
