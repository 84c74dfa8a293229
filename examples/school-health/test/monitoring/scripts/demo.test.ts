import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';

/**
 * `pnpm demo` end to end, as a fresh machine runs it: no DATABASE_URL or REDIS_URL
 * (embedded PGlite, memory cache), a small seed and a short load phase.
 */
describe('pnpm demo (scripts/demo.js)', function () {
  this.timeout(150_000);
  let output = '';
  let code: number | null = null;

  before(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DEMO_STUDENTS: '300', DEMO_LOAD_SECONDS: '2' };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    delete env.MONITORING_TOKEN;
    // The test process runs under the register with exporters off; a fresh shell has none of these.
    for (const k of Object.keys(env)) if (k.startsWith('OTEL_') || k.startsWith('QUERYLENS_')) delete env[k];
    const child = spawn(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'demo.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    code = await new Promise((resolve) => child.on('exit', resolve));
  });

  it('exits 0 after the whole run', () => {
    expect(code, output.slice(-3000)).to.equal(0);
    expect(output).to.contain('Embedded PostgreSQL ready');
    expect(output).to.match(/seeded students\s+300 rows/);
    expect(output).to.contain('Demo finished in');
  });

  it('prints the dashboard with measured query percentiles, the N+1 detection and the slow report', () => {
    expect(output).to.contain('White Cross Performance Dashboard');
    expect(output).to.match(/P50: [\d.]+ms/);
    expect(output).to.match(/P99: [\d.]+ms/);
    const n1 = /N\+1 Detections: (\d+)/.exec(output);
    expect(Number(n1?.[1])).to.be.at.least(1);
    const slow = /Slow Queries: (\d+)/.exec(output);
    expect(Number(slow?.[1])).to.be.at.least(1);
    const total = /Total: ([\d,]+)/.exec(output);
    expect(Number(total?.[1].replace(/,/g, ''))).to.be.above(10);
    expect(output, output.slice(output.indexOf('Prometheus /metrics'))).to.match(/querylens_db_n_plus_one_total: [1-9]/);
  });

  it('prints no SSN-shaped value and no connection secret', () => {
    expect(output).not.to.match(/\b\d{3}-\d{2}-\d{4}\b/);
    expect(output).not.to.match(/Bearer [0-9a-f]{16,}/);
  });
});
