'use strict';
// Self-check of the bench helpers (not part of .ci/run; run with `node --test bench/lib/`).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { makeRecord, readJsonl, percentile, median, pairedRatio, interpolatedRatio, emit } = require('./records');
const { latencyChart, latencyGroups, niceScale } = require('./svg');
const { renderMarkdown } = require('./report');

test('makeRecord judges the ratio when there is a baseline, else the value, in the given direction', () => {
  assert.equal(makeRecord({ name: 'a', value: 97, unit: 'req/s', baseline: 100, target: 0.97 }).met, true);
  assert.equal(makeRecord({ name: 'a', value: 96, unit: 'req/s', baseline: 100, target: 0.97 }).met, false);
  assert.equal(makeRecord({ name: 'b', value: 120, unit: 'ms', target: 100, direction: 'max' }).met, false);
  assert.equal(makeRecord({ name: 'b', value: 80, unit: 'ms', target: 100, direction: 'max' }).met, true);
  const none = makeRecord({ name: 'c', value: 1, unit: '' });
  assert.deepEqual([none.baseline, none.ratio, none.target, none.met], [null, null, null, null]);
  assert.equal(makeRecord({ name: 'd', value: NaN, unit: '' }).value, null);
});

test('readJsonl keeps valid records and reports the rest', () => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qlb-')), 'r.jsonl');
  emit([makeRecord({ name: 'x', value: 1, unit: 'u' })], f);
  fs.appendFileSync(f, 'not json\n{"value":3}\n{"name":"y","value":2}\n');
  const { records, invalid } = readJsonl(f);
  assert.deepEqual(records.map((r) => r.name), ['x', 'y']);
  assert.equal(records[1].unit, '');
  assert.equal(invalid.length, 2);
});

test('pairedRatio takes the median over pairs of rounds of the geometric mean of their ratios', () => {
  // a position effect: x loses 15% when it runs after y (odd rounds), wins 15% before (even)
  assert.ok(Math.abs(pairedRatio([85, 115, 85, 115], [100, 100, 100, 100]) - Math.sqrt(0.85 * 1.15)) < 1e-12);
  assert.equal(pairedRatio([90, 110, 50], [100, 110, 100]), Math.sqrt(0.9 * 1)); // odd last round left out
  assert.equal(pairedRatio([90], [100]), 0.9);
  assert.equal(pairedRatio([], []), null);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
});

test('interpolatedRatio compares each run of x with y interpolated between its neighbours in time', () => {
  // the machine slows down linearly: y's value halves over the round; x is 10% below y at every moment
  const speed = (slot) => 100 * (1 - slot / 20);
  const ys = [0, 4, 8, 12].map((slot) => ({ slot, round: 0, value: speed(slot) }));
  const xs = [2, 6, 10, 14].map((slot) => ({ slot, round: 0, value: 0.9 * speed(slot) }));
  const r = interpolatedRatio(xs, ys);
  assert.ok(Math.abs(r - 0.9) < 0.01, `got ${r}`); // x at 14 has no y after it: left out
  assert.equal(interpolatedRatio(xs.slice(3), ys), null);
  // neighbours are taken in the same round only
  assert.equal(interpolatedRatio([{ slot: 5, round: 1, value: 50 }], ys), null);
  const flat = [{ slot: 0, round: 0, value: 100 }, { slot: 4, round: 0, value: 100 }];
  assert.ok(Math.abs(interpolatedRatio([{ slot: 2, round: 0, value: 50 }], flat) - 0.5) < 1e-12);
});

test('percentile is nearest-rank', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile([7], 95), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('the latency chart has one bar per percentile and configuration, scaled to the largest', () => {
  const recs = ['p50', 'p95', 'p99'].flatMap((p, i) => [
    { name: `app.bare.latency.${p}`, value: 10 * (i + 1), unit: 'ms' },
    { name: `app.querylens.latency.${p}`, value: 12 * (i + 1), unit: 'ms' },
  ]);
  const groups = latencyGroups([...recs, { name: 'app.bare.student_list.p50', value: 5, unit: 'ms' }]);
  assert.equal(groups.length, 2);
  const svg = latencyChart(groups, { title: 'a < b & c' });
  assert.equal((svg.match(/<rect x="\d/g) || []).length, 6 + 3); // 6 bars + 3 legend swatches
  assert.ok(svg.includes('a &lt; b &amp; c'));
  assert.ok(niceScale(36).top >= 36);
});

test('RESULTS.md shows the direction of each target', () => {
  const md = renderMarkdown(
    [
      { ...makeRecord({ name: 'up', value: 98, unit: 'req/s', baseline: 100, target: 0.97 }), section: 'app' },
      { ...makeRecord({ name: 'down', value: 50, unit: 'ms', target: 100, direction: 'max' }), section: 'app' },
      { ...makeRecord({ name: 'exact', value: 0, unit: 'requests', target: 0, direction: 'max' }), section: 'app' },
    ],
    { date: '2026-01-01T00:00:00Z', machine: { cores: 2, cpu: 'x', memoryGiB: 1, node: 'v20', os: 'linux', loadAverage: [0, 0, 0] }, runs: [] },
  );
  assert.match(md, /\| up \|.*\| ≥ 0\.97 \| met \|/);
  assert.match(md, /\| down \|.*\| ≤ 100 \| met \|/);
  assert.match(md, /\| exact \|.*\| = 0 \| met \|/);
});

test('writeReport writes the four files, and runs.json only for a real run', () => {
  const { writeReport } = require('./report');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlb-'));
  const meta = { date: '2026-01-01T00:00:00Z', machine: { cores: 2, cpu: 'x', memoryGiB: 1, node: 'v20', os: 'linux', loadAverage: [0, 0, 0] }, runs: [{ file: 'a', section: 'app', status: 'ok', seconds: 1 }] };
  const recs = [{ ...makeRecord({ name: 'app.bare.latency.p50', value: 3, unit: 'ms' }), section: 'app' }];
  writeReport(dir, recs, meta);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8')), recs);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'runs.json'), 'utf8')).runs.length, 1);
  assert.match(fs.readFileSync(path.join(dir, 'latency.svg'), 'utf8'), /\(a\) no instrumentation p50: 3\.00 ms/);
  const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'qlb-'));
  writeReport(dir2, recs, { ...meta, rerendered: true });
  assert.equal(fs.existsSync(path.join(dir2, 'runs.json')), false);
});
