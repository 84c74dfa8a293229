#!/usr/bin/env node
'use strict';
// Runs every package's mocha suite against real PostgreSQL and Redis and ends with
// one line "N passed, N failed" summed over all packages (the line CI reads).
// Usage: pnpm test [package-dir ...]   e.g. pnpm test packages/core
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const all = ['packages/core', 'packages/sequelize', 'packages/node', 'examples/school-health'];
const only = process.argv.slice(2).map((p) => p.replace(/\/$/, ''));
const dirs = only.length ? only : all;

const env = { ...process.env };
env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
env.REDIS_URL ??= 'redis://127.0.0.1:6379';
const svc = spawnSync('bash', [path.join(__dirname, 'ensure-services.sh')], { stdio: 'inherit', env: process.env });
if (svc.status !== 0) {
  console.error('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
let pending = 0;
for (const dir of dirs) {
  const cwd = path.join(root, dir);
  if (!fs.existsSync(path.join(cwd, '.mocharc.json'))) continue;
  const counts = path.join(os.tmpdir(), `querylens-counts-${process.pid}-${dir.replace(/\W/g, '_')}.json`);
  fs.rmSync(counts, { force: true });
  console.log(`\n=== ${dir} ===`);
  const mocha = require.resolve('mocha/bin/mocha.js', { paths: [cwd, root] });
  const r = spawnSync(process.execPath, [mocha, '--reporter', path.join(__dirname, 'mocha-count-reporter.js')], {
    cwd,
    stdio: 'inherit',
    env: { ...env, QUERYLENS_TEST_COUNTS: counts },
  });
  let c = { passed: 0, failed: 0, pending: 0 };
  try {
    c = JSON.parse(fs.readFileSync(counts, 'utf8'));
  } catch {
    c.failed = 1; // the suite crashed before reporting: count it as a failure
    console.error(`${dir}: mocha exited with ${r.status} before reporting`);
  }
  if (r.status !== 0 && c.failed === 0) c.failed = 1;
  passed += c.passed;
  failed += c.failed;
  pending += c.pending;
  fs.rmSync(counts, { force: true });
}
console.log(`\n${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
process.exit(failed ? 1 : 0);
