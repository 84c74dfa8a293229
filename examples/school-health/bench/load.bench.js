#!/usr/bin/env node
'use strict';
// Load test of the school-health app on the real PostgreSQL (database ql_bench_app) and a
// private Redis, with autocannon. Four configurations, each in its own process, alternated
// (a b c d, d c b a, ...) so machine drift and order effects hit them alike:
//   (a) bare               node dist/main.js
//   (b) otel               node --require @opentelemetry/auto-instrumentations-node/register (same exporters)
//   (c) querylens          node --require @querylens/node/register, query cache off
//   (d) querylens_cache    the querylens register with the Redis query cache on
// Traces go over OTLP/HTTP to a local sink that answers 200; metrics to a Prometheus endpoint
// (b, c, d alike). Reports per configuration: requests/s, p50/p95/p99 latency (overall and per
// endpoint), DB queries per request (pg_stat_statements calls in ql_bench_app / requests),
// peak RSS (VmHWM), pool utilization, failed requests; cache hit rate under (d); ratios against
// the targets. Throughput is the median over rounds; its ratio to the baseline is the median over
// pairs of rounds run in opposite orders (see pairedRatio).
//
// Run: node bench/load.bench.js (after `pnpm build` and with the app's dist/seed.js built).
// Environment: BENCH_SECONDS (measured seconds per run, default 10), BENCH_WARMUP_SECONDS (3),
// BENCH_ROUNDS (4), BENCH_CONNECTIONS (10), BENCH_CONFIGS (comma list of bare,otel,querylens,
// querylens_cache; querylens_esm, a diagnostic with the register's ESM hook forced on, only when named), BENCH_HOT_STUDENTS (300), BENCH_STUDENTS (seeded students, 3000),
// BENCH_RESEED=1, BENCH_WEIGHTS, BENCH_PREFILL=0 (skip reading every key of the working set once
// before the warm-up; by default each run starts from that steady state, in every configuration), BENCH_OTEL_INSTRUMENTATIONS (instrumentations enabled under (b),
// default http,express,nestjs-core,pg: the set the querylens register enables),
// BENCH_CACHE_OFF_ENV (app variables that turn the query cache off for a/b/c, default
// QUERY_CACHE=off,CACHE_MAX_ENTRIES=1: the app has no off switch yet, so a one-entry memory
// store stands in for "no cache" and its hit rate is reported),
// BENCH_APP_OUTPUT=1 (echo the app's output), QUERYLENS_BENCH_OUT (JSONL records).
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const services = require('./lib/services');
const { runLoad } = require('./lib/load');
const { loadIds, endpoints: workloadEndpoints, visitAll } = require('./workload');
const { makeRecord, emit, printTable, percentile, median, pairedRatio } = require('../../../bench/lib/records');

const DB = 'ql_bench_app';
const num = (name, fallback) => (Number(process.env[name]) > 0 ? Number(process.env[name]) : fallback);
const SECONDS = num('BENCH_SECONDS', 10);
const WARMUP = num('BENCH_WARMUP_SECONDS', 3);
const ROUNDS = num('BENCH_ROUNDS', 4);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
const HOT_STUDENTS = num('BENCH_HOT_STUDENTS', 300);
const STUDENTS = num('BENCH_STUDENTS', 3000);
const TOKEN = randomBytes(16).toString('hex');
const PREFILL = process.env.BENCH_PREFILL !== '0';
const CACHE_OFF = (process.env.BENCH_CACHE_OFF_ENV || 'QUERY_CACHE=off,CACHE_MAX_ENTRIES=1').split(',').filter(Boolean);

const LABELS = {
  bare: '(a) no instrumentation',
  otel: '(b) plain OpenTelemetry',
  querylens: '(c) querylens register',
  querylens_cache: '(d) querylens + Redis cache',
  // diagnostic only (never in the default set): the register with its ESM loader hook forced on
  // (QUERYLENS_ESM_HOOK=true), to show what the hook costs the app; by default this app gets none
  querylens_esm: '(c1) querylens register, ESM hook on',
};
const DEFAULT_CONFIGS = ['bare', 'otel', 'querylens', 'querylens_cache'];

/** The process arguments and environment of each configuration. */
function configs({ dbUrl, sinkUrl, redisUrl }) {
  const common = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DB_SYNC: 'false',
    DATABASE_URL: dbUrl,
    MONITORING_TOKEN: TOKEN,
    CACHE_KEY_SECRET: randomBytes(24).toString('hex'),
    OTEL_SERVICE_NAME: 'school-health-bench',
  };
  const cacheOff = Object.fromEntries(CACHE_OFF.map((kv) => kv.split('=')));
  const exporters = {
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_LOGS_EXPORTER: 'none',
  };
  return {
    bare: { nodeArgs: [], env: { ...common, ...cacheOff } },
    otel: {
      nodeArgs: ['--require', '@opentelemetry/auto-instrumentations-node/register'],
      env: {
        ...common,
        ...cacheOff,
        ...exporters,
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: process.env.BENCH_OTEL_INSTRUMENTATIONS || 'http,express,nestjs-core,pg',
        // the detectors the querylens register uses (the default 'all' adds cloud metadata lookups off loopback)
        OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
      },
    },
    querylens: { nodeArgs: ['--require', '@querylens/node/register'], env: { ...common, ...cacheOff, ...exporters } },
    querylens_esm: { nodeArgs: ['--require', '@querylens/node/register'], env: { ...common, ...cacheOff, ...exporters, QUERYLENS_ESM_HOOK: 'true' } },
    querylens_cache: {
      nodeArgs: ['--require', '@querylens/node/register'],
      env: { ...common, ...exporters, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: 'ql-bench:' },
    },
  };
}

/** Seeds ql_bench_app through the app's seed entry when it has fewer students than asked. */
async function seed(dbUrl) {
  let count = 0;
  try {
    count = Number((await services.sql(dbUrl, 'select count(*)::int as n from students'))[0].n);
  } catch {
    count = 0; // no schema yet
  }
  if (count >= STUDENTS && process.env.BENCH_RESEED !== '1') {
    console.log(`load: ${DB} already holds ${count} students (BENCH_RESEED=1 to reseed)`);
    return;
  }
  const entry = path.join(services.appDir, 'dist', 'seed.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: build the app (pnpm build) first`);
  console.log(`load: seeding ${DB} with ${STUDENTS} students...`);
  const r = spawnSync(process.execPath, [entry, '--students', String(STUDENTS)], {
    cwd: services.appDir,
    env: { ...process.env, DATABASE_URL: dbUrl, NODE_ENV: 'development', SEED_STUDENTS: String(STUDENTS) },
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`seeding failed (exit ${r.status})`);
}

async function monitoring(app, what) {
  try {
    const r = await services.httpGet(`${app.url}/monitoring/${what}`, { authorization: `Bearer ${TOKEN}` });
    return r.status === 200 ? r.json : null;
  } catch {
    return null;
  }
}

/** Drops endpoints the app does not serve (404/405) so the run measures what exists. */
async function probe(app, eps) {
  const kept = [];
  for (const e of eps) {
    const p = e.path();
    const r = await services.httpGet(app.url + p).catch((err) => ({ status: 0, body: err.message }));
    if (r.status >= 200 && r.status < 300) kept.push(e);
    else console.warn(`load: ${e.name} (${p}) answered ${r.status}; left out of the workload: ${String(r.body).slice(0, 200)}`);
  }
  if (!kept.length) throw new Error('no endpoint of the workload answers 2xx');
  return kept;
}

/** One measured run of one configuration in a fresh process. */
async function runOnce(name, cfg, eps, dbUrl, sink) {
  const exports0 = sink.stats().requests;
  const port = await services.freePort();
  const env = { ...cfg.env };
  if (cfg.env.OTEL_METRICS_EXPORTER === 'prometheus') env.OTEL_EXPORTER_PROMETHEUS_PORT = String(await services.freePort());
  const app = new services.AppProcess({ nodeArgs: cfg.nodeArgs, env, port, name });
  let result;
  try {
    await app.ready('/monitoring/health', 90000);
    if (!eps.checked) {
      const kept = await probe(app, eps);
      eps.splice(0, eps.length, ...kept);
      eps.checked = true;
    }
    // steady state: every key of the working set read once, then a short warm-up under load
    if (PREFILL) await visitAll(app.url, eps, services.httpGet);
    await runLoad({ url: app.url, endpoints: eps, seconds: WARMUP, connections: CONNECTIONS });
    const calls0 = await services.statementCalls(dbUrl, DB);
    const cache0 = await monitoring(app, 'cache');
    const q0 = await monitoring(app, 'queries');
    // pool utilization, sampled once a second during the measured phase (the seed wants < 80%)
    const pool = [];
    const sampler = setInterval(() => {
      monitoring(app, 'pool').then((p) => p && p.current && typeof p.current.utilizationPercent === 'number' && pool.push(p.current.utilizationPercent));
    }, 1000);
    const load = await runLoad({ url: app.url, endpoints: eps, seconds: SECONDS, connections: CONNECTIONS });
    clearInterval(sampler);
    const calls1 = await services.statementCalls(dbUrl, DB);
    const cache1 = await monitoring(app, 'cache');
    const q1 = await monitoring(app, 'queries');
    const peakRss = services.peakRssBytes(app.pid);
    if (!app.alive) throw new Error(`${name} died during the run: ${JSON.stringify(app.exit)}\n${app.text().slice(-2000)}`);
    const delta = (a, b, k) => (a && b && typeof a[k] === 'number' && typeof b[k] === 'number' ? b[k] - a[k] : null);
    result = {
      load,
      dbCalls: calls0 !== null && calls1 !== null ? calls1 - calls0 : null,
      reportQueries: q0 && q1 && q0.report && q1.report ? q1.report.totalQueries - q0.report.totalQueries : null,
      report: q1 && q1.report ? q1.report : null,
      cacheEnabled: cache1 ? cache1.enabled !== false && typeof cache1.hits === 'number' : false,
      hits: delta(cache0, cache1, 'hits'),
      misses: delta(cache0, cache1, 'misses'),
      peakRss,
      pool,
    };
  } finally {
    const stopped = await app.stop(15000);
    if (result) {
      result.stopMillis = stopped.millis;
      // OTLP export requests the sink received (the exporters were really used)
      result.exports = sink.stats().requests - exports0;
    }
  }
  return result;
}

/** Throughput ratio of `a` to `base` over the rounds both ran (see pairedRatio in bench/lib/records). */
function throughputRatio(a, base) {
  return pairedRatio(a.rpsPerRound, base.rpsPerRound);
}

function aggregate(runs, eps) {
  const sum = (f) => runs.reduce((s, r) => s + (f(r) ?? 0), 0);
  const all = runs.flatMap((r) => r.load.latencies).sort((a, b) => a - b);
  const ok = sum((r) => r.load.ok);
  const endpoints = {};
  for (const e of eps) {
    const l = runs.flatMap((r) => (r.load.endpoints[e.name] ? r.load.endpoints[e.name].latencies : [])).sort((a, b) => a - b);
    endpoints[e.name] = { n: l.length, p50: percentile(l, 50), p95: percentile(l, 95), p99: percentile(l, 99) };
  }
  const hits = sum((r) => r.hits);
  const misses = sum((r) => r.misses);
  const last = runs[runs.length - 1];
  return {
    rps: median(runs.map((r) => r.load.rps)),
    rpsPerRound: runs.map((r) => r.load.rps),
    ok,
    failed: sum((r) => r.load.errors + r.load.non2xx),
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    endpoints,
    dbPerRequest: runs.every((r) => r.dbCalls !== null) ? sum((r) => r.dbCalls) / ok : null,
    reportPerRequest: runs.every((r) => r.reportQueries !== null) ? sum((r) => r.reportQueries) / ok : null,
    cacheEnabled: runs.some((r) => r.cacheEnabled),
    // a cache that was asked for and saw no lookup at all served nothing: a hit rate of 0
    hitRate: hits + misses > 0 ? hits / (hits + misses) : runs.some((r) => r.cacheEnabled && r.hits !== null) ? 0 : null,
    peakRssMiB: Math.max(...runs.map((r) => r.peakRss ?? 0)) / 2 ** 20 || null,
    poolMaxPercent: runs.some((r) => r.pool.length) ? Math.max(...runs.flatMap((r) => r.pool)) : null,
    poolAvgPercent: runs.some((r) => r.pool.length) ? runs.flatMap((r) => r.pool).reduce((x, y) => x + y, 0) / runs.flatMap((r) => r.pool).length : null,
    report: last.report,
  };
}

function toRecords(agg, eps) {
  const rec = [];
  const has = (n) => Boolean(agg[n]);
  for (const n of Object.keys(LABELS)) {
    if (!has(n)) continue;
    const a = agg[n];
    const base = n === 'otel' ? agg.bare : n === 'querylens' || n === 'querylens_esm' ? agg.otel : n === 'querylens_cache' ? agg.querylens : null;
    rec.push(
      makeRecord({
        name: `app.${n}.throughput`,
        value: a.rps,
        unit: 'req/s',
        baseline: base ? base.rps : null,
        ratio: base ? throughputRatio(a, base) : null,
        // (c) keeps at least 97% of plain OpenTelemetry's throughput
        target: n === 'querylens' && base ? 0.97 : null,
      }),
    );
    for (const p of ['p50', 'p95', 'p99']) {
      // the seed's latency targets (100/500/1000 ms) under (d)
      const target = n === 'querylens_cache' ? { p50: 100, p95: 500, p99: 1000 }[p] : null;
      rec.push(makeRecord({ name: `app.${n}.latency.${p}`, value: a[p], unit: 'ms', target, direction: 'max', ratio: null }));
    }
    for (const e of eps) {
      const x = a.endpoints[e.name];
      if (!x || !x.n) continue;
      const b = n === 'querylens_cache' && agg.querylens ? agg.querylens.endpoints[e.name] : null;
      // (d) serves each cached endpoint at no more than a third of (c)'s p50
      rec.push(
        makeRecord({ name: `app.${n}.${e.name}.p50`, value: x.p50, unit: 'ms', baseline: b ? b.p50 : null, target: b && e.cached ? 1 / 3 : null, direction: 'max' }),
      );
      rec.push(makeRecord({ name: `app.${n}.${e.name}.p99`, value: x.p99, unit: 'ms' }));
    }
    rec.push(
      makeRecord({
        name: `app.${n}.db_queries_per_request`,
        value: a.dbPerRequest ?? a.reportPerRequest,
        unit: a.dbPerRequest !== null ? 'queries/req (pg_stat_statements)' : 'queries/req (report)',
        baseline: n === 'querylens_cache' && agg.querylens ? (agg.querylens.dbPerRequest ?? agg.querylens.reportPerRequest) : null,
        // at least 60% fewer queries than (c): ratio <= 0.4
        target: n === 'querylens_cache' && agg.querylens ? 0.4 : null,
        direction: 'max',
      }),
    );
    if (a.reportPerRequest !== null && a.dbPerRequest !== null && n.startsWith('querylens')) {
      rec.push(makeRecord({ name: `app.${n}.report_queries_per_request`, value: a.reportPerRequest, unit: 'queries/req (querylens report)' }));
    }
    if (n === 'querylens_cache' || a.hitRate !== null) {
      rec.push(makeRecord({ name: `app.${n}.cache_hit_rate`, value: a.hitRate, unit: 'ratio', target: n === 'querylens_cache' ? 0.85 : null }));
    }
    if (n.startsWith('querylens') && a.report) {
      // the seed's query-time targets, from the querylens report of the last run (since its start)
      for (const [p, t] of [['p50QueryTime', 100], ['p95QueryTime', 500], ['p99QueryTime', 1000]]) {
        const target = n === 'querylens_cache' ? t : null;
        rec.push(makeRecord({ name: `app.${n}.query_${p.slice(0, 3)}`, value: a.report[p], unit: 'ms (querylens report)', target, direction: 'max' }));
      }
      rec.push(makeRecord({ name: `app.${n}.report_total_queries`, value: a.report.totalQueries, unit: 'queries (last run, since start)' }));
    }
    if (a.poolAvgPercent !== null) {
      // the seed's pool target: utilization under 80% under normal load
      rec.push(makeRecord({ name: `app.${n}.pool_utilization_avg`, value: a.poolAvgPercent, unit: '%', target: n === 'querylens_cache' ? 80 : null, direction: 'max' }));
      rec.push(makeRecord({ name: `app.${n}.pool_utilization_max`, value: a.poolMaxPercent, unit: '%' }));
    }
    rec.push(makeRecord({ name: `app.${n}.peak_rss`, value: a.peakRssMiB, unit: 'MiB', baseline: agg.bare && n !== 'bare' ? agg.bare.peakRssMiB : null }));
    rec.push(makeRecord({ name: `app.${n}.failed_requests`, value: a.failed, unit: 'requests', target: 0, direction: 'max' }));
  }
  return rec;
}

async function main() {
  services.killChildrenOnSignals();
  const dist = path.join(services.appDir, 'dist', 'main.js');
  if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run pnpm build first`);
  const names = (process.env.BENCH_CONFIGS || DEFAULT_CONFIGS.join(',')).split(',').filter(Boolean);
  for (const n of names) if (!LABELS[n]) throw new Error(`BENCH_CONFIGS: unknown configuration ${n} (${Object.keys(LABELS).join(', ')})`);

  const dbUrl = await services.ensureDatabase(DB);
  await seed(dbUrl);
  const ids = await loadIds(dbUrl, HOT_STUDENTS);
  const eps = workloadEndpoints(ids);
  const sink = await services.startOtlpSink();
  const redis = new services.PrivateRedis(await services.freePort());
  await redis.start();
  const cfgs = configs({ dbUrl, sinkUrl: sink.url, redisUrl: redis.url });
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  console.log(
    `load: ${names.map((n) => LABELS[n]).join(', ')}; ${ROUNDS} round(s) of ${WARMUP} s warm-up + ${SECONDS} s measured, ${CONNECTIONS} connections`,
  );
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      // a b c d, then d c b a: each configuration runs as often before as after each other one
      for (const n of round % 2 === 1 ? names : [...names].reverse()) {
        process.stdout.write(`load: round ${round}/${ROUNDS} ${LABELS[n]} ... `);
        const r = await runOnce(n, cfgs[n], eps, dbUrl, sink);
        runs[n].push(r);
        console.log(
          `${r.load.rps.toFixed(0)} req/s, p50 ${r.load.p50.toFixed(1)} ms, p99 ${r.load.p99.toFixed(1)} ms, ${r.load.errors + r.load.non2xx} failed, ` +
            `${r.exports} OTLP exports, stopped in ${r.stopMillis} ms`,
        );
        if (n !== 'bare' && r.exports === 0) console.warn(`load: WARNING ${LABELS[n]} sent no trace to the OTLP sink`);
      }
    }
  } finally {
    await redis.stop();
    await sink.close();
  }
  const agg = Object.fromEntries(names.map((n) => [n, aggregate(runs[n], eps)]));
  for (const n of ['bare', 'otel', 'querylens']) {
    if (agg[n] && agg[n].hitRate !== null && agg[n].hitRate > 0.05) {
      console.warn(`load: WARNING ${LABELS[n]} ran with an effective query cache (hit rate ${agg[n].hitRate.toFixed(2)} despite ${CACHE_OFF.join(',')}); (d) vs (c) compares two caches`);
    }
  }
  if (agg.querylens_cache && agg.querylens_cache.hitRate === 0) {
    console.warn('load: WARNING (d) made no cache lookup at all: the query cache is installed but not engaged on the app\'s reads');
  }
  const records = toRecords(agg, eps);
  printTable(`App load test (measured; ${ROUNDS}x${SECONDS} s per configuration, ${CONNECTIONS} connections, ${require('node:os').cpus().length} cores)`, records);
  emit(records);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`load: ${err.stack || err.message}`);
    process.exit(1);
  },
);
