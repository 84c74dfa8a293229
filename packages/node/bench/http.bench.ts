/**
 * HTTP + pg app (3 queries per request) under (a) nothing, (b) a hand-written NodeSDK
 * with the same instrumentations/exporters but no querylens processors, (c)
 * `@opentelemetry/auto-instrumentations-node/register`, (d) the querylens register.
 * Each variant is its own child process, exporters point at a local sink answering 200.
 * A round starts every variant's process and warms each up, then loads them in turn, in a
 * fixed cyclic order (rotated from one round to the next), BENCH_PHASES times each: every
 * variant waits the same time between its phases. Prints req/s, p50/p99 latency and CPU per
 * request, and the ratios d/b and d/c (targets: d >= 97% of b, d >= c): each phase of d is
 * compared with b (or c) interpolated between its phases just before and after in time (see
 * interpolatedRatio in bench/lib/records.js), median over the phases.
 *
 *   npx tsx bench/http.bench.ts          (BENCH_SECONDS=2 per phase, BENCH_PHASES=2 per round, BENCH_ROUNDS=8,
 *                                         BENCH_RATE=400: a fixed request rate, for CPU per request at equal load,
 *                                         BENCH_VARIANTS=a,b,c,d,e: also (e), the register with its processor's
 *                                         hooks off, to split (d)'s cost; see bench/bypass-hooks.js; `f`: (d) with
 *                                         QUERYLENS_ESM_HOOK=true, the loader hook this CommonJS app gets no more)
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';

// the estimators shared with the example app's load test (plain JavaScript, no types)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { median, interpolatedRatio } = require('../../../bench/lib/records') as {
  median: (xs: number[]) => number;
  interpolatedRatio: (xs: Timed[], ys: Timed[]) => number | null;
};
/** A measurement and when it was taken (`slot`: its sequence number over the whole bench). */
interface Timed {
  slot: number;
  round: number;
  value: number;
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
/** Measured phases per variant in each round. */
const PHASES = Number(process.env.BENCH_PHASES ?? 2);
if (!(PHASES >= 2)) throw new Error(`BENCH_PHASES must be at least 2 (got ${process.env.BENCH_PHASES}): a phase of d is compared with b's phases before and after it`);
/**
 * Requests per second offered in the measured phase (BENCH_RATE), 0 for as many as the app
 * answers. At a fixed rate every variant does the same work per second, so CPU per request
 * compares their cost without the effects of throughput (batching, load-generator share).
 */
const RATE = Number(process.env.BENCH_RATE ?? 0);
const CONNECTIONS = 10;
const PKG = path.resolve(__dirname, '..');
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB_URL = (() => {
  const u = new URL(BASE_URL);
  u.pathname = '/ql_node_test';
  return u.toString();
})();
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

type VariantId = 'a' | 'b' | 'c' | 'd' | 'e' | 'f';
const ALL_VARIANTS: Array<{ id: VariantId; label: string; args: string[]; env?: Record<string, string> }> = [
  { id: 'a', label: '(a) bare', args: [] },
  { id: 'b', label: '(b) NodeSDK, no querylens', args: ['--require', path.join(PKG, 'bench', 'otel-baseline.js')] },
  { id: 'c', label: '(c) auto-instrumentations-node', args: ['--require', '@opentelemetry/auto-instrumentations-node/register'] },
  { id: 'd', label: '(d) querylens register', args: ['--require', path.join(PKG, 'dist', 'register.js')] },
  // diagnostic, only when BENCH_VARIANTS names it: (d) with the processor's hooks turned off
  {
    id: 'e',
    label: '(e) register, hooks off',
    args: ['--require', path.join(PKG, 'dist', 'register.js'), '--require', path.join(PKG, 'bench', 'bypass-hooks.js')],
  },
  // diagnostic: (d) with the ESM loader hook forced on (this CommonJS app gets none by default)
  { id: 'f', label: '(f) register, ESM hook on', args: ['--require', path.join(PKG, 'dist', 'register.js')], env: { QUERYLENS_ESM_HOOK: 'true' } },
];
/** BENCH_VARIANTS: which to run (default a,b,c,d; `e` and `f` are the diagnostics above). a, b, c and d are needed for the ratios. */
const VARIANTS = (() => {
  const wanted = (process.env.BENCH_VARIANTS ?? 'a,b,c,d').split(',').map((x) => x.trim());
  for (const id of ['a', 'b', 'c', 'd']) if (!wanted.includes(id)) throw new Error(`BENCH_VARIANTS must include a, b, c and d (got ${wanted.join(',')})`);
  return ALL_VARIANTS.filter((v) => wanted.includes(v.id));
})();

interface Sample {
  slot: number;
  round: number;
  reqps: number;
  p50: number;
  p99: number;
  cpuMicrosPerReq: number;
  errors: number;
}

async function prepareDb(): Promise<void> {
  const admin = new Client({ connectionString: BASE_URL });
  await admin.connect();
  const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'ql_node_test'");
  if (found.rowCount === 0) await admin.query('CREATE DATABASE ql_node_test').catch(() => undefined);
  await admin.end();
  const c = new Client({ connectionString: DB_URL });
  await c.connect();
  await c.query('CREATE TABLE IF NOT EXISTS ql_patients (id serial PRIMARY KEY, name text NOT NULL, ssn text UNIQUE)');
  const n = await c.query('SELECT count(*)::int AS n FROM ql_patients');
  if (n.rows[0].n < 10) await c.query(`INSERT INTO ql_patients (name) SELECT 'patient ' || g FROM generate_series(1, 10) g`);
  await c.end();
}

async function freePort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function startApp(args: string[], sinkUrl: string, extraEnv: Record<string, string> = {}): Promise<{ proc: ChildProcess; port: number }> {
  return freePort().then(
    (promPort) =>
      new Promise((resolve, reject) => {
        const env: NodeJS.ProcessEnv = {
          ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && !k.startsWith('QUERYLENS_'))),
          QL_BENCH_DB_URL: DB_URL,
          OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
          OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
          OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort),
          OTEL_SERVICE_NAME: 'bench',
          ...extraEnv,
        };
        const proc = spawn(process.execPath, [...args, path.join(PKG, 'bench', 'app.js')], { cwd: PKG, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        proc.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /LISTENING (\d+)/.exec(out);
          if (m) resolve({ proc, port: Number(m[1]) });
        });
        proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        proc.on('exit', (code) => reject(new Error(`app exited (${code}): ${err}`)));
      }),
  );
}

async function load(port: number, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url: `http://127.0.0.1:${port}/`, connections: CONNECTIONS, duration: seconds, ...(RATE > 0 ? { overallRate: RATE } : {}) });
}

/** Warm-up by count, not time: on a loaded machine a timed warm-up may end before the JIT settles. */
async function warmUp(port: number): Promise<void> {
  await autocannon({ url: `http://127.0.0.1:${port}/`, connections: CONNECTIONS, amount: 2000, timeout: 10 });
}

interface Running {
  proc: ChildProcess;
  port: number;
}

/** Starts a variant's app and warms it up (JIT, pool connections). */
async function launch(args: string[], sinkUrl: string, extraEnv?: Record<string, string>): Promise<Running> {
  const app = await startApp(args, sinkUrl, extraEnv);
  await warmUp(app.port);
  return app;
}

/** One measured phase of load on a running app: requests, latency and the app's CPU per request. */
async function measure(app: Running, slot: number, round: number): Promise<Sample> {
  const before = cpuTicks(app.proc.pid!);
  const r = await load(app.port, SECONDS);
  const after = cpuTicks(app.proc.pid!);
  const requests = r.requests.total;
  return {
    slot,
    round,
    reqps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpuMicrosPerReq: requests > 0 ? ((after - before) * 1e6) / CLK_TCK / requests : NaN,
    errors: r.errors + r.non2xx,
  };
}

function stop(app: Running): void {
  app.proc.removeAllListeners('exit');
  app.proc.kill('SIGKILL');
}

function record(name: string, value: number, unit: string, baseline: number | null, target: number | null, higherIsBetter = true): void {
  const out = process.env.QUERYLENS_BENCH_OUT;
  if (!out) return;
  const ratio = baseline ? value / baseline : null;
  const met = target === null || ratio === null ? null : higherIsBetter ? ratio >= target : ratio <= target;
  appendFileSync(out, `${JSON.stringify({ name, value, unit, baseline, ratio, target, met })}\n`);
}

async function main(): Promise<void> {
  await prepareDb();
  let sinkRequests = 0;
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      sinkRequests++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
  const samples = new Map<VariantId, Sample[]>(VARIANTS.map((v) => [v.id, []]));
  let slot = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Every variant's process runs for the whole round. A fixed cyclic order gives each the same
    // wait between its phases; it is rotated from round to round so that no variant always
    // follows the same one. (Alternating a b c d / d c b a left a and d idle for 0 then 7
    // phases; d measured 19-28% slower after the long wait in three rounds of four.)
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
    const apps = new Map<VariantId, Running>();
    try {
      for (const v of order) apps.set(v.id, await launch(v.args, sinkUrl, v.env));
      // A second warm-up of each, once all run: a process keeps compiling in the background
      // after its own warm-up, which slowed the first phase of the variants launched before it.
      for (const v of order) await warmUp(apps.get(v.id)!.port);
      for (let phase = 0; phase < PHASES; phase++) {
        for (const v of order) {
          const s = await measure(apps.get(v.id)!, slot++, round);
          samples.get(v.id)!.push(s);
          process.stderr.write(`round ${round + 1} phase ${phase + 1} ${v.label}: ${s.reqps.toFixed(0)} req/s, ${s.cpuMicrosPerReq.toFixed(0)} µs CPU/req\n`);
        }
      }
    } finally {
      for (const app of apps.values()) stop(app);
    }
  }
  sink.close();
  const agg = new Map<VariantId, Omit<Sample, 'slot' | 'round'>>();
  for (const [id, list] of samples) {
    agg.set(id, {
      reqps: median(list.map((s) => s.reqps)),
      p50: median(list.map((s) => s.p50)),
      p99: median(list.map((s) => s.p99)),
      cpuMicrosPerReq: median(list.map((s) => s.cpuMicrosPerReq)),
      errors: list.reduce((n, s) => n + s.errors, 0),
    });
  }
  const a = agg.get('a')!;
  const b = agg.get('b')!;
  const d = agg.get('d')!;
  const rows = VARIANTS.map((v) => {
    const s = agg.get(v.id)!;
    return {
      variant: v.label,
      'req/s': s.reqps.toFixed(0),
      'vs bare': (s.reqps / a.reqps).toFixed(3),
      'p50 ms': s.p50.toFixed(1),
      'p99 ms': s.p99.toFixed(1),
      'CPU µs/req': s.cpuMicrosPerReq.toFixed(0),
      errors: s.errors,
    };
  });
  console.log(`\nHTTP + pg (3 queries/request), ${CONNECTIONS} connections, ${ROUNDS} rounds x ${PHASES} phases x ${SECONDS} s, medians, measured under load`);
  console.table(rows);
  // Ratios: each phase of x against y interpolated in time (see interpolatedRatio in
  // bench/lib/records), median over the phases; not the ratio of the medians.
  const series = (x: VariantId, field: 'reqps' | 'cpuMicrosPerReq'): Timed[] =>
    samples.get(x)!.map((s) => ({ slot: s.slot, round: s.round, value: s[field] }));
  const ratio = (x: VariantId, y: VariantId, field: 'reqps' | 'cpuMicrosPerReq') => interpolatedRatio(series(x, field), series(y, field)) ?? NaN;
  const dOverB = ratio('d', 'b', 'reqps');
  const dOverC = ratio('d', 'c', 'reqps');
  const cpuDOverB = ratio('d', 'b', 'cpuMicrosPerReq');
  const byRound = (x: VariantId, y: VariantId) =>
    Array.from({ length: ROUNDS }, (_, r) => {
      const inRound = (v: VariantId) => series(v, 'reqps').filter((s) => s.round === r);
      return (interpolatedRatio(inRound(x), inRound(y)) ?? NaN).toFixed(2);
    }).join(' ');
  console.log(`throughput per round d/b: ${byRound('d', 'b')}; d/c: ${byRound('d', 'c')}`);
  if (RATE > 0) console.log(`fixed rate: ${RATE} req/s offered to every variant (throughput ratios are not meaningful; compare CPU per request)`);
  else {
    console.log(`throughput d/b = ${dOverB.toFixed(3)} (target >= 0.97: ${dOverB >= 0.97 ? 'met' : 'NOT met'})`);
    console.log(`throughput d/c = ${dOverC.toFixed(3)} (target >= 1.00: ${dOverC >= 1 ? 'met' : 'NOT met'})`);
  }
  console.log(
    `CPU per request d/b = ${cpuDOverB.toFixed(3)}, d-b = ${(b.cpuMicrosPerReq * (cpuDOverB - 1)).toFixed(0)} µs ` +
      '(the querylens processors and hooks; 7 spans/request: server, 3 x pg-pool.connect + pg.query)',
  );
  if (samples.has('e')) {
    const cpuDOverE = ratio('d', 'e', 'cpuMicrosPerReq');
    const cpuEOverB = ratio('e', 'b', 'cpuMicrosPerReq');
    const e = agg.get('e')!;
    console.log(
      `diagnostic: CPU per request d/e = ${cpuDOverE.toFixed(3)} (the processors in the app: ${(e.cpuMicrosPerReq * (cpuDOverE - 1)).toFixed(0)} µs), ` +
        `e/b = ${cpuEOverB.toFixed(3)} (the rest of the register: ${(b.cpuMicrosPerReq * (cpuEOverB - 1)).toFixed(0)} µs)`,
    );
  }
  console.log(`sink received ${sinkRequests} OTLP requests`);

  if (RATE > 0) {
    record(`node.http.fixed_rate.cpu_per_request_d_vs_b`, d.cpuMicrosPerReq, 'µs', d.cpuMicrosPerReq / cpuDOverB, null, false);
    record(`node.http.fixed_rate.cpu_per_request_b`, b.cpuMicrosPerReq, 'µs', a.cpuMicrosPerReq, null, false);
    return;
  }
  for (const v of VARIANTS) {
    const s = agg.get(v.id)!;
    const name = `node.http.${v.id}`;
    record(`${name}.throughput`, s.reqps, 'req/s', v.id === 'a' ? null : a.reqps, null);
    record(`${name}.latency_p50`, s.p50, 'ms', null, null);
    record(`${name}.latency_p99`, s.p99, 'ms', null, null);
    record(`${name}.cpu_per_request`, s.cpuMicrosPerReq, 'µs', v.id === 'a' ? null : a.cpuMicrosPerReq, null, false);
  }
  // baselines chosen so that value / baseline is the interpolated ratio printed above
  record('node.http.throughput_d_vs_b', d.reqps, 'req/s', d.reqps / dOverB, 0.97);
  record('node.http.throughput_d_vs_c', d.reqps, 'req/s', d.reqps / dOverC, 1);
  record('node.http.cpu_per_request_d_vs_b', d.cpuMicrosPerReq, 'µs', d.cpuMicrosPerReq / cpuDOverB, null, false);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
