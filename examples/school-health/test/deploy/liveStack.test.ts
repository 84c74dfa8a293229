import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { DEPLOY_DB, deployDatabaseUrl, ensureDeployDatabase } from './support/deployDatabase';
import { deployFile, findExecutable, makeTempDir, run } from './support/deployPaths';
import { freePort, get, type Running, sleep, startProcess, stopProcess, waitFor } from './support/liveProcess';
import { alertExpressions, dashboardExpressions, missingFromScrape, usedSelectors } from './support/metricsContract';
import { parseExposition } from './support/promql';

// The deployment's rules and dashboard against REAL processes: an app started with
// `node --require @querylens/node/register`, scraped by a real Prometheus (Debian
// package) at a 1 s interval on loopback, evaluating deploy/prometheus/alerts.yml.

const EXAMPLE_DIR = path.resolve(__dirname, '..', '..');
/** A made-up patient name sent in query strings; it must never reach a metric. */
const CANARY = 'Zebulon Canarysmith';
const CANARY_QS = encodeURIComponent(CANARY);

/** An app under the register: how to start it and what traffic exercises every metric it can emit. */
interface LiveTarget {
  title: string;
  /** Built files the target needs (relative to examples/school-health); `pnpm build` makes them. */
  needs: string[];
  start(env: NodeJS.ProcessEnv): Promise<Running>;
  /** One round of requests touching every metric the target can emit. */
  traffic(baseUrl: string, token: string): Promise<void>;
  /** Metric names this target cannot produce, with the reason. */
  cannotProduce: Record<string, string>;
  /** Dashboard panels expected to show a number once traffic ran. */
  panelsWithData: string[];
}

const workloadScript: LiveTarget = {
  title: 'a pg workload script under the register',
  needs: ['../../packages/node/dist/register.js'],
  start: async (env) =>
    startProcess(process.execPath, ['--require', '@querylens/node/register', path.join(__dirname, 'support', 'workloadApp.js')], { cwd: EXAMPLE_DIR, env }),
  traffic: async (baseUrl) => {
    for (const p of ['/', '/', '/n-plus-one', '/slow', '/error', `/search?name=${CANARY_QS}`, '/']) await get(`${baseUrl}${p}`);
  },
  cannotProduce: {
    querylens_cache_requests_total: 'needs the @querylens/sequelize query cache of the app',
    querylens_cache_entries: 'needs the @querylens/sequelize query cache of the app',
  },
  panelsWithData: ['Queries/s', 'P50', 'P99', 'Slow queries', 'N+1 detections', 'Utilization', 'Max', 'Requests/s', 'Avg duration', 'Error rate', 'Heap used', 'RSS', 'Event loop delay p99', 'Spans dropped'],
};

const schoolHealthApp: LiveTarget = {
  title: 'the school-health app (dist/main.js)',
  needs: ['../../packages/node/dist/register.js', 'dist/main.js', 'dist/seed.js'],
  start: async (env) => {
    const seed = run(process.execPath, [path.join('dist', 'seed.js'), '--students', '300', '--nurses', '6', '--schools', '2'], EXAMPLE_DIR, env);
    if (seed.status !== 0) throw new Error(`seeding ${DEPLOY_DB} failed:\n${seed.output}`);
    return startProcess(process.execPath, ['--require', '@querylens/node/register', path.join('dist', 'main.js')], { cwd: EXAMPLE_DIR, env });
  },
  traffic: async (baseUrl, token) => {
    const list = await get(`${baseUrl}/students?page=1&limit=20`);
    const ids: string[] = [];
    try {
      const body = JSON.parse(list.body);
      for (const s of body.data ?? body.items ?? body.rows ?? body) if (s?.id !== undefined) ids.push(String(s.id));
    } catch {
      // the name check below reports what is missing
    }
    const nurses = await get(`${baseUrl}/nurses`);
    let nurseId = '';
    try {
      const body = JSON.parse(nurses.body);
      nurseId = String((body.data ?? body.items ?? body)[0]?.id ?? '');
    } catch {
      // calendar request below then answers 400, which still counts as traffic
    }
    const day = new Date().toISOString().slice(0, 10);
    const paths = [
      '/students?page=1&limit=20',
      '/students?page=1&limit=20',
      ...ids.slice(0, 3).flatMap((id) => [`/students/${id}`, `/students/${id}`]),
      `/appointments/calendar?date=${day}&nurseId=${nurseId}`,
      '/emergency-contacts/statistics',
      '/emergency-contacts/statistics',
      '/medications',
      '/medications',
      '/students/graduating',
      '/demo/n-plus-one/students-with-nurses',
      '/demo/eager/students-with-nurses',
      '/demo/slow-report',
      '/students/not-a-student-id',
      `/students?search=${CANARY_QS}&page=1&limit=20`,
      `/students/${CANARY_QS}`,
    ];
    for (const p of paths) await get(`${baseUrl}${p}`);
    await get(`${baseUrl}/monitoring/health`, { authorization: `Bearer ${token}` });
  },
  cannotProduce: {
    // Runs on Redis like docker-compose.yml; the dashboard panel says "n/a (Redis)".
    querylens_cache_entries: 'RedisStore reports no entry count (in-process stores only)',
  },
  panelsWithData: ['Queries/s', 'P50', 'P99', 'Slow queries', 'N+1 detections', 'Hit rate', 'Total hits', 'Total misses', 'Utilization', 'Max', 'Requests/s', 'Avg duration', 'Error rate', 'Heap used', 'RSS', 'Event loop delay p99', 'Spans dropped'],
};

/** Deletes the keys this run wrote under its own prefix (never FLUSHDB: Redis is shared). */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis down: nothing of ours to delete
  } finally {
    redis.disconnect();
  }
}

function describeLiveStack(target: LiveTarget): void {
  describe(`deploy against ${target.title}`, function () {
    this.timeout(180_000);
    const prometheusBin = findExecutable('prometheus');
    const token = randomBytes(24).toString('hex');
    let app: Running | undefined;
    let prom: Running | undefined;
    let tmp: string | undefined;
    let baseUrl = '';
    let metricsUrl = '';
    let promUrl = '';
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const redisPrefix = `ql-deploy-test:${process.pid}:`;

    async function query(expr: string): Promise<any> {
      const r = await get(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return JSON.parse(r.body || '{}');
    }

    before(async function () {
      if (!prometheusBin) this.skip(); // the Debian package `prometheus` is not installed
      const missing = target.needs.filter((f) => !fs.existsSync(path.join(EXAMPLE_DIR, f)));
      if (missing.length) throw new Error(`not built: ${missing.join(', ')}; run \`pnpm build\` first`);
      await ensureDeployDatabase();
      const [port, metricsPort, promPort] = [await freePort(), await freePort(), await freePort()];
      baseUrl = `http://127.0.0.1:${port}`;
      metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
      promUrl = `http://127.0.0.1:${promPort}`;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: deployDatabaseUrl(),
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: redisPrefix,
        PORT: String(port),
        MONITORING_TOKEN: token,
        CACHE_KEY_SECRET: randomBytes(32).toString('hex'),
        OTEL_SERVICE_NAME: 'school-health',
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        QUERYLENS_SLOW_QUERY_MS: '100',
      };
      app = await target.start(env);
      await waitFor('app answers HTTP', async () => ((await get(`${baseUrl}/`)).status > 0 ? true : undefined), 90_000, app);
      await waitFor('/metrics answers', async () => ((await get(metricsUrl)).status === 200 ? true : undefined), 30_000, app);

      tmp = makeTempDir('promlive');
      fs.copyFileSync(deployFile('prometheus', 'alerts.yml'), path.join(tmp, 'alerts.yml'));
      fs.writeFileSync(
        path.join(tmp, 'prometheus.yml'),
        [
          'global: { scrape_interval: 1s, evaluation_interval: 1s }',
          'rule_files: [alerts.yml]',
          'scrape_configs:',
          '  - job_name: school-health',
          `    static_configs: [{ targets: ["127.0.0.1:${metricsPort}"] }]`,
          '',
        ].join('\n'),
      );
      prom = startProcess(
        prometheusBin!,
        [`--config.file=${path.join(tmp, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(tmp, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
        { cwd: tmp, env: process.env },
      );
      await waitFor('Prometheus scrapes the app', async () => {
        const r = await query('up{job="school-health"} == 1').catch(() => ({}));
        return r?.data?.result?.length === 1 ? true : undefined;
      }, 60_000, prom);
      // Traffic AFTER the first scrape, so rate() sees the counters grow.
      await target.traffic(baseUrl, token);
      await sleep(2500);
      await target.traffic(baseUrl, token);
    });

    after(async () => {
      await stopProcess(prom);
      await stopProcess(app, 15_000);
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
      await deleteRedisKeys(redisUrl, redisPrefix);
    });

    it('exposes on /metrics every metric and label that alerts.yml and the dashboard use', async () => {
      const ignore = new Set(Object.keys(target.cannotProduce));
      const selectors = usedSelectors();
      expect(selectors.length).to.be.greaterThan(20);
      // Counters appear after their first increment and observable ones at collection: poll briefly.
      let problems: string[] = [];
      await waitFor('every used metric on /metrics', async () => {
        problems = missingFromScrape(parseExposition((await get(metricsUrl)).body), selectors, ignore);
        return problems.length === 0 ? true : undefined;
      }, 20_000).catch(() => undefined);
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });

    it('answers histogram_quantile(0.99, ...) over querylens_db_operation_duration_bucket with a number', async () => {
      const expr = 'histogram_quantile(0.99, sum(rate(querylens_db_operation_duration_bucket[1m])) by (le))';
      const value = await waitFor('a p99 from Prometheus', async () => {
        const r = await query(expr);
        const v = Number(r?.data?.result?.[0]?.value?.[1]);
        return Number.isFinite(v) ? v : undefined;
      }, 30_000, prom);
      expect(value).to.be.greaterThan(0);
      expect(value).to.be.lessThan(10);
    });

    it('evaluates every dashboard query without error, and the key panels show a number', async () => {
      const failures: string[] = [];
      const empty: string[] = [];
      for (const [where, expr] of dashboardExpressions()) {
        const r = await query(expr.replace(/\$__rate_interval/g, '1m').replace(/\$__range/g, '5m'));
        if (r.status !== 'success') failures.push(`${where}: ${r.error ?? 'no answer'}`);
        const title = where.split('/')[0];
        const v = Number(r?.data?.result?.[0]?.value?.[1]);
        if (target.panelsWithData.includes(title) && !Number.isFinite(v)) empty.push(`${where}: ${expr}`);
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
      expect(empty, `panels without data:\n${empty.join('\n')}`).to.deep.equal([]);
    });

    it('evaluates every alert rule on the real series without error', async () => {
      const rules = await waitFor('every rule evaluated', async () => {
        const r = JSON.parse((await get(`${promUrl}/api/v1/rules?type=alert`)).body || '{}');
        const all = (r?.data?.groups ?? []).flatMap((g: any) => g.rules);
        return all.length > 0 && all.every((x: any) => x.health !== 'unknown') ? all : undefined;
      }, 30_000, prom);
      expect(rules.map((r: any) => r.name).sort()).to.deep.equal([...alertExpressions().keys()].sort());
      const broken = rules.filter((r: any) => r.health !== 'ok').map((r: any) => `${r.name}: ${r.lastError}`);
      expect(broken, broken.join('\n')).to.deep.equal([]);
    });

    it('leaks no PHI canary from query strings or SQL into /metrics or the series Prometheus stored', async () => {
      const metrics = (await get(metricsUrl)).body;
      expect(metrics.length).to.be.greaterThan(1000);
      expect(metrics).to.not.include('Canarysmith');
      const series = await get(`${promUrl}/api/v1/series?match[]=${encodeURIComponent('{job="school-health"}')}`);
      expect(series.status).to.equal(200);
      expect(JSON.parse(series.body).data.length).to.be.greaterThan(20);
      expect(series.body).to.not.include('Canarysmith');
    });

    it('fires NPlusOneQueryDetected from the real N+1 requests', async () => {
      const firing = await waitFor('NPlusOneQueryDetected firing', async () => {
        const r = await query('ALERTS{alertname="NPlusOneQueryDetected", alertstate="firing"}');
        return r?.data?.result?.length ? r.data.result : undefined;
      }, 30_000, prom);
      expect(firing[0].metric.job).to.equal('school-health');
      expect(firing[0].metric.severity).to.equal('critical');
    });
  });
}

describeLiveStack(workloadScript);
describeLiveStack(schoolHealthApp);
