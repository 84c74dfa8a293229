import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deployFile, findExecutable, loadYaml, makeTempDir, run } from './support/deployPaths';

const PROM_DIR = deployFile('prometheus');

/**
 * Copies deploy/prometheus to a temp folder, applies `edit` to one file and returns
 * the folder. Throws when the edit changes nothing, so a mutation that no longer
 * matches the rules cannot make a test pass by accident.
 */
function mutatedCopy(file: string, edit: (text: string) => string): string {
  const dir = makeTempDir('prom');
  for (const f of fs.readdirSync(PROM_DIR)) fs.copyFileSync(path.join(PROM_DIR, f), path.join(dir, f));
  const before = fs.readFileSync(path.join(dir, file), 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`mutation of ${file} matched nothing`);
  fs.writeFileSync(path.join(dir, file), after);
  return dir;
}

/** Replaces exactly one occurrence of `from` (a string) in the text. */
function replaceOnce(from: string, to: string): (text: string) => string {
  return (text) => {
    const first = text.indexOf(from);
    if (first < 0 || text.indexOf(from, first + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)}`);
    return text.replace(from, to);
  };
}

describe('deploy/prometheus', function () {
  const promtool = findExecutable('promtool');
  const temps: string[] = [];

  before(function () {
    if (!promtool) this.skip(); // promtool (Debian package `prometheus`) is not installed
  });

  after(() => {
    for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
  });

  describe('prometheus.yml', () => {
    it('passes promtool check config (with its rule file)', () => {
      const r = run(promtool!, ['check', 'config', 'prometheus.yml'], PROM_DIR);
      expect(r.status, r.output).to.equal(0);
      expect(r.output).to.match(/SUCCESS: 1 rule files found/);
    });

    it('fails promtool check config when broken', () => {
      const dir = mutatedCopy('prometheus.yml', replaceOnce('scrape_interval: 15s', 'scrape_interval: 15 seconds'));
      temps.push(dir);
      const r = run(promtool!, ['check', 'config', 'prometheus.yml'], dir);
      expect(r.status, r.output).to.not.equal(0);
    });

    it('scrapes the app on :9464/metrics as job school-health (the job the rules select)', () => {
      const cfg = loadYaml(path.join(PROM_DIR, 'prometheus.yml'));
      const job = cfg.scrape_configs.find((s: any) => s.job_name === 'school-health');
      expect(job, 'job school-health').to.not.equal(undefined);
      expect(job.metrics_path ?? '/metrics').to.equal('/metrics');
      expect(job.static_configs[0].targets).to.deep.equal(['app:9464']);
      const jobs = cfg.scrape_configs.map((s: any) => s.job_name);
      expect(jobs).to.include.members(['otel-collector', 'otel-collector-exported']);
    });
  });

  describe('alerts.yml', () => {
    it('passes promtool check rules', () => {
      const r = run(promtool!, ['check', 'rules', 'alerts.yml'], PROM_DIR);
      expect(r.status, r.output).to.equal(0);
      expect(r.output).to.match(/SUCCESS: \d+ rules found/);
    });

    it('fails promtool check rules when a rule does not parse', () => {
      const dir = mutatedCopy('alerts.yml', replaceOnce('sum by (job) (increase(querylens_db_n_plus_one_total', 'sum by (job) (increase((querylens_db_n_plus_one_total'));
      temps.push(dir);
      const r = run(promtool!, ['check', 'rules', 'alerts.yml'], dir);
      expect(r.status, r.output).to.not.equal(0);
    });

    it('has an alert for each seed target, with severities from the seed', () => {
      const rules = loadYaml(path.join(PROM_DIR, 'alerts.yml')).groups.flatMap((g: any) => g.rules);
      const severity = Object.fromEntries(rules.map((r: any) => [r.alert, r.labels?.severity]));
      expect(severity).to.deep.include({
        QueryLatencyP50AboveTarget: 'warning',
        QueryLatencyP95AboveTarget: 'warning',
        QueryLatencyP99AboveTarget: 'critical',
        NPlusOneQueryDetected: 'critical',
        CacheHitRateBelowTarget: 'warning',
        ConnectionPoolUtilizationHigh: 'warning',
      });
    });
  });

  describe('alerts.test.yml', () => {
    it('passes promtool test rules', () => {
      const r = run(promtool!, ['test', 'rules', 'alerts.test.yml'], PROM_DIR);
      expect(r.status, r.output).to.equal(0);
      expect(r.output).to.match(/SUCCESS/);
    });

    it('tests every alert in alerts.yml, firing and not firing', () => {
      const alerts: string[] = loadYaml(path.join(PROM_DIR, 'alerts.yml'))
        .groups.flatMap((g: any) => g.rules)
        .map((r: any) => r.alert)
        .filter(Boolean);
      const cases = loadYaml(path.join(PROM_DIR, 'alerts.test.yml')).tests.flatMap((t: any) => t.alert_rule_test);
      for (const alert of alerts) {
        const mine = cases.filter((c: any) => c.alertname === alert);
        expect(mine.some((c: any) => c.exp_alerts.length > 0), `${alert} has a firing case`).to.equal(true);
        expect(mine.some((c: any) => c.exp_alerts.length === 0), `${alert} has a quiet case`).to.equal(true);
      }
      expect(alerts.length).to.be.greaterThanOrEqual(7);
    });

    // Each mutation weakens or breaks one alert the way a careless edit would; the
    // unit tests must notice every one of them.
    const mutations: Array<[string, (text: string) => string]> = [
      ['P50 threshold raised to 200ms', replaceOnce('[5m]))) > 0.1\n', '[5m]))) > 0.2\n')],
      ['P95 threshold raised to 800ms', replaceOnce('[5m]))) > 0.5\n', '[5m]))) > 0.8\n')],
      ['P99 threshold raised to 2.5s', replaceOnce('[5m]))) > 1\n', '[5m]))) > 2.5\n')],
      ['P99 computed as a median', replaceOnce('histogram_quantile(0.99,', 'histogram_quantile(0.5,')],
      ['N+1 rule blind to a counter that just appeared', (t) => t.replace(/\n\s+or\n\s+sum by \(job\) \(querylens_db_n_plus_one_total unless[^\n]*/, '')],
      ['cache rule counting bypassed lookups', (t) => t.split('querylens_cache_result=~"hit|miss"').join('querylens_cache_result=~".+"')],
      ['cache rule silent when the hit series is missing', replaceOnce(' or (sum by (job) (rate(querylens_cache_requests_total[10m])) * 0)', '')],
      ['cache rule without its minimum-traffic guard', (t) => t.replace(/\n\s+and\n\s+sum by \(job\) \(rate\(querylens_cache_requests_total[^\n]*> 0\.1/, '')],
      ['pool rule counting idle connections as used', replaceOnce('db_client_connection_count{db_client_connection_state="used"}', 'db_client_connection_count')],
      ['pool threshold raised to 95%', replaceOnce('(db_client_connection_max)\n          ) > 0.8', '(db_client_connection_max)\n          ) > 0.95')],
      ['span-drop rule tolerating 1000 drops', replaceOnce('(increase(querylens_spans_dropped_total[10m])) > 0', '(increase(querylens_spans_dropped_total[10m])) > 1000')],
      ['target-down rule on the wrong job', replaceOnce('up{job="school-health"}', 'up{job="schoolhealth"}')],
    ];
    for (const [name, edit] of mutations) {
      it(`fails when the rules are broken: ${name}`, () => {
        const dir = mutatedCopy('alerts.yml', edit);
        temps.push(dir);
        expect(run(promtool!, ['check', 'rules', 'alerts.yml'], dir).status, 'mutant still parses').to.equal(0);
        const r = run(promtool!, ['test', 'rules', 'alerts.test.yml'], dir);
        expect(r.status, r.output).to.not.equal(0);
        expect(r.output).to.match(/FAILED/);
      });
    }
  });
});
