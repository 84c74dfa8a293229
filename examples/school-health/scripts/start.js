#!/usr/bin/env node
'use strict';
// pnpm start: the same boot as `pnpm demo` (embedded PostgreSQL unless
// DATABASE_URL is set; the embedded one is seeded), then serves the app under
// `node --require @querylens/node/register` until Ctrl-C.
//   PORT (default 3000), OTEL_EXPORTER_PROMETHEUS_PORT (default 9464),
//   MONITORING_TOKEN (generated and printed when unset), DEMO_STUDENTS (default 3000),
//   SEED=true to seed an external DATABASE_URL too (it empties the app's tables first).
const { appEnv, startApp, AppError } = require('./lib/app');
const { ensureBuilt } = require('./lib/build');
const { startDatabase } = require('./lib/database');
const { runSeed } = require('./lib/seed');

const log = (msg) => process.stdout.write(`${msg}\n`);
let db;
let app;
let stopping;
function stop(code) {
  stopping ??= (async () => {
    log('Stopping ...');
    if (app) await app.stop().catch(() => undefined);
    if (db) await db.stop().catch(() => undefined);
    process.exit(code);
  })();
  return stopping;
}
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

async function main() {
  ensureBuilt({ log });
  db = await startDatabase({ log });
  // An embedded database starts empty and is always seeded. An external one is left
  // alone unless SEED=true: the seed empties the app's tables first.
  if (!db.embedded && process.env.SEED !== 'true') {
    log('Using the data in DATABASE_URL as it is (SEED=true fills it with synthetic data, emptying the app tables first)');
  } else {
    const students = Number(process.env.DEMO_STUDENTS) || 3000;
    log(`Seeding ${students} synthetic students ...`);
    await runSeed({ databaseUrl: db.url, students, onTable: (t, n) => log(`  seeded ${t}: ${n}`) });
  }
  const generatedToken = !process.env.MONITORING_TOKEN;
  const env = await appEnv({
    databaseUrl: db.url,
    embedded: db.embedded,
    overrides: { port: process.env.PORT || 3000, metricsPort: process.env.OTEL_EXPORTER_PROMETHEUS_PORT || 9464 },
  });
  app = await startApp({ env, inheritLogs: true });
  app.child.once('exit', (code) => {
    if (!stopping) {
      log(`The app exited (code ${code}).`);
      stop(code || 1);
    }
  });
  log('');
  log(`White Cross school-health is running at ${app.baseUrl}  (Ctrl-C to stop)`);
  log(`  Prometheus metrics: ${app.metricsUrl}`);
  log(`  Monitoring:         curl -H "Authorization: Bearer ${generatedToken ? app.token : '$MONITORING_TOKEN'}" ${app.baseUrl}/monitoring/health`);
  if (generatedToken) log('  (MONITORING_TOKEN was generated for this run; set it to choose your own)');
}

main().catch(async (err) => {
  process.stderr.write(`start failed: ${err.message}\n`);
  if (err instanceof AppError && err.logLines.length) process.stderr.write(`${err.logLines.join('\n')}\n`);
  await stop(1);
});
