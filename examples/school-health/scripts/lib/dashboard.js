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
const ms = (n) => (typeof n === 'number' && Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n)}ms` : 'n/a');
const pct = (ratio, digits = 1) => (typeof ratio === 'number' && Number.isFinite(ratio) ? `${(ratio * 100).toFixed(digits)}%` : 'n/a');
const mb = (bytes) => `${Math.round(bytes / 1048576)} MB`;

function uptime(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d ? `${d}d ${h}h ${m}m` : h ? `${h}h ${m}m ${s % 60}s` : `${m}m ${s % 60}s`;
}

/** Sum of the samples of a metric in Prometheus text format (all label sets). */
function promSum(text, name) {
  if (!text) return undefined;
  let sum;
  for (const row of text.split('\n')) {
    if (row.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(row);
    if (m && m[1] === name) sum = (sum ?? 0) + Number(m[3]);
  }
  return sum;
}

/** Number of distinct metric families in a Prometheus text document. */
function promFamilies(text) {
  return text ? (text.match(/^# TYPE /gm) ?? []).length : 0;
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
    const n1 = r.n1Detections ?? [];
    out.push(line(`  N+1 Detections: ${n1.length} ${n1.length ? BAD : OK}`));
    for (const det of n1.slice(0, 3)) {
      const pattern = String(det.statement ?? det.summary ?? det.pattern ?? det.fingerprint ?? '?');
      out.push(line(`    Pattern: ${pattern.length > 47 ? `${pattern.slice(0, 46)}…` : pattern}`));
      const dur = typeof det.totalDurationMillis === 'number' ? ` in ${ms(det.totalDurationMillis)}` : '';
      out.push(line(`    Occurrences: ${int(det.count)}${dur} under ${String(det.parentSpanName ?? 'a request').slice(0, 30)}`));
    }
    if (n1.length > 3) out.push(line(`    ... and ${n1.length - 3} more`));
  } else {
    out.push(line('  No querylens report (is the app running under the register?)'));
  }

  out.push(sep, line('Cache Performance'));
  const c = d.cache ?? {};
  if (c.enabled) {
    out.push(line(`  Hit Rate: ${pct(c.hitRate, 0)} ${mark(checks.cacheHitRate)} (target: >80%)`));
    out.push(line(`  Total Hits: ${int(c.hits)}`));
    out.push(line(`  Total Misses: ${int(c.misses)}   Bypasses: ${int(c.bypasses)}   Errors: ${int(c.errors)}`));
    out.push(line(`  Avg Hit: ${ms(c.avgHitMillis)}   Avg Miss: ${ms(c.avgMissMillis)}`));
    out.push(line(`  Cache Size: ${int(c.entries)} entries`));
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
    const slow = promSum(d.metricsText, 'querylens_db_slow_queries_total');
    const n1 = promSum(d.metricsText, 'querylens_db_n_plus_one_total');
    const ops = promSum(d.metricsText, 'querylens_db_operation_duration_seconds_count');
    out.push(line(`  querylens_db_operation_duration_seconds_count: ${int(ops)}`));
    out.push(line(`  querylens_db_slow_queries_total: ${int(slow)}`));
    out.push(line(`  querylens_db_n_plus_one_total: ${int(n1)}`));
  } else {
    out.push(line('  /metrics not reachable (OTEL_METRICS_EXPORTER not prometheus?)'));
  }
  out.push(bottom);

  const alerts = [];
  for (const reason of h.reasons ?? []) alerts.push(`[red] ${reason}`);
  for (const a of (r?.alerts ?? []).slice(-5)) {
    alerts.push(`[${a.severity === 'critical' ? 'red' : 'yellow'}] ${a.severity === 'critical' ? 'Critical' : 'Warning'}: ${a.message}${a.timestamp ? `\n   Time: ${a.timestamp}` : ''}`);
  }
  for (const t of d.trends?.trends ?? []) {
    if (t.trend !== 'stable') alerts.push(`[${t.trend === 'improving' ? 'green' : 'yellow'}] Trend: ${t.metric} ${t.trend} (${t.changePercent > 0 ? '+' : ''}${t.changePercent}% over ${t.samples} samples)`);
  }
  if (alerts.length) out.push('', 'Alerts', ...alerts);
  return out.join('\n');
}

module.exports = { renderDashboard, promSum, width };
