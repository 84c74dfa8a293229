#!/usr/bin/env node
'use strict';
// pnpm demo: embedded PostgreSQL (or DATABASE_URL), seed, the app under
// `node --require @querylens/node/register`, a scripted autocannon workload,
// then a terminal dashboard read from the app's monitoring endpoints and
// /metrics. Exits 0 when every step worked. Options (env):
//   DATABASE_URL / REDIS_URL   use these instead of embedded PostgreSQL / the memory cache
//   SEED=false                 with DATABASE_URL: keep its data (the seed empties the app's tables first)
//   DEMO_STUDENTS              students to seed (default 3000)
//   QUERYLENS_SLOW_QUERY_MS    slow-query threshold of the run (default here 300)
//   DEMO_LOAD_SECONDS          length of the main load phase (default 15; warm-up 4)
const { appEnv, startApp, AppError } = require('./lib/app');
const { ensureBuilt } = require('./lib/build');
const { renderDashboard } = require('./lib/dashboard');
const { startDatabase } = require('./lib/database');
const { runSeed } = require('./lib/seed');
const { discover, phases, runPhase } = require('./lib/workload');

const started = Date.now();
const tty = process.stdout.isTTY;
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const step = (msg) => process.stdout.write(`[${elapsed().padStart(6)}] ${msg}\n`);

let db;
let app;
let cleaning;
async function cleanup() {
  cleaning ??= (async () => {
    if (app) await app.stop().catch(() => undefined);
    if (db) await db.stop().catch(() => undefined);
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    process.stdout.write(`\n${sig}: stopping the app and the database...\n`);
    cleanup().finally(() => process.exit(130));
  });
}

async function get(path, { json = true } = {}) {
  const res = await fetch(app.baseUrl + path, { headers: { authorization: `Bearer ${app.token}` }, signal: AbortSignal.timeout(15_000) });
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  return json ? res.json() : res.text();
}

async function main() {
  step('querylens demo: White Cross school-health under `node --require @querylens/node/register`');
  ensureBuilt({ log: step });

  db = await startDatabase({ log: step });
  const students = Number(process.env.DEMO_STUDENTS) || 3000;
  if (!db.embedded && process.env.SEED === 'false') {
    step('SEED=false: using the data already in DATABASE_URL');
  } else {
    if (!db.embedded) step('Seeding first empties the school-health tables of DATABASE_URL (set SEED=false to keep them)');
    step(`Seeding ${students} synthetic students (made-up names) ...`);
    const summary = await runSeed({
      databaseUrl: db.url,
      students,
      onTable: (table, rows) => step(`  seeded ${table.padEnd(26)} ${String(rows).padStart(7)} rows`),
    });
    step(`Seed done in ${((summary.durationMillis ?? 0) / 1000).toFixed(1)} s`);
  }

  const slowQueryMillis = Number(process.env.QUERYLENS_SLOW_QUERY_MS) || 300;
  const env = await appEnv({
    databaseUrl: db.url,
    embedded: db.embedded,
    overrides: { extra: { QUERYLENS_SLOW_QUERY_MS: String(slowQueryMillis), MONITORING_SAMPLE_INTERVAL_MS: '5000' } },
  });
  step(`Starting the app: node --require @querylens/node/register dist/main.js (PORT ${env.PORT}, /metrics on ${env.OTEL_EXPORTER_PROMETHEUS_PORT}, ${env.REDIS_URL ? 'Redis' : 'memory'} cache, traces ${env.OTEL_TRACES_EXPORTER})`);
  app = await startApp({ env });
  step(`App ready at ${app.baseUrl}`);

  const ids = await discover(app.baseUrl);
  step(`Workload (autocannon) over ${ids.studentIds.length} students and ${ids.nurseIds.length} nurses:`);
  let poolPeak;
  const poller = setInterval(() => {
    get('/monitoring/pool')
      .then((p) => {
        if (p.current && (!poolPeak || p.current.utilizationPercent > poolPeak.utilizationPercent || p.current.waiting > poolPeak.waiting)) {
          poolPeak = { utilizationPercent: Math.max(p.current.utilizationPercent, poolPeak?.utilizationPercent ?? 0), waiting: Math.max(p.current.waiting, poolPeak?.waiting ?? 0) };
        }
      })
      .catch(() => undefined);
  }, 500);
  const hotSeconds = Math.max(1, Number(process.env.DEMO_LOAD_SECONDS) || 15);
  const list = phases(ids, { slowReportMillis: Math.max(slowQueryMillis + 100, 400), hotSeconds, warmSeconds: Math.min(4, hotSeconds) });
  let totalRequests = 0;
  try {
    for (const [i, phase] of list.entries()) {
      const label = `  [${i + 1}/${list.length}] ${phase.title}`;
      const result = await runPhase(app.baseUrl, phase, ({ requests, elapsedMillis }) => {
        if (tty) process.stdout.write(`\r${label}  ${requests} req  ${(elapsedMillis / 1000).toFixed(1)}s   `);
      });
      if (tty) process.stdout.write('\r\x1b[K');
      const non2xx = result.non2xx ?? 0;
      totalRequests += result.requests.total;
      step(`${label}: ${result.requests.total} req, ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms${non2xx ? `, ${non2xx} non-2xx` : ''}${result.errors ? `, ${result.errors} errors` : ''}`);
    }
  } finally {
    clearInterval(poller);
  }
  step(`Workload done: ${totalRequests} requests`);

  const [performance, queries, pool, cache, health, endpoints, memory, trends] = await Promise.all([
    get('/monitoring/performance'), get('/monitoring/queries'), get('/monitoring/pool?hours=1'), get('/monitoring/cache'),
    get('/monitoring/health'), get('/monitoring/endpoints'), get('/monitoring/memory?hours=1'), get('/monitoring/trends?hours=1'),
  ]);
  const metricsText = await fetch(app.metricsUrl, { signal: AbortSignal.timeout(10_000) }).then((r) => (r.ok ? r.text() : undefined), () => undefined);
  process.stdout.write(`\n${renderDashboard({ performance, queries, pool, cache, health, endpoints, memory, trends, metricsText, poolPeak })}\n\n`);

  const failed = Object.entries(health.checks ?? {}).filter(([, c]) => c.status === 'fail').map(([k]) => k);
  if (failed.length === 1 && failed[0] === 'nPlusOne') {
    step('Health is DEGRADED only because of the deliberate N+1 endpoint (/demo/n-plus-one/...); its eager-loading twin made one query per request.');
  }

  // The demo exists to show real figures: fail loudly when the instrumentation saw nothing.
  const problems = [];
  if (!(queries.report?.totalQueries > 0)) problems.push('the querylens report recorded no query (is @querylens/node/register loaded?)');
  if (!(performance.requests?.total > 0)) problems.push('the monitoring module recorded no HTTP request');
  const notes = [];
  if (!(queries.report?.n1Detections?.length > 0)) notes.push('no N+1 detection from the N+1 demonstration endpoint');
  if (!(queries.report?.slowQueries > 0)) notes.push(`no slow query from the slow report (threshold ${slowQueryMillis} ms)`);
  if (!cache.enabled || cache.hits + cache.misses === 0) notes.push('the query cache saw no lookup');
  for (const n of notes) step(`note: ${n}`);
  if (problems.length) throw new Error(problems.join('; '));

  step('Stopping the app and the database ...');
  await cleanup();
  step(`Demo finished in ${elapsed()}. Next: \`pnpm start\` keeps the app running; see examples/school-health/deploy for Jaeger, Prometheus and Grafana.`);
}

main().then(
  () => process.exit(0),
  async (err) => {
    process.stderr.write(`\ndemo failed: ${err.message}\n`);
    if (err instanceof AppError && err.logLines.length) process.stderr.write(`last app log lines:\n${err.logLines.join('\n')}\n`);
    else if (app?.logs.length) process.stderr.write(`last app log lines:\n${app.logs.slice(-30).join('\n')}\n`);
    await cleanup();
    process.exit(1);
  },
);
