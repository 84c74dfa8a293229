/**
 * Cost of the full QueryLensSpanProcessor per DB span (typical Sequelize statements,
 * sanitizing included) and per non-DB span, against a no-op processor in the same run,
 * plus the cost of a call-site capture and a heap growth table (1e4, 1e5, 1e6 spans with
 * distinct statements). `db_span_cost_without_memo`: the same with the statement and shape
 * memos off. Each DB span gets a new string (as an ORM builds one per query), never the corpus'
 * own string object again.
 *
 *   npx tsx --expose-gc bench/processors.bench.ts     (QUERYLENS_BENCH_OUT=file appends JSON lines;
 *                                                       QUERYLENS_BENCH_GROWTH_MAX=100000 shortens the growth table)
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { NoopSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';

// Measure the compiled output when it exists (`pnpm build`): under tsx, every imported
// constant is a getter call, which inflates the figures.
const lib = existsSync(join(__dirname, '..', 'dist', 'index.js')) ? '../dist' : '../src';
/* eslint-disable @typescript-eslint/no-require-imports */
const { QueryLensSpanProcessor, sanitizeSql } = require(lib) as typeof import('../src');
const { captureStack } = require(`${lib}/processors/appStackTrace`) as typeof import('../src/processors/appStackTrace');
const { statementMemos } = require(`${lib}/processors/StatementMemo`) as typeof import('../src/processors/StatementMemo');
/* eslint-enable @typescript-eslint/no-require-imports */

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
const round = (x: number) => Number(x.toPrecision(4));

/** Typical Sequelize statements, used when the sanitizer's corpus (bench/corpus.json) is absent. */
const FALLBACK = [
  `SELECT "Student"."id", "Student"."firstName", "Student"."lastName", "Student"."grade", "Student"."schoolId" FROM "Students" AS "Student" WHERE "Student"."lastName" = 'Smith' AND "Student"."active" = true ORDER BY "Student"."lastName" ASC LIMIT 50 OFFSET 100;`,
  `SELECT "HealthRecord"."id", "HealthRecord"."studentId", "HealthRecord"."notes", "HealthRecord"."recordedAt" FROM "HealthRecords" AS "HealthRecord" WHERE "HealthRecord"."studentId" = 4711 ORDER BY "HealthRecord"."recordedAt" DESC LIMIT 20;`,
  `INSERT INTO "Appointments" ("id","studentId","nurseId","startsAt","reason","createdAt","updatedAt") VALUES (DEFAULT,$1,$2,$3,$4,$5,$6) RETURNING "id","studentId","nurseId","startsAt","reason","createdAt","updatedAt";`,
  `UPDATE "Students" SET "grade"=$1,"updatedAt"=$2 WHERE "id" = $3`,
  `SELECT "EmergencyContact"."id", "EmergencyContact"."name", "EmergencyContact"."phone" FROM "EmergencyContacts" AS "EmergencyContact" WHERE "EmergencyContact"."studentId" IN (12, 13, 14, 15, 16, 17, 18, 19);`,
];
const corpusFile = join(__dirname, 'corpus.json');
const corpus: string[] = existsSync(corpusFile) ? JSON.parse(readFileSync(corpusFile, 'utf8')) : FALLBACK;
const meanLength = corpus.reduce((a, s) => a + s.length, 0) / corpus.length;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A new, flat copy of `sql`, as an ORM builds each statement (a string object of its own):
 * V8 caches a string's hash on the object, so reusing the corpus' strings would hide what a
 * hash-keyed lookup of the statement costs in an application.
 */
function fresh(sql: string): string {
  const half = sql.length >> 1;
  const copy = sql.slice(0, half) + sql.slice(half);
  copy.charCodeAt(0); // flattens it (the driver has written it to its socket by the time the span ends)
  return copy;
}

/** CPU ns per span of `spans` spans (DB or not) through a provider with `processor`. */
function run(processor: SpanProcessor, spans: number, db: boolean): number {
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('bench');
  let parent = tracer.startSpan('GET /students');
  let ctx = trace.setSpan(context.active(), parent);
  const c0 = process.cpuUsage();
  for (let i = 0; i < spans; i++) {
    if (i % 20 === 0) {
      parent.end();
      parent = tracer.startSpan('GET /students');
      ctx = trace.setSpan(context.active(), parent);
    }
    const attributes: Attributes = db
      ? { 'db.system.name': 'postgresql', 'db.namespace': 'school', 'db.query.text': fresh(corpus[i % corpus.length]) }
      : { 'http.request.method': 'GET', 'url.path': '/students', 'http.response.status_code': 200 };
    tracer.startSpan(db ? 'pg.query:SELECT school' : 'middleware - jsonParser', { attributes }, ctx).end();
  }
  const c = process.cpuUsage(c0);
  // CPU time of this process (user + system), not wall time: the machine is shared, and
  // time spent descheduled would otherwise land in the figure.
  const ns = ((c.user + c.system) * 1000) / spans;
  parent.end();
  void processor.shutdown();
  return ns;
}

/** Wraps a processor and sums the time spent in its hooks. */
class Timed implements SpanProcessor {
  ns = 0;
  constructor(private readonly p: SpanProcessor) {}
  onStart(s: any, c: any): void {
    const t = process.hrtime.bigint();
    this.p.onStart(s, c);
    this.ns += Number(process.hrtime.bigint() - t);
  }
  onEnding(s: any): void {
    const t = process.hrtime.bigint();
    this.p.onEnding?.(s);
    this.ns += Number(process.hrtime.bigint() - t);
  }
  onEnd(s: any): void {
    const t = process.hrtime.bigint();
    this.p.onEnd(s);
    this.ns += Number(process.hrtime.bigint() - t);
  }
  forceFlush(): Promise<void> {
    return this.p.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.p.shutdown();
  }
}

/**
 * Time inside the processor's hooks per span, in µs: the hooks of `make()` minus those of a
 * no-op processor wrapped the same way (which cancels the timer's own cost), median of
 * interleaved rounds. Less sensitive to the machine's load than end-to-end differences.
 */
function hookCost(make: () => SpanProcessor, db: boolean, rounds = 9, spans = 20_000): { us: number; baselineUs: number } {
  const diffs: number[] = [];
  const bases: number[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    const noop = new Timed(new NoopSpanProcessor());
    const base = run(noop, spans, db);
    const it = new Timed(make());
    run(it, spans, db);
    if (r === 0) continue; // warm-up
    bases.push(base);
    diffs.push((it.ns - noop.ns) / (spans * 1.05));
  }
  return { us: median(diffs) / 1000, baselineUs: median(bases) / 1000 };
}

/**
 * Median over interleaved rounds of (with - without), and the median baseline, in µs. 15 rounds:
 * this machine's speed drifts by up to 2x within a minute, and the median of fewer swung by 15%.
 */
function cost(make: () => SpanProcessor, db: boolean, rounds = 15, spans = 20_000): { us: number; baselineUs: number } {
  run(new NoopSpanProcessor(), spans, db);
  run(make(), spans, db);
  const diffs: number[] = [];
  const bases: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const base = run(new NoopSpanProcessor(), spans, db);
    const withIt = run(make(), spans, db);
    bases.push(base);
    diffs.push(withIt - base);
  }
  return { us: median(diffs) / 1000, baselineUs: median(bases) / 1000 };
}

function costFigure(name: string, c: { us: number; baselineUs: number }, target: number | null): void {
  // The target applies to `value` (µs added per span); the no-op run is the baseline.
  figures.push({
    name, value: round(c.us), unit: 'us/span', baseline: round(c.baselineUs), ratio: null, target, met: target === null ? null : c.us < target,
  });
}

function sanitizeCost(): number {
  let sink = 0;
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 20_000; i++) sink += sanitizeSql(corpus[i % corpus.length]).text.length;
    rounds.push(Number(process.hrtime.bigint() - t0) / 20_000);
  }
  if (sink === 42) console.log('');
  return median(rounds) / 1000;
}

function captureCost(): number {
  const rounds: number[] = [];
  let sink = 0;
  for (let r = 0; r < 7; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 20_000; i++) sink += captureStack() ? 1 : 0;
    rounds.push(Number(process.hrtime.bigint() - t0) / 20_000);
  }
  if (sink === 42) console.log('');
  return median(rounds) / 1000;
}

function heapMiB(): number {
  (global as any).gc?.();
  (global as any).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function growth(): void {
  const max = Number(process.env.QUERYLENS_BENCH_GROWTH_MAX ?? 1_000_000);
  const checkpoints = [10_000, 100_000, 1_000_000].filter((n) => n <= max);
  const ql = new QueryLensSpanProcessor();
  const provider = new TracerProvider({ spanProcessors: [ql] });
  const tracer = provider.getTracer('growth');
  const start = heapMiB();
  let done = 0;
  const rows: Array<[number, number]> = [];
  for (const cp of checkpoints) {
    while (done < cp) {
      const parent = tracer.startSpan('GET /students/:id');
      const ctx = trace.setSpan(context.active(), parent);
      for (let i = 0; i < 10 && done < cp; i++, done++) {
        const text = `SELECT "c${done}" FROM "table_${done}" AS "t" WHERE "t"."id" = ${done} AND "t"."name" = 'Name ${done}'`;
        tracer.startSpan('pg.query', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': text } }, ctx).end();
      }
      parent.end();
    }
    rows.push([cp, heapMiB()]);
  }
  void provider.shutdown();
  const base = rows[0][1];
  figures.push({ name: 'core.processors.heap.before', value: round(start), unit: 'MiB', baseline: null, ratio: null, target: null, met: null });
  for (const [n, mib] of rows) {
    const ratio = mib / base;
    figures.push({
      name: `core.processors.heap.${n.toExponential(0).replace('+', '')}_spans`,
      value: round(mib), unit: 'MiB', baseline: round(base), ratio: round(ratio), target: 1.5, met: ratio <= 1.5,
    });
  }
}

/** A processor that only sanitizes each DB span's statement (the part of the cost owned by sanitizeSql). */
function sanitizeOnly(): SpanProcessor {
  return {
    onStart() {},
    onEnding(s: any) {
      const t = s.attributes['db.query.text'];
      if (typeof t === 'string') sanitizeSql(t);
    },
    onEnd() {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

function main(): void {
  console.log(`corpus${existsSync(corpusFile) ? '' : ' (built-in fallback)'}: ${corpus.length} Sequelize statements, ${meanLength.toFixed(0)} characters on average; code from ${lib}; measured under load`);
  costFigure('core.processors.db_span_cost', cost(() => new QueryLensSpanProcessor(), true), 3);
  costFigure('core.processors.db_span_sanitize_share', cost(sanitizeOnly, true), null);
  // The corpus repeats: its statements without literals (INSERT ... VALUES ($1, ...)) hit the
  // statement memo, as they would in an application. Without the memo, every span is sanitized.
  statementMemos.enabled = false;
  costFigure('core.processors.db_span_cost_without_memo', cost(() => new QueryLensSpanProcessor(), true), null);
  statementMemos.enabled = true;
  costFigure('core.processors.non_db_span_cost', cost(() => new QueryLensSpanProcessor(), false), 0.3);
  costFigure('core.processors.db_span_cost_always_stacks', cost(() => new QueryLensSpanProcessor({ slowQueryStackTraces: 'always' }), true, 5), 3);
  costFigure('core.processors.db_span_cost_hooks_wall', hookCost(() => new QueryLensSpanProcessor(), true, 5), 3);
  costFigure('core.processors.non_db_span_cost_hooks_wall', hookCost(() => new QueryLensSpanProcessor(), false, 5), 0.3);
  figures.push({ name: 'core.processors.sanitize_cost', value: round(sanitizeCost()), unit: 'us/statement', baseline: null, ratio: null, target: null, met: null });
  figures.push({ name: 'core.processors.stack_capture_cost', value: round(captureCost()), unit: 'us/capture', baseline: null, ratio: null, target: null, met: null });
  growth();

  console.log('\n| figure | value | unit | baseline | ratio | target | met |\n|---|---|---|---|---|---|---|');
  for (const f of figures) {
    console.log(`| ${f.name} | ${f.value} | ${f.unit} | ${f.baseline ?? ''} | ${f.ratio ?? (f.baseline ? round(f.value / f.baseline) : '')} | ${f.target ?? ''} | ${f.met ?? ''} |`);
  }
  console.log('(baseline of the *_cost rows: SDK cost per span with a no-op processor, same run; their target applies to the value.');
  console.log(' *_cost: CPU time per span with the processor minus with a no-op one (median of interleaved rounds);');
  console.log(' *_hooks_wall: wall time inside the hooks; sanitize_share: a processor that only runs sanitizeSql)');
  const out = process.env.QUERYLENS_BENCH_OUT;
  if (out) appendFileSync(out, figures.map((f) => JSON.stringify(f) + '\n').join(''));
}

main();
