#!/usr/bin/env node
'use strict';
// `pnpm bench`: runs every benchmark of the repository one after the other, collects the
// figures they report and writes bench/results.json, bench/RESULTS.md and bench/latency.svg.
//
//   pnpm bench                      everything: package benches, growth tables, app load test
//   pnpm bench -- --only app        only some sections (core, sequelize, node, growth, app)
//                                   or files (e.g. --only sanitizer,cache); comma-separated
//   pnpm bench -- --skip app        everything except some sections or files
//   pnpm bench -- --list            print what would run
//   pnpm bench -- --no-build        do not run `tsc -b` first
//   pnpm bench -- --strict          exit 1 when a target is not met (default: only when a bench fails)
//   pnpm bench -- --report-only     re-render RESULTS.md and latency.svg from bench/results.json
//                                   (and bench/runs.json: date, machine, benches run)
//   BENCH_SECONDS=5 pnpm bench      duration of each measured phase, passed to every bench
//   BENCH_TIMEOUT_SECONDS=600       a bench running longer than this is killed and reported failed
//   BENCH_NOTE="..."                a note printed at the top of RESULTS.md (e.g. "measured under load")
//
// Every bench receives QUERYLENS_BENCH_OUT (a JSONL file, one record per line:
// {name, value, unit, baseline, ratio, target, met}). Sections that were not run keep their
// previous figures in results.json. Benchmarks are never part of .ci/run.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { readJsonl, printTable } = require('../bench/lib/records');
const { writeReport, machine } = require('../bench/lib/report');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'bench');
const tmpDir = path.join(outDir, 'tmp');

function parseArgs(argv) {
  const o = { only: null, skip: [], list: false, build: true, strict: false, reportOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--') continue;
    else if (a === '--only') o.only = next().split(',').filter(Boolean);
    else if (a.startsWith('--only=')) o.only = a.slice(7).split(',').filter(Boolean);
    else if (a === '--skip') o.skip = next().split(',').filter(Boolean);
    else if (a.startsWith('--skip=')) o.skip = a.slice(7).split(',').filter(Boolean);
    else if (a === '--list') o.list = true;
    else if (a === '--no-build') o.build = false;
    else if (a === '--strict') o.strict = true;
    else if (a === '--report-only') o.reportOnly = true;
    else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(2, 21).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  return o;
}

/** Every bench of the repository, in run order: packages, growth tables, then the app. */
function discover() {
  const benches = [];
  const pkgs = path.join(root, 'packages');
  for (const pkg of fs.existsSync(pkgs) ? fs.readdirSync(pkgs).sort() : []) {
    const dir = path.join(pkgs, pkg, 'bench');
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (/\.bench\.ts$/.test(f)) benches.push({ section: pkg, file: path.join(dir, f), cwd: path.join(pkgs, pkg) });
    }
  }
  const growth = path.join(outDir, 'growth');
  if (fs.existsSync(growth)) {
    for (const f of fs.readdirSync(growth).sort()) {
      if (/\.growth\.ts$/.test(f)) benches.push({ section: 'growth', file: path.join(growth, f), cwd: root });
    }
  }
  const app = path.join(root, 'examples/school-health/bench/load.bench.js');
  if (fs.existsSync(app)) benches.push({ section: 'app', file: app, cwd: path.dirname(path.dirname(app)) });
  return benches.map((b) => ({ ...b, id: path.basename(b.file).replace(/\.(bench|growth)\.(ts|js)$/, '') }));
}

function selected(b, o) {
  const hit = (list) => list.includes(b.section) || list.includes(b.id) || list.includes(`${b.section}/${b.id}`);
  if (o.only && !hit(o.only)) return false;
  return !hit(o.skip);
}

/** Runs one bench as a child process, streaming its output; resolves with its exit status. */
function runBench(b, out, timeoutSeconds) {
  return new Promise((resolve) => {
    const args = ['--expose-gc'];
    if (b.file.endsWith('.ts')) args.push('--import', 'tsx');
    args.push(b.file);
    const child = spawn(process.execPath, args, {
      cwd: b.cwd,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, QUERYLENS_BENCH_OUT: out },
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutSeconds * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(timedOut ? `timed out after ${timeoutSeconds} s` : code === 0 ? 'ok' : `failed (${signal ?? `exit ${code}`})`);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve(`failed (${err.message})`);
    });
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.reportOnly) {
    const records = JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8'));
    // the run's own date, machine and bench list when bench/runs.json has them
    let prev = {};
    try {
      prev = JSON.parse(fs.readFileSync(path.join(outDir, 'runs.json'), 'utf8'));
    } catch {
      prev = {};
    }
    const meta = {
      date: prev.date ?? new Date().toISOString(),
      machine: prev.machine ?? machine(),
      runs: prev.runs ?? [],
      keptSections: prev.keptSections ?? [],
      note: process.env.BENCH_NOTE || prev.note || undefined,
      rerendered: !prev.date,
    };
    const paths = writeReport(outDir, records, meta);
    console.log(`Re-rendered ${path.relative(root, paths.md)} and ${path.relative(root, paths.svg)} from ${records.length} records`);
    return 0;
  }
  const benches = discover().filter((b) => selected(b, o));
  if (o.list) {
    for (const b of benches) console.log(`${b.section.padEnd(10)} ${path.relative(root, b.file)}`);
    return 0;
  }
  if (!benches.length) {
    console.error('pnpm bench: nothing selected (sections: core, sequelize, node, growth, app)');
    return 1;
  }
  if (o.build) {
    console.log('pnpm bench: building (tsc -b)...');
    const r = spawnSync('pnpm', ['build'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) console.warn('pnpm bench: the build reported errors; benches of packages that built still run');
  }
  fs.mkdirSync(tmpDir, { recursive: true });
  const timeoutSeconds = Number(process.env.BENCH_TIMEOUT_SECONDS) > 0 ? Number(process.env.BENCH_TIMEOUT_SECONDS) : 600;
  const meta = { date: new Date().toISOString(), machine: machine(), runs: [], note: process.env.BENCH_NOTE || undefined };
  const fresh = [];
  let failures = 0;
  for (const b of benches) {
    const out = path.join(tmpDir, `${b.section}-${b.id}-${process.pid}.jsonl`);
    fs.rmSync(out, { force: true });
    console.log(`\n=== ${b.section}: ${path.relative(root, b.file)} ===`);
    const t0 = process.hrtime.bigint();
    let status = await runBench(b, out, timeoutSeconds);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const { records, invalid } = readJsonl(out);
    if (invalid.length) console.warn(`pnpm bench: ${invalid.length} invalid record line(s) ignored from ${b.id}: ${invalid[0].slice(0, 120)}`);
    if (status === 'ok' && !records.length) status = 'ok (no figures reported)';
    if (!status.startsWith('ok')) failures++;
    meta.runs.push({ file: path.relative(root, b.file), section: b.section, status, seconds });
    for (const r of records) fresh.push({ ...r, section: b.section, file: path.relative(root, b.file) });
    fs.rmSync(out, { force: true });
  }
  // keep the previous figures of the benches that were not run this time: a bench that ran
  // replaces all its figures (records name their bench file; older ones without a file are
  // replaced when this run reports a figure of the same name)
  const ranFiles = new Set(benches.map((b) => path.relative(root, b.file)));
  const freshNames = new Set(fresh.map((r) => r.name));
  let kept = [];
  const prevFile = path.join(outDir, 'results.json');
  if (o.only || o.skip.length) {
    try {
      const prev = JSON.parse(fs.readFileSync(prevFile, 'utf8'));
      if (Array.isArray(prev)) kept = prev.filter((r) => r && r.section && (r.file ? !ranFiles.has(r.file) : !freshNames.has(r.name)));
    } catch {
      kept = [];
    }
  }
  const order = ['core', 'sequelize', 'node', 'growth', 'app'];
  const all = [...kept, ...fresh].sort((a, b) => {
    const ia = order.indexOf(a.section);
    const ib = order.indexOf(b.section);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  meta.keptSections = [...new Set(kept.map((r) => r.section))];
  const paths = writeReport(outDir, all, meta);

  for (const s of [...new Set(fresh.map((r) => r.section))]) printTable(`== ${s} ==`, fresh.filter((r) => r.section === s));
  const notMet = fresh.filter((r) => r.met === false);
  console.log(`\npnpm bench: ${meta.runs.length} bench(es), ${failures} failed; ${fresh.filter((r) => r.met === true).length} targets met, ${notMet.length} not met.`);
  for (const r of meta.runs) console.log(`  ${r.status.startsWith('ok') ? 'ok  ' : 'FAIL'} ${r.file} (${r.seconds.toFixed(1)} s)${r.status.startsWith('ok') ? '' : ': ' + r.status}`);
  console.log(`Wrote ${path.relative(root, paths.json)}, ${path.relative(root, paths.md)}, ${path.relative(root, paths.svg)}`);
  if (failures) return 1;
  if (o.strict && notMet.length) return 1;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`pnpm bench: ${err.message}`);
    process.exit(2);
  },
);
