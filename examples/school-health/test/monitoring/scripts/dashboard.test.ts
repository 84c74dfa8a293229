import { expect } from 'chai';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderDashboard, promSum, groupDetections, width } = require('../../../scripts/lib/dashboard') as {
  renderDashboard: (d: Record<string, unknown>) => string;
  promSum: (text: string, pattern: RegExp) => { name: string; value: number } | undefined;
  groupDetections: (d: unknown[]) => { statement: string; detections: number; queries: number; maxCount: number }[];
  width: (s: string) => number;
};

const det = (fingerprint: string, count: number) => ({
  fingerprint, statement: `SELECT "id" FROM "users" WHERE "id" = ? /* ${fingerprint} */`, summary: 'SELECT users', parentSpanName: 'GET /demo',
  count, totalDurationMillis: count * 2, firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-01T00:00:01Z',
});

const pass = { status: 'pass' };
const fail = { status: 'fail' };
function data(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    performance: { uptime: 3725, requests: { total: 1234, perSecond: 45.2, avgDuration: 98, errorRate: 0.005 } },
    queries: {
      slowQueries: [
        { fingerprint: 'f1', statement: 'SELECT pg_sleep(?)\n        FROM t', summary: 'SELECT', count: 4, slowCount: 3, maxMillis: 1450 },
        { fingerprint: 'f2', statement: 'SELECT 2', summary: 'SELECT', count: 9, slowCount: 1, maxMillis: 1020 },
      ],
      report: {
        totalQueries: 400, slowQueries: 3, avgQueryTime: 20, p50QueryTime: 52, p95QueryTime: 185, p99QueryTime: 1420,
        n1Detections: [det('a', 20), det('a', 18), det('b', 6)],
        alerts: [
          { severity: 'critical', message: 'N+1 query pattern detected', timestamp: 't1' },
          { severity: 'critical', message: 'N+1 query pattern detected', timestamp: 't2' },
          { severity: 'warning', message: 'P99 query time exceeds 1000ms target', timestamp: 't3' },
        ],
      },
    },
    health: {
      status: 'degraded', reasons: ['P99 query time 1420ms exceeds target < 1000ms'],
      checks: { p50QueryTime: pass, p95QueryTime: pass, p99QueryTime: fail, nPlusOne: fail, cacheHitRate: pass, poolUtilization: pass },
    },
    cache: { enabled: true, hits: 4521, misses: 678, bypasses: 0, errors: 0, hitRate: 0.87, avgHitMillis: 0.4, avgMissMillis: 12, entries: 845 },
    pool: { current: { active: 8, idle: 12, waiting: 0, max: 20, utilizationPercent: 40 } },
    poolPeak: { utilizationPercent: 75, waiting: 2 },
    endpoints: [{ method: 'GET', endpoint: '/students/:id', count: 900, p95Duration: 30 }],
    memory: [{ heapUsed: 512 * 1048576, heapLimit: 768 * 1048576, utilizationPercent: 66.7, rss: 890 * 1048576, external: 42 * 1048576 }],
    trends: { trends: [{ metric: 'cacheHitRate', trend: 'improving', changePercent: 12, samples: 10 }, { metric: 'heapUsed', trend: 'stable', changePercent: 1, samples: 10 }] },
    metricsText: [
      '# TYPE querylens_db_n_plus_one_total counter',
      'querylens_db_n_plus_one_total{a="1"} 2',
      'querylens_db_n_plus_one_total{a="2"} 1',
      '# TYPE querylens_db_operation_duration histogram',
      'querylens_db_operation_duration_count{x="y"} 400',
    ].join('\n'),
    ...overrides,
  };
}

describe('dashboard (scripts/lib/dashboard.js)', () => {
  describe('#renderDashboard', () => {
    it('draws a closed box whose lines all have the same display width', () => {
      const out = renderDashboard(data());
      const box = out.slice(0, out.indexOf('┘') + 1).split('\n');
      expect(box[0].startsWith('┌')).to.equal(true);
      const widths = new Set(box.map((l) => width(l)));
      expect([...widths]).to.deep.equal([63]);
    });

    it('shows the seed section-12 figures with target marks', () => {
      const out = renderDashboard(data());
      expect(out).to.contain('DEGRADED');
      expect(out).to.contain('Uptime: 1h 2m 5s');
      expect(out).to.match(/P50: 52ms ✅ \(target: <100ms\)/);
      expect(out).to.match(/P99: 1420ms ❌ \(target: <1000ms\)/);
      expect(out).to.match(/Slow Queries: 3 \(0\.8%\)/);
      expect(out).to.contain('Slowest: SELECT pg_sleep(?) FROM t');
      expect(out).to.contain('max 1450ms, 3 slow of 4 runs');
      expect(out).to.match(/Hit Rate: 87% ✅/);
      expect(out).to.contain('Total Hits: 4,521');
      expect(out).to.contain('Cache Size: 845 entries');
      expect(out).to.contain('Active: 8/20');
      expect(out).to.contain('Peak during load: 75% (waiting max 2)');
      expect(out).to.contain('Requests/sec: 45.2');
      expect(out).to.contain('Error Rate: 0.5% (5xx)');
      expect(out).to.contain('Heap Used: 512 MB / 768 MB (67%)');
      expect(out).to.contain('querylens_db_n_plus_one_total: 3');
      expect(out).to.contain('querylens_db_operation_duration_count: 400');
    });

    it('groups N+1 detections by fingerprint and lists each distinct alert once', () => {
      const out = renderDashboard(data());
      expect(out).to.match(/N\+1 Detections: 3 ❌ \(2 patterns\)/);
      expect(out).to.contain('Occurrences: 2 requests, up to 20 queries each');
      expect(out.match(/Critical: N\+1 query pattern detected/g)).to.have.length(1);
      expect(out).to.contain('(raised 2 times)');
      expect(out).to.contain('[green] Trend: cacheHitRate improving (+12%');
      expect(out).not.to.contain('heapUsed stable');
    });

    it('says what is missing instead of failing', () => {
      const out = renderDashboard(data({ queries: { report: null }, cache: { enabled: false }, pool: { current: null }, metricsText: undefined, health: {} }));
      expect(out).to.contain('No querylens report');
      expect(out).to.contain('No query cache configured');
      expect(out).to.contain('Pool status unavailable');
      expect(out).to.contain('/metrics not reachable');
      const box = out.slice(0, out.indexOf('┘') + 1).split('\n');
      expect([...new Set(box.map((l) => width(l)))]).to.deep.equal([63]);
    });

    it('shows n/a for the entry count of a Redis store', () => {
      const out = renderDashboard(data({ cache: { enabled: true, hits: 1, misses: 1, bypasses: 0, errors: 0, hitRate: 0.5, avgHitMillis: 1, avgMissMillis: 1, entries: -1 } }));
      expect(out).to.contain('Cache Size: n/a (Redis store)');
    });
  });

  describe('#groupDetections', () => {
    it('sums per fingerprint, most frequent first', () => {
      const g = groupDetections([det('b', 6), det('a', 20), det('a', 18)]);
      expect(g.map((x) => [x.detections, x.queries, x.maxCount])).to.deep.equal([[2, 38, 20], [1, 6, 6]]);
    });
  });

  describe('#promSum', () => {
    it('sums every label set of the first matching family, ignoring comments', () => {
      const text = '# HELP x_total\nx_total{a="1"} 2\nx_total{a="2"} 3.5\ny_total 7\n';
      expect(promSum(text, /^x(_total)?$/)).to.deep.equal({ name: 'x_total', value: 5.5 });
      expect(promSum(text, /^z$/)).to.equal(undefined);
    });
  });
});
