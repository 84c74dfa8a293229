'use strict';
// Terminal dashboard in the layout of the seed's section 12, filled from the
// app's real monitoring endpoints and its Prometheus /metrics.

const INNER = 61;
const WIDE = /[\u{1F300}-\u{1FAFF}\u2705\u274C\u26AA\u26A0]/u;

/** Display width: the emoji status marks take two columns. */
function width(s) {
  let w = 0;
  for (const ch of s) {
    if (ch === '\uFE0F') continue;
    w += WIDE.test(ch) ? 2 : 1;
  }
  return w;
}

function line(content = '') {
  // Never let a long value break the box: cut it with an ellipsis.
  if (width(content) > INNER - 1) {
    let cut = '';
    for (const ch of content) {
      if (width(cut + ch) > INNER - 2) break;
      cut += ch;
    }
    content = `${cut}…`;
  }
  const pad = Math.max(0, INNER - 1 - width(content));
  return `│ ${content}${' '.repeat(pad)}│`;
}
const top = `┌${'─'.repeat(INNER)}┐`;
const sep = `├${'─'.repeat(INNER)}┤`;
const bottom = `└${'─'.repeat(INNER)}┘`;

const OK = '✅';
const BAD = '❌';
const NA = '⚪';

const int = (n) => (typeof n === 'number' && Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n) => (typeof n === 'number' && Number.isFinite(n) ? `${n < 1 ? n.toFixed(2) : n < 10 ? n.toFixed(1) : Math.round(n)}ms` : 'n/a');
const pct = (ratio, digits = 1) => (typeof ratio === 'number' && Number.isFinite(ratio) ? `${(ratio * 100).toFixed(digits)}%` : 'n/a');
const mb = (bytes) => `${Math.round(bytes / 1048576)} MB`;

function uptime(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d ? `${d}d ${h}h ${m}m` : h ? `${h}h ${m}m ${s % 60}s` : `${m}m ${s % 60}s`;
}

/**
 * Sum of the samples (all label sets) of the first metric whose name matches
 * `pattern`, in Prometheus text format. Returns { name, value } or undefined.
 */
function promSum(text, pattern) {
  if (!text) return undefined;
  let found;
  for (const row of text.split('\n')) {
    if (row.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(row);
    if (!m || !pattern.test(m[1])) continue;
    if (found && found.name !== m[1]) continue;
    found ??= { name: m[1], value: 0 };
    found.value += Number(m[3]);
  }
  return found;
}

/** The Prometheus series the dashboard shows (names as the OpenTelemetry exporter renders them). */
const PROM_SERIES = [
  /^querylens_db_operation_duration(_seconds)?_count$/,
  /^querylens_db_slow_queries(_total)?$/,
  /^querylens_db_n_plus_one(_total)?$/,
  /^querylens_cache_requests(_total)?$/,
  /^http_server_(request_)?duration(_seconds|_milliseconds)?_count$/,
];

/** N+1 detections grouped by fingerprint: one row per pattern, most frequent first. */
function groupDetections(detections) {
  const groups = new Map();
  for (const d of detections) {
    const key = d.fingerprint ?? d.statement;
    const g = groups.get(key) ?? { statement: d.statement ?? d.summary ?? String(key), parent: d.parentSpanName, detections: 0, queries: 0, maxCount: 0, totalMillis: 0 };
    g.detections++;
    g.queries += d.count ?? 0;
    g.maxCount = Math.max(g.maxCount, d.count ?? 0);
    g.totalMillis += d.totalDurationMillis ?? 0;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.detections - a.detections);
}

/** Number of distinct metric families in a Prometheus text document. */
function promFamilies(text) {
  return text ? (text.match(/^# TYPE /gm) ?? []).length : 0;
}

/** Splits text into lines that fit the box after `indent` spaces (at most `maxLines`, the last one cut with …). */
function wrap(text, indent, maxLines) {
  const room = INNER - 1 - indent;
  const lines = [];
  // SQL arrives with its own newlines and indentation: flatten it so the box stays intact.
  let rest = String(text).replace(/\s+/g, ' ').trim();
  while (rest.length && lines.length < maxLines) {
    if (rest.length <= room) {
      lines.push(rest);
      rest = '';
      break;
    }
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= room / 2) cut = room;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length) lines[lines.length - 1] = `${lines[lines.length - 1].slice(0, room - 1)}…`;
  return lines.map((l) => `${' '.repeat(indent)}${l}`);
}

function mark(check) {
  return check ? (check.status === 'pass' ? OK : check.status === 'fail' ? BAD : NA) : NA;
}

/**
 * Renders the dashboard.
 * @param {object} d { performance, queries, pool, cache, health, endpoints, memory, metricsText, poolPeak, trends }
 * @returns {string}
 */
function renderDashboard(d) {
  const out = [];
  const h = d.health ?? {};
  const checks = h.checks ?? {};
  const r = d.queries?.report ?? null;
  const perf = d.performance ?? {};
  const healthy = h.status === 'healthy';
  out.push(top, line('White Cross Performance Dashboard'), sep);
  out.push(line(`System Health: ${healthy ? '●●●●● HEALTHY' : '●●○○○ DEGRADED'}`));
  out.push(line(`Uptime: ${uptime(perf.uptime ?? 0)}`));

  out.push(sep, line('Query Performance'));
  if (r) {
    out.push(line(`  P50: ${ms(r.p50QueryTime)} ${mark(checks.p50QueryTime)} (target: <100ms)`));
    out.push(line(`  P95: ${ms(r.p95QueryTime)} ${mark(checks.p95QueryTime)} (target: <500ms)`));
    out.push(line(`  P99: ${ms(r.p99QueryTime)} ${mark(checks.p99QueryTime)} (target: <1000ms)`));
    const slowShare = r.totalQueries ? r.slowQueries / r.totalQueries : 0;
    out.push(line(`  Total Queries: ${int(r.totalQueries)}   Avg: ${ms(r.avgQueryTime)}`));
    out.push(line(`  Slow Queries: ${int(r.slowQueries)} (${pct(slowShare)})`));
    const slowest = [...(d.queries?.slowQueries ?? [])].sort((a, b) => (b.maxMillis ?? 0) - (a.maxMillis ?? 0))[0];
    if (slowest) {
      wrap(`Slowest: ${slowest.statement ?? slowest.summary ?? slowest.fingerprint}`, 4, 2).forEach((l) => out.push(line(l)));
      out.push(line(`    max ${ms(slowest.maxMillis)}, ${int(slowest.slowCount)} slow of ${int(slowest.count)} runs`));
    }
    const n1 = r.n1Detections ?? [];
    const groups = groupDetections(n1);
    out.push(line(`  N+1 Detections: ${n1.length} ${n1.length ? BAD : OK}${groups.length ? ` (${groups.length} pattern${groups.length > 1 ? 's' : ''})` : ''}`));
    for (const g of groups.slice(0, 3)) {
      wrap(`Pattern: ${g.statement}`, 4, 3).forEach((l) => out.push(line(l)));
      out.push(line(`    Occurrences: ${g.detections} requests, up to ${g.maxCount} queries each`));
      out.push(line(`    (${int(g.queries)} queries, ${ms(g.totalMillis)} in total, under ${String(g.parent ?? 'a request').slice(0, 20)})`));
    }
    if (groups.length > 3) out.push(line(`    ... and ${groups.length - 3} more pattern(s)`));
  } else {
    out.push(line('  No querylens report (app not under the register?)'));
  }

  out.push(sep, line('Cache Performance'));
  const c = d.cache ?? {};
  if (c.enabled) {
    out.push(line(`  Hit Rate: ${pct(c.hitRate, 0)} ${mark(checks.cacheHitRate)} (target: >80%)`));
    out.push(line(`  Total Hits: ${int(c.hits)}`));
    out.push(line(`  Total Misses: ${int(c.misses)}   Bypasses: ${int(c.bypasses)}   Errors: ${int(c.errors)}`));
    out.push(line(`  Avg Hit: ${ms(c.avgHitMillis)}   Avg Miss: ${ms(c.avgMissMillis)}`));
    out.push(line(`  Cache Size: ${c.entries >= 0 ? `${int(c.entries)} entries` : 'n/a (Redis store)'}`));
  } else {
    out.push(line('  No query cache configured'));
  }

  out.push(sep, line('Connection Pool'));
  const p = d.pool?.current;
  if (p) {
    out.push(line(`  Utilization: ${p.utilizationPercent}% ${mark(checks.poolUtilization)} (target: <80%)`));
    if (d.poolPeak) out.push(line(`  Peak during load: ${d.poolPeak.utilizationPercent}% (waiting max ${d.poolPeak.waiting})`));
    out.push(line(`  Active: ${p.active}/${p.max}`));
    out.push(line(`  Idle: ${p.idle}/${p.max}`));
    out.push(line(`  Waiting: ${p.waiting}`));
  } else {
    out.push(line('  Pool status unavailable'));
  }

  out.push(sep, line('HTTP Requests'));
  const rq = perf.requests ?? {};
  out.push(line(`  Requests/sec: ${typeof rq.perSecond === 'number' ? rq.perSecond.toFixed(1) : 'n/a'} (last minute)`));
  out.push(line(`  Avg Duration: ${ms(rq.avgDuration)}`));
  out.push(line(`  Error Rate: ${pct(rq.errorRate)} (5xx)`));
  out.push(line(`  Total: ${int(rq.total)}`));
  const busiest = (d.endpoints ?? []).slice(0, 3);
  for (const e of busiest) {
    const label = `${e.method} ${e.endpoint}`;
    out.push(line(`    ${label.length > 36 ? `${label.slice(0, 35)}…` : label.padEnd(36)} ${int(e.count).padStart(6)} p95 ${ms(e.p95Duration)}`));
  }

  out.push(sep, line('Memory'));
  const m = (d.memory ?? []).at(-1);
  if (m) {
    out.push(line(`  Heap Used: ${mb(m.heapUsed)} / ${mb(m.heapLimit)} (${Math.round(m.utilizationPercent)}%)`));
    out.push(line(`  RSS: ${mb(m.rss)}`));
    out.push(line(`  External: ${mb(m.external)}`));
  }

  out.push(sep, line('Prometheus /metrics'));
  if (d.metricsText) {
    out.push(line(`  Metric families: ${promFamilies(d.metricsText)}`));
    for (const pattern of PROM_SERIES) {
      const found = promSum(d.metricsText, pattern);
      if (found) out.push(line(`  ${found.name}: ${int(found.value)}`));
    }
  } else {
    out.push(line('  /metrics not reachable (check OTEL_METRICS_EXPORTER)'));
  }
  out.push(bottom);

  const alerts = [];
  for (const reason of h.reasons ?? []) alerts.push(`[red] ${reason}`);
  // The report keeps one alert per occurrence: show each distinct alert once, with its count and last time.
  const distinct = new Map();
  for (const a of r?.alerts ?? []) {
    const key = `${a.severity}|${a.message}`;
    const seen = distinct.get(key) ?? { ...a, times: 0 };
    seen.times++;
    seen.timestamp = a.timestamp ?? seen.timestamp;
    distinct.set(key, seen);
  }
  for (const a of [...distinct.values()].slice(-5)) {
    const level = a.severity === 'critical' ? 'red' : 'yellow';
    alerts.push(`[${level}] ${a.severity === 'critical' ? 'Critical' : 'Warning'}: ${a.message}`);
    alerts.push(`   Last: ${a.timestamp ?? 'n/a'}${a.times > 1 ? `   (raised ${a.times} times)` : ''}`);
  }
  for (const t of d.trends?.trends ?? []) {
    if (t.trend !== 'stable') alerts.push(`[${t.trend === 'improving' ? 'green' : 'yellow'}] Trend: ${t.metric} ${t.trend} (${t.changePercent > 0 ? '+' : ''}${t.changePercent}% over ${t.samples} samples)`);
  }
  if (alerts.length) out.push('', 'Alerts', ...alerts);
  return out.join('\n');
}

module.exports = { renderDashboard, promSum, groupDetections, width };
