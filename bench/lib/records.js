'use strict';
// The benchmark record format shared by every bench in the repository, and its reader.
// One figure per record: { name, value, unit, baseline, ratio, target, met }.
// - value: the measured figure, in `unit`.
// - baseline: the same figure for the baseline measured in the same run (or null).
// - ratio: value / baseline, or the derived ratio the target applies to (or null).
// - target: the number the figure is judged against (applies to `ratio` when it is set,
//   otherwise to `value`); met: whether it was reached (null when there is no target).
const fs = require('node:fs');

const FIELDS = ['name', 'value', 'unit', 'baseline', 'ratio', 'target', 'met'];

/**
 * Builds a record, computing `met` from `target` and `direction` when not given.
 * @param {object} r
 * @param {string} r.name
 * @param {number|null} r.value
 * @param {string} r.unit
 * @param {number|null} [r.baseline]
 * @param {number|null} [r.ratio] defaults to value / baseline when both are numbers
 * @param {number|null} [r.target]
 * @param {'min'|'max'} [r.direction] 'min': figure must be >= target; 'max': <= target. @default 'min'
 * @param {boolean|null} [r.met]
 */
function makeRecord(r) {
  const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  const value = num(r.value);
  const baseline = num(r.baseline);
  let ratio = num(r.ratio);
  if (ratio === null && r.ratio === undefined && value !== null && baseline !== null && baseline !== 0) {
    ratio = value / baseline;
  }
  const target = num(r.target);
  let met = typeof r.met === 'boolean' ? r.met : null;
  if (met === null && target !== null) {
    const judged = ratio !== null ? ratio : value;
    if (judged !== null) met = (r.direction ?? 'min') === 'max' ? judged <= target : judged >= target;
  }
  return {
    name: String(r.name),
    value: value === null ? null : round(value),
    unit: String(r.unit ?? ''),
    baseline: baseline === null ? null : round(baseline),
    ratio: ratio === null ? null : round(ratio),
    target,
    met,
  };
}

/** Rounds to 4 significant digits (the noise here is far above that). */
function round(x) {
  if (x === 0 || !Number.isFinite(x)) return x;
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(x))));
  return Number(x.toFixed(Math.min(digits, 9)));
}

/** Appends records as JSON lines to the file named by QUERYLENS_BENCH_OUT (no-op when unset). */
function emit(records, file = process.env.QUERYLENS_BENCH_OUT) {
  if (!file) return;
  fs.appendFileSync(file, records.map((r) => JSON.stringify(r) + '\n').join(''));
}

/**
 * Reads a JSONL file of records; lines that are not valid records are returned in `invalid`.
 * @returns {{ records: object[], invalid: string[] }}
 */
function readJsonl(file) {
  const records = [];
  const invalid = [];
  if (!fs.existsSync(file)) return { records, invalid };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let o;
    try {
      o = JSON.parse(line);
    } catch {
      invalid.push(line);
      continue;
    }
    if (!o || typeof o.name !== 'string' || !(typeof o.value === 'number' || o.value === null)) {
      invalid.push(line);
      continue;
    }
    const rec = {};
    for (const f of FIELDS) rec[f] = o[f] === undefined ? null : o[f];
    if (typeof rec.unit !== 'string') rec.unit = rec.unit === null ? '' : String(rec.unit);
    records.push(rec);
  }
  return { records, invalid };
}

/** Percentile (nearest rank) of an ascending-sorted array; NaN when empty. */
function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Median of an array (the mean of the two middle values for an even length); NaN when empty. */
function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The ratio of `xs` to `ys` (one value per round of the same configuration pair), cancelling
 * the position of a run in its round: rounds alternate the order (a b c d, then d c b a), so
 * each pair of rounds runs x once before and once after y. A pair's ratio is the geometric mean
 * of its two rounds' ratios; the result is the median over pairs (an odd last round is left
 * out; a single round gives its own ratio; none gives null). Measured: the run later in a round
 * lost 10-15% against the earlier one (d/b 0.85 in every a-b-c-d round, 1.13-1.45 in every
 * d-c-b-a round of one 5-round run of the HTTP + pg bench), so a median of single rounds
 * followed the majority order.
 */
function pairedRatio(xs, ys) {
  const n = Math.min(xs.length, ys.length);
  if (n === 0) return null;
  if (n === 1) return xs[0] / ys[0];
  const pairs = [];
  for (let k = 0; k + 1 < n; k += 2) pairs.push(Math.sqrt((xs[k] / ys[k]) * (xs[k + 1] / ys[k + 1])));
  return median(pairs);
}

/** Prints records as an aligned text table. */
function printTable(title, records, log = console.log) {
  const fmt = (x) => (x === null || x === undefined ? '-' : typeof x === 'number' ? String(round(x)) : String(x));
  const rows = records.map((r) => [
    r.name,
    fmt(r.value),
    r.unit,
    fmt(r.baseline),
    fmt(r.ratio),
    fmt(r.target),
    r.met === null ? '-' : r.met ? 'met' : 'NOT MET',
  ]);
  const head = ['figure', 'value', 'unit', 'baseline', 'ratio', 'target', 'met'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  log(`\n${title}`);
  log(line(head));
  log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const row of rows) log(line(row));
}

/**
 * The ratio of configuration x to configuration y from runs interleaved in time, cancelling
 * the machine's drift: each run of x is compared with y interpolated (geometrically, by slot)
 * between y's runs just before and just after it in the same round. Runs are
 * `{ slot, round, value }`, `slot` a sequence number over the whole bench. The result is the
 * median over x's runs that have a run of y on both sides in their round; null when none has.
 * Unlike {@link pairedRatio}, this does not need the order to alternate: with a fixed cyclic
 * order every configuration waits the same time between its runs (alternating orders gave the
 * first and last configuration idle gaps of 0 and 7 runs, and after the long gap the last one
 * measured 19-28% below its next run in three rounds of four, though the second one was also
 * slower there in three of four: whatever the wait does, a cyclic order does it to all alike).
 */
function interpolatedRatio(xs, ys) {
  const ratios = [];
  for (const x of xs) {
    let before = null;
    let after = null;
    for (const y of ys) {
      if (y.round !== x.round) continue;
      if (y.slot < x.slot && (before === null || y.slot > before.slot)) before = y;
      if (y.slot > x.slot && (after === null || y.slot < after.slot)) after = y;
    }
    if (before === null || after === null) continue;
    const w = (x.slot - before.slot) / (after.slot - before.slot);
    const y = Math.exp((1 - w) * Math.log(before.value) + w * Math.log(after.value));
    ratios.push(x.value / y);
  }
  return ratios.length ? median(ratios) : null;
}

module.exports = { FIELDS, makeRecord, round, emit, readJsonl, percentile, median, pairedRatio, interpolatedRatio, printTable };
