import { expect } from 'chai';
import * as path from 'node:path';
import { blockKind, blockName, spanBlocks } from './helpers/console';
import { cleanEnv, FIXTURES, freePort, get, REGISTER_CJS, spawnChild } from './helpers/child';
import { prepareDatabase, TEST_DB_URL } from './helpers/db';
import { report } from '../src/start';

const CANARY_NAME = 'Zelda Quixotebury';
const CANARY_SSN = '987-65-4329';
const CANARY_QUERY = 'Xanthippe Wolfensteinova';
const CANARY_PARTS = ['Quixotebury', '987-65-4329', '987654329', 'Wolfensteinova', 'Xanthippe'];

/** The test server (fixtures/server.js) under the register, on the real PostgreSQL, /metrics on `promPort`. */
function serverUnderRegister(promPort: number, extra: Record<string, string>) {
  return spawnChild(
    ['--require', REGISTER_CJS, path.join(FIXTURES, 'server.js')],
    cleanEnv({
      QL_TEST_DB_URL: TEST_DB_URL,
      QL_CANARY_NAME: CANARY_NAME,
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort),
      ...extra,
    }),
  );
}

describe('start', function () {
  this.timeout(40_000);

  describe('#report', () => {
    it('returns a valid empty report when nothing was started', () => {
      const r = report();
      expect(r.totalQueries).to.equal(0);
      expect(r.n1Detections).to.deep.equal([]);
      expect(r.alerts).to.deep.equal([]);
      expect(r.topQueries).to.deep.equal([]);
      expect(r.queryDistribution).to.include.keys('fast', 'medium', 'slow', 'verySlow');
    });
  });

  describe('end to end (HTTP server + PostgreSQL under the register, console exporter)', () => {
    let stdout = '';
    let stderr = '';
    let metrics = '';
    let liveReport: Record<string, unknown> = {};
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };

    before(async () => {
      await prepareDatabase();
      const promPort = await freePort();
      const child = serverUnderRegister(promPort, {
        QL_CANARY_SSN: CANARY_SSN,
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_SERVICE_NAME: 'ql-node-e2e',
        QUERYLENS_SLOW_QUERY_MS: '100',
      });
      const [, port] = await child.waitFor(/LISTENING (\d+)/);
      const base = `http://127.0.0.1:${port}`;
      expect((await get(`${base}/n1`)).status).to.equal(200);
      expect((await get(`${base}/slow`)).status).to.equal(200);
      expect((await get(`${base}/dup`)).status).to.equal(409);
      expect((await get(`${base}/search?name=${encodeURIComponent(CANARY_QUERY)}&ssn=${CANARY_SSN}`)).status).to.equal(200);
      expect((await get(`${base}/health`)).status).to.equal(200);
      liveReport = JSON.parse((await get(`${base}/report`)).body);
      metrics = (await get(`http://127.0.0.1:${promPort}/metrics`)).body;
      child.proc.kill('SIGTERM');
      exit = await child.exited;
      stdout = child.stdout();
      stderr = child.stderr();
    });

    it('puts the querylens.n_plus_one event on the request span of the N+1 loop', () => {
      const server = spanBlocks(stdout).filter((b) => blockKind(b) === 1 && b.includes("'url.path': '/n1'"));
      expect(server, 'the /n1 server span').to.have.length(1);
      expect(server[0]).to.contain("name: 'querylens.n_plus_one'");
    });

    it('marks the pg_sleep over QUERYLENS_SLOW_QUERY_MS with querylens.slow_query', () => {
      const slow = spanBlocks(stdout).filter((b) => (blockName(b) ?? '').startsWith('pg.query:') && b.includes('pg_sleep'));
      expect(slow).to.have.length(1);
      expect(slow[0]).to.contain("name: 'querylens.slow_query'");
      const fast = spanBlocks(stdout).filter((b) => b.includes('SELECT id, name FROM ql_patients'));
      expect(fast.length).to.be.at.least(6);
      for (const b of fast) expect(b).not.to.contain("name: 'querylens.slow_query'");
    });

    it('serves the querylens counters and runtime gauges on /metrics', () => {
      expect(metrics).to.match(/^querylens_db_slow_queries_total(\{[^}]*\})? [1-9]/m);
      expect(metrics).to.match(/^querylens_db_n_plus_one_total(\{[^}]*\})? [1-9]/m);
      // the Prometheus exporter (0.301) adds `_total` to counters but no unit suffix
      expect(metrics).to.match(/^querylens_runtime_memory\{[^}]*type="heap_used"[^}]*\} [1-9]\d*/m);
      expect(metrics).to.match(/^querylens_runtime_event_loop_delay\{[^}]*quantile="0.99"[^}]*\} \d/m);
      expect(metrics).to.match(/^querylens_spans_dropped_total(\{[^}]*\})? 0/m);
    });

    it('serves the query duration histogram with one count per query of the report', () => {
      const counts = [...metrics.matchAll(/^querylens_db_operation_duration_count\{([^}]*)\} (\d+)/gm)];
      expect(counts.length, metrics).to.be.at.least(1);
      for (const [, labels] of counts) {
        expect(labels).to.contain('db_system_name="postgresql"').and.contain('otel_scope_name="@querylens/core"');
        expect(labels).not.to.match(/fingerprint|query_text|statement/);
      }
      expect(counts.reduce((n, m) => n + Number(m[2]), 0)).to.equal(liveReport.totalQueries);
      expect(metrics).to.match(/^querylens_db_operation_duration_bucket\{[^}]*le="\+Inf"\} [1-9]/m);
      expect(metrics).to.contain('# TYPE querylens_db_operation_duration histogram');
    });

    it('returns the live report in-process through report()', () => {
      expect(liveReport.totalQueries as number).to.be.at.least(9);
      expect(liveReport.slowQueries as number).to.be.at.least(1);
      expect((liveReport.n1Detections as unknown[]).length).to.be.at.least(1);
    });

    it('does not trace the health endpoint', () => {
      expect(spanBlocks(stdout).filter((b) => b.includes("'url.path': '/health'"))).to.have.length(0);
      expect(spanBlocks(stdout).filter((b) => b.includes("'url.path': '/search'"))).to.have.length(1);
    });

    it('lets no canary PHI out: literals, unique-violation detail, query string', () => {
      expect(stdout).to.contain('23505'); // the unique violation happened (error.type)
      for (const part of CANARY_PARTS) {
        expect(stdout, `stdout contains ${part}`).not.to.contain(part);
        expect(stderr, `stderr contains ${part}`).not.to.contain(part);
        expect(metrics, `/metrics contains ${part}`).not.to.contain(part);
      }
    });

    it('flushes and ends on SIGTERM like an untouched process', () => {
      expect(exit.signal).to.equal('SIGTERM');
    });
  });

  describe('instrumentation metrics (fast path, the default, against the SDK meter)', () => {
    /** The http and pg metric lines of /metrics after the same requests, with or without the fast path. */
    async function instrumentationMetrics(extra: Record<string, string>): Promise<{ lines: string[]; scopes: string[] }> {
      const promPort = await freePort();
      const child = serverUnderRegister(promPort, { OTEL_TRACES_EXPORTER: 'none', ...extra });
      try {
        const [, port] = await child.waitFor(/LISTENING (\d+)/);
        const base = `http://127.0.0.1:${port}`;
        for (let i = 0; i < 5; i++) expect((await get(`${base}/ping`)).status).to.equal(200);
        expect((await get(`${base}/n1`)).status).to.equal(200);
        expect((await get(`${base}/dup`)).status).to.equal(409);
        expect((await get(`${base}/nowhere`)).status).to.equal(404);
        expect((await get(`${base}/tabs`)).status).to.equal(200);
        const scopes = JSON.parse((await get(`${base}/fast-metric-scopes`)).body) as string[];
        const body = (await get(`http://127.0.0.1:${promPort}/metrics`)).body;
        return { lines: body.split('\n').filter((l) => /^(# (HELP|TYPE) )?(db_client|http_server)_/.test(l)), scopes };
      } finally {
        child.proc.kill('SIGKILL');
        await child.exited;
      }
    }

    /** Lines whose value is a count of events (not a duration sum, not a bucket of durations). */
    const countLines = (lines: string[]) => lines.filter((l) => l.startsWith('#') || /_count\{|_bucket\{[^}]*le="\+Inf"|^db_client_connection_(max|pending)/.test(l));
    const seriesOf = (lines: string[]) => lines.filter((l) => !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' '))).sort();

    let fast: string[] = [];
    let sdk: string[] = [];
    let fastScopes: string[] = [];
    let sdkScopes: string[] = [];
    before(async () => {
      await prepareDatabase();
      const viaFast = await instrumentationMetrics({});
      const viaSdk = await instrumentationMetrics({ QUERYLENS_FAST_INSTRUMENTATION_METRICS: 'false' });
      [fast, sdk, fastScopes, sdkScopes] = [viaFast.lines, viaSdk.lines, viaFast.scopes, viaSdk.scopes];
    });

    it('records http and pg through the fast path by default, through the SDK meter when turned off', () => {
      expect(fastScopes).to.deep.equal(['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-pg']);
      expect(sdkScopes).to.deep.equal([]);
    });

    it('serves the same series as the SDK meter: names, help, types, labels (scope included)', () => {
      expect(seriesOf(fast).length).to.be.greaterThan(20);
      expect(seriesOf(fast)).to.deep.equal(seriesOf(sdk));
      expect(fast.filter((l) => l.startsWith('#'))).to.deep.equal(sdk.filter((l) => l.startsWith('#')));
    });

    it('serves the same counts: one duration per query (the failed one under its error.type) and per request', () => {
      expect(countLines(fast)).to.deep.equal(countLines(sdk));
      const queries = [...fast.join('\n').matchAll(/^db_client_operation_duration_count\{([^}]*)\} (\d+)/gm)];
      // 5 x /ping, 7 in /n1, 2 inserts in /dup (the second one fails with 23505), 1 in /tabs
      expect(queries.reduce((n, m) => n + Number(m[2]), 0)).to.equal(15);
      expect(queries.some(([, labels]) => labels.includes('error_type="23505"'))).to.equal(true);
      const requests = [...fast.join('\n').matchAll(/^http_server_request_duration_count\{([^}]*)\} (\d+)/gm)];
      // 5 x /ping, /n1, /dup, /nowhere (404), /tabs and /fast-metric-scopes
      expect(requests.reduce((n, m) => n + Number(m[2]), 0)).to.equal(10);
      expect(requests.some(([, labels]) => labels.includes('http_response_status_code="404"'))).to.equal(true);
      expect(fast.join('\n')).to.match(/^db_client_connection_max\{[^}]*\} 4$/m);
    });

    it('keeps a literal out of db_operation_name when a statement has no space (both paths)', () => {
      for (const lines of [fast, sdk]) {
        const text = lines.join('\n');
        expect(text.toLowerCase()).not.to.contain('quixotebury');
        expect(text).to.match(/^db_client_operation_duration_count\{[^}]*db_operation_name="SELECT"[^}]*\} 1[0-9]$/m);
      }
    });
  });
});
