#!/usr/bin/env node
'use strict';
// `pnpm faults`: the app under the querylens register, on steady load, through bad days.
// Loopback only, bounded in time (a watchdog ends it after FAULTS_MAX_SECONDS, default 170).
//
//   - the OTLP endpoint points at a closed port for the whole run;
//   - the query cache lives in a private redis-server on a free port (never the shared one),
//     run with an append-only file so a restart brings the old entries back (the hard case for
//     stale reads); it is stopped for 10 s and started again;
//   - the app's PostgreSQL connections (database ql_faults) are terminated mid-load.
//
// Reports requests failed during and after each fault, time to recover, stale reads after Redis
// returns (students updated through the API while Redis was down and after it returned: the
// API's cached read must equal the database), heap before and after, whether the app stayed up
// and shut down in bounded time, and whether the canary PHI appears in its output.
// Exits 1 when a must-hold fails.
//
// Environment: DATABASE_URL (admin URL; the run uses database ql_faults), FAULTS_STUDENTS (500),
// FAULTS_CONNECTIONS (8), FAULTS_PHASE_SECONDS (10), FAULTS_MAX_SECONDS (170), BENCH_APP_OUTPUT=1.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes, randomUUID } = require('node:crypto');
const services = require('../bench/lib/services');
const { runLoad } = require('../bench/lib/load');
const { loadIds, endpoints: workloadEndpoints } = require('../bench/workload');

const DB = 'ql_faults';
const num = (name, fallback) => (Number(process.env[name]) > 0 ? Number(process.env[name]) : fallback);
const STUDENTS = num('FAULTS_STUDENTS', 500);
const CONNECTIONS = num('FAULTS_CONNECTIONS', 8);
const PHASE = num('FAULTS_PHASE_SECONDS', 10);
const MAX_SECONDS = num('FAULTS_MAX_SECONDS', 170);
/** After pg_terminate_backend, requests in flight and the pool's reconnection may fail for this long. */
const PG_GRACE_MILLIS = 3000;
const TOKEN = randomBytes(16).toString('hex');
const CANARY = {
  firstName: 'Qlcanaryfirst',
  lastName: 'Qlcanarylast',
  ssn: `8${String(Math.floor(Math.random() * 90) + 10)}-7${Math.floor(Math.random() * 10)}-44${String(Math.floor(Math.random() * 90) + 10)}`,
  notes: 'QLCANARYNOTE insulin dependent',
};

const t0 = Date.now();
const log = (msg) => console.log(`[faults +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

/** A redis-server with an append-only file in a temp dir: a restart keeps its keys. */
class PersistentRedis extends services.PrivateRedis {
  constructor(port) {
    super(port);
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-faults-redis-'));
  }

  async start() {
    if (this.child) return;
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir, '--loglevel', 'warning'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const child = services.track(this.child);
    child.on('exit', () => {
      if (this.child === child) this.child = null;
    });
    await services.waitForPort(this.port, 10000);
  }

  /** Number of keys (DBSIZE), over a raw RESP connection; null when it cannot tell. */
  dbsize() {
    return new Promise((resolve) => {
      const sock = require('node:net').connect(this.port, '127.0.0.1');
      let buf = '';
      const done = (v) => {
        sock.destroy();
        resolve(v);
      };
      sock.setTimeout(2000, () => done(null));
      sock.on('error', () => done(null));
      sock.on('connect', () => sock.write('DBSIZE\r\n'));
      sock.on('data', (d) => {
        buf += d;
        const m = /^:(\d+)\r\n/.exec(buf);
        if (m) done(Number(m[1]));
      });
    });
  }

  cleanup() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

async function seed(dbUrl) {
  const entry = path.join(services.appDir, 'dist', 'seed.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run pnpm build first`);
  log(`seeding ${DB} with ${STUDENTS} students`);
  const r = spawnSync(process.execPath, [entry, '--students', String(STUDENTS)], {
    cwd: services.appDir,
    env: { ...process.env, DATABASE_URL: dbUrl, NODE_ENV: 'development', SEED_STUDENTS: String(STUDENTS) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`seeding failed (exit ${r.status})`);
}

/**
 * Live heap of the app in bytes: a full GC (SIGWINCH, see bench/lib/gc-on-signal.js), then the
 * Prometheus endpoint's querylens_runtime_memory{type="heap_used"} (or /monitoring/memory).
 */
async function heapUsedBytes(app, promPort) {
  app.child.kill('SIGWINCH');
  await services.sleep(500);
  try {
    const r = await services.httpGet(`http://127.0.0.1:${promPort}/metrics`);
    const m = /querylens_runtime_memory(?:_bytes)?\{[^}]*type="heap_used"[^}]*\}\s+([0-9.e+]+)/.exec(r.body);
    if (m) return Number(m[1]);
  } catch {
    // fall through to the monitoring endpoint
  }
  const r = await services.httpGet(`${app.url}/monitoring/memory?hours=1`, { authorization: `Bearer ${TOKEN}` }).catch(() => null);
  const samples = r && Array.isArray(r.json) ? r.json : r && r.json && Array.isArray(r.json.samples) ? r.json.samples : null;
  return samples && samples.length ? samples[samples.length - 1].heapUsed : null;
}

async function cacheStats(app) {
  const r = await services.httpGet(`${app.url}/monitoring/cache`, { authorization: `Bearer ${TOKEN}` }).catch(() => null);
  return r && r.status === 200 ? r.json : null;
}

/**
 * Updates `ids` through the API (a new first name each) and returns what was written.
 * Failures are kept: a write may be refused while a dependency is down, but must not be lost silently.
 */
async function updateThroughApi(app, ids, tag) {
  const written = [];
  for (const id of ids) {
    const firstName = `${tag}${randomUUID().slice(0, 6)}`;
    const r = await services.httpGet(`${app.url}/students/${id}`, {}, { method: 'PATCH', body: { firstName } }).catch((e) => ({ status: 0, body: e.message }));
    written.push({ id, firstName, status: r.status });
  }
  return written;
}

/** Compares the API's (cached) student details with the database for each id. */
async function staleReads(app, dbUrl, ids) {
  const stale = [];
  for (const id of ids) {
    // twice: the first read may fill the cache, the second is served from it
    for (let i = 0; i < 2; i++) {
      const api = await services.httpGet(`${app.url}/students/${id}`).catch(() => null);
      const row = (await services.sql(dbUrl, 'select first_name from students where id = $1', [id]))[0];
      if (!api || api.status !== 200 || !api.json || !row) continue;
      if (api.json.firstName !== row.first_name) stale.push({ id, api: api.json.firstName, db: row.first_name });
    }
  }
  return stale;
}

function count(failures, from, to) {
  return failures.filter((f) => f.at >= from && f.at < to).length;
}

async function main() {
  services.killChildrenOnSignals();
  const watchdog = setTimeout(() => {
    console.error(`faults: watchdog: still running after ${MAX_SECONDS} s; giving up`);
    services.killAll();
    process.exit(3);
  }, MAX_SECONDS * 1000);
  watchdog.unref();

  const dbUrl = await services.ensureDatabase(DB, { recreate: true });
  await seed(dbUrl);
  const ids = await loadIds(dbUrl, 200);
  const schoolId = (await services.sql(dbUrl, 'select id from schools order by id limit 1'))[0].id;
  const redis = new PersistentRedis(await services.freePort());
  await redis.start();
  const closedOtlpPort = await services.freePort(); // free now, and nothing will listen on it
  const promPort = await services.freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DB_SYNC: 'false',
    DATABASE_URL: dbUrl,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'ql-faults:',
    MONITORING_TOKEN: TOKEN,
    CACHE_KEY_SECRET: randomBytes(24).toString('hex'),
    OTEL_SERVICE_NAME: 'school-health-faults',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closedOtlpPort}`,
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort),
  };
  const nodeArgs = ['--expose-gc', '--require', path.join(services.appDir, 'bench', 'lib', 'gc-on-signal.js'), '--require', '@querylens/node/register'];
  const app = new services.AppProcess({ nodeArgs, env, port: await services.freePort(), name: 'school-health', keepOutputBytes: 64 * 1024 * 1024 });
  const result = { phases: [], must: [] };
  let load;
  try {
    await app.ready('/monitoring/health', 90000);
    log(`app up on ${app.url} (pid ${app.pid}); OTLP -> closed port ${closedOtlpPort}; Redis ${redis.url}`);

    // canary PHI: created, read, searched for, and a duplicate SSN (an error that carries it)
    const canary = { ...CANARY, studentNumber: `QC${Date.now() % 1e8}`, dateOfBirth: '2012-03-04', grade: 6, schoolId };
    const created = await services.httpGet(`${app.url}/students`, {}, { method: 'POST', body: canary });
    if (created.status !== 201) throw new Error(`creating the canary student failed: ${created.status} ${created.body.slice(0, 200)}`);
    const dup = await services.httpGet(`${app.url}/students`, {}, { method: 'POST', body: { ...canary, studentNumber: `QD${Date.now() % 1e8}` } });
    await services.httpGet(`${app.url}/students?search=${CANARY.lastName}`);
    await services.httpGet(`${app.url}/students/${created.json.id}`);
    log(`canary student created; duplicate SSN answered ${dup.status}`);

    const eps = workloadEndpoints(ids);
    await runLoad({ url: app.url, endpoints: eps, seconds: 3, connections: CONNECTIONS });
    const heapBefore = await heapUsedBytes(app, promPort);

    // warm the details of the students the stale check will update, so Redis holds them
    const outageIds = ids.students.slice(0, 10);
    const afterIds = ids.students.slice(10, 20);
    for (const id of [...outageIds, ...afterIds]) await services.httpGet(`${app.url}/students/${id}`);

    const marks = {};
    const loadPromise = runLoad({ url: app.url, endpoints: eps, seconds: PHASE * 5 + 5, connections: CONNECTIONS, timeoutSeconds: 5 });
    const schedule = (async () => {
      marks.start = Date.now();
      await services.sleep(PHASE * 1000);
      marks.cacheBeforeOutage = await cacheStats(app);
      marks.keysBeforeOutage = await redis.dbsize();
      log('fault 1: stopping Redis');
      marks.redisDown = Date.now();
      await redis.stop();
      await services.sleep(1000);
      marks.outageWrites = await updateThroughApi(app, outageIds, 'Outage');
      await services.sleep(Math.max(0, marks.redisDown + PHASE * 1000 - Date.now()));
      marks.cacheEndOfOutage = await cacheStats(app);
      await redis.start();
      marks.redisUp = Date.now();
      marks.keysAfterRestart = await redis.dbsize();
      log('fault 1: Redis started again (same data on disk)');
      const base = await cacheStats(app);
      marks.redisRecoveredMillis = null;
      for (let i = 0; i < 50; i++) {
        await services.sleep(200);
        const s = await cacheStats(app);
        if (base && s && s.hits > base.hits) {
          marks.redisRecoveredMillis = Date.now() - marks.redisUp;
          break;
        }
      }
      marks.afterWrites = await updateThroughApi(app, afterIds, 'After');
      marks.stale = await staleReads(app, dbUrl, [...outageIds, ...afterIds]);
      await services.sleep(Math.max(0, marks.redisUp + PHASE * 1000 - Date.now()));
      log('fault 2: terminating the app\'s PostgreSQL connections');
      marks.pgKill = Date.now();
      const killed = await services.sql(
        services.adminUrl(),
        'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [DB],
      );
      marks.pgKilled = killed[0].n;
      // time until a query that must reach the database succeeds (a search nobody made before)
      marks.pgRecoveredMillis = null;
      for (let i = 0; i < 100; i++) {
        const r = await services.httpGet(`${app.url}/students?search=zz${randomUUID().slice(0, 8)}`).catch(() => null);
        if (r && r.status === 200) {
          marks.pgRecoveredMillis = Date.now() - marks.pgKill;
          break;
        }
        await services.sleep(100);
      }
    })();
    [load] = await Promise.all([loadPromise, schedule]);
    marks.end = load.endedAt;
    await services.sleep(1000);
    const heapAfter = await heapUsedBytes(app, promPort);

    const f = load.failures;
    const phases = [
      ['steady load', marks.start, marks.redisDown, 'none'],
      ['Redis down (10 s)', marks.redisDown, marks.redisUp, 'none'],
      ['after Redis returns', marks.redisUp, marks.pgKill, 'none'],
      [`PostgreSQL connections terminated (first ${PG_GRACE_MILLIS / 1000} s)`, marks.pgKill, marks.pgKill + PG_GRACE_MILLIS, 'may fail'],
      ['after PostgreSQL recovers', marks.pgKill + PG_GRACE_MILLIS, marks.end + 1, 'none'],
    ];
    const lastPgFailure = f.filter((x) => x.at >= marks.pgKill).reduce((m, x) => Math.max(m, x.at), 0);
    result.phases = phases.map(([name, from, to, allowed]) => ({ name, failed: count(f, from, to), allowed }));
    const outageWriteFailures = marks.outageWrites.filter((w) => w.status !== 200).length;
    const canaryHits = Object.values(CANARY).filter((v) => app.text().includes(v));
    const promBody = await services.httpGet(`http://127.0.0.1:${promPort}/metrics`).then((r) => r.body, () => '');
    const canaryInMetrics = Object.values(CANARY).filter((v) => promBody.includes(v));
    const aliveBeforeStop = app.alive;
    const stop = await app.stop(15000);

    const fig = (x, unit = '') => (x === null || x === undefined ? 'n/a' : `${x}${unit}`);
    const must = (name, ok, detail) => result.must.push({ name, ok, detail });
    for (const p of result.phases) if (p.allowed === 'none') must(`no failed requests: ${p.name}`, p.failed === 0, `${p.failed} failed`);
    const hitsBefore = marks.cacheBeforeOutage ? marks.cacheBeforeOutage.hits : 0;
    const outageErrors =
      marks.cacheBeforeOutage && marks.cacheEndOfOutage ? marks.cacheEndOfOutage.errors - marks.cacheBeforeOutage.errors : null;
    // without cache hits the Redis fault and the stale-read check prove nothing
    must('the query cache served hits before the Redis fault', hitsBefore > 0, `${hitsBefore} hits`);
    must('cache hits resume after Redis returns', marks.redisRecoveredMillis !== null, fig(marks.redisRecoveredMillis, ' ms'));
    // the hard case: Redis comes back with the entries cached before the writes it missed
    must('Redis came back with its old entries', (marks.keysAfterRestart ?? 0) > 0, `${fig(marks.keysBeforeOutage)} keys before, ${fig(marks.keysAfterRestart)} after the restart`);
    must('no stale reads after Redis returns', marks.stale.length === 0, marks.stale.length ? JSON.stringify(marks.stale.slice(0, 3)) : '0 of 40 reads');
    must('the app never crashed', aliveBeforeStop, aliveBeforeStop ? 'up for the whole run' : JSON.stringify(app.exit));
    must('shutdown bounded with a dead collector', stop.millis < 15000, `${stop.millis} ms (${stop.signal ?? `exit ${stop.code}`})`);
    must('no canary PHI in stdout/stderr', canaryHits.length === 0, canaryHits.length ? `found ${canaryHits.length} canary value(s)` : `${(app.outputBytes / 1024).toFixed(0)} KiB checked`);
    must('no canary PHI in /metrics', canaryInMetrics.length === 0, canaryInMetrics.length ? 'found' : 'absent');
    must('PostgreSQL recovered', marks.pgRecoveredMillis !== null, fig(marks.pgRecoveredMillis, ' ms'));

    console.log('\nFault run summary (measured; loopback; OTLP endpoint unreachable throughout)');
    console.log(`requests: ${load.ok} ok, ${load.errors + load.non2xx} failed, ${load.rps.toFixed(0)} req/s over ${load.seconds.toFixed(0)} s, ${CONNECTIONS} connections`);
    console.log('\n| phase | failed requests | allowed |\n|---|---:|---|');
    for (const p of result.phases) console.log(`| ${p.name} | ${p.failed} | ${p.allowed} |`);
    console.log('\n| figure | value |\n|---|---|');
    console.log(`| writes while Redis was down (PATCH) | ${marks.outageWrites.length - outageWriteFailures} ok, ${outageWriteFailures} refused |`);
    console.log(`| cache hits before the Redis fault | ${hitsBefore} |`);
    console.log(`| cache errors counted while Redis was down | ${fig(outageErrors)} |`);
    console.log(`| cache hits resume after Redis returns | ${fig(marks.redisRecoveredMillis, ' ms')} |`);
    console.log(`| stale reads after Redis returns | ${marks.stale.length} of ${(outageIds.length + afterIds.length) * 2} |`);
    console.log(`| PostgreSQL backends terminated | ${marks.pgKilled} |`);
    console.log(`| first DB query served after termination | ${fig(marks.pgRecoveredMillis, ' ms')} |`);
    console.log(`| last failed request after termination | ${lastPgFailure ? `${lastPgFailure - marks.pgKill} ms` : 'none failed'} |`);
    console.log(`| live heap before / after (after a full GC) | ${fig(heapBefore && (heapBefore / 2 ** 20).toFixed(1), ' MiB')} / ${fig(heapAfter && (heapAfter / 2 ** 20).toFixed(1), ' MiB')} |`);
    console.log(`| shutdown (SIGTERM) with dead collector | ${stop.millis} ms |`);
    console.log('\n| must hold | result | detail |\n|---|---|---|');
    for (const m of result.must) console.log(`| ${m.name} | ${m.ok ? 'ok' : 'FAILED'} | ${m.detail} |`);
    const failedMust = result.must.filter((m) => !m.ok);
    console.log(`\nfaults: ${failedMust.length ? `${failedMust.length} must-hold(s) FAILED` : 'all must-holds held'} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    if (failedMust.length && process.env.BENCH_APP_OUTPUT !== '1') console.log(`last app output:\n${app.text().slice(-2000)}`);
    return failedMust.length ? 1 : 0;
  } finally {
    if (app.alive) await app.stop(5000);
    await redis.stop();
    redis.cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`faults: ${err.stack || err.message}`);
    process.exit(2);
  },
);
