import { expect } from 'chai';
import * as http from 'node:http';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { deployDatabaseUrl, ensureDeployDatabase } from './support/deployDatabase';
import { deployFile, loadYaml } from './support/deployPaths';
import { freePort, get, type Running, startProcess, stopProcess, waitFor } from './support/liveProcess';

// The app's OTLP settings from docker-compose.yml, run for real: the register must POST
// protobuf traces to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces, the path the collector's
// OTLP/HTTP receiver serves. A loopback HTTP server stands in for the collector (no
// collector binary here) and also checks that no PHI canary is in what would leave the app.

const EXAMPLE_DIR = path.resolve(__dirname, '..', '..');
const CANARY = 'Zebulon Canarysmith';

interface Received {
  url: string;
  contentType: string;
  body: Buffer;
}

describe('deploy: OTLP export with the docker-compose settings', function () {
  this.timeout(120_000);
  const compose = loadYaml(deployFile('docker-compose.yml'));
  const appEnv: Record<string, string> = compose.services.app.environment;
  const received: Received[] = [];
  let receiver: http.Server | undefined;
  let app: Running | undefined;
  let baseUrl = '';

  before(async () => {
    await ensureDeployDatabase();
    const [receiverPort, port, metricsPort] = [await freePort(), await freePort(), await freePort()];
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
        received.push({ url: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' });
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(receiverPort, '127.0.0.1', resolve));

    const composeEndpoint = new URL(appEnv.OTEL_EXPORTER_OTLP_ENDPOINT);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: deployDatabaseUrl(),
      PORT: String(port),
      // Everything as in docker-compose.yml, except the collector's host (a loopback stand-in).
      OTEL_SERVICE_NAME: appEnv.OTEL_SERVICE_NAME,
      OTEL_TRACES_EXPORTER: appEnv.OTEL_TRACES_EXPORTER,
      OTEL_EXPORTER_OTLP_PROTOCOL: appEnv.OTEL_EXPORTER_OTLP_PROTOCOL,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiverPort}${composeEndpoint.pathname === '/' ? '' : composeEndpoint.pathname}`,
      OTEL_METRICS_EXPORTER: appEnv.OTEL_METRICS_EXPORTER,
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    app = startProcess(process.execPath, ['--require', '@querylens/node/register', path.join(__dirname, 'support', 'workloadApp.js')], { cwd: EXAMPLE_DIR, env });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitFor('workload app answers', async () => ((await get(`${baseUrl}/`)).status > 0 ? true : undefined), 60_000, app);
    for (const p of ['/', '/n-plus-one', '/slow', '/error', `/search?name=${encodeURIComponent(CANARY)}`]) await get(`${baseUrl}${p}`);
    // the canary request is the last one: wait for its HTTP span (path /search) to be exported
    await waitFor('traces reach the stand-in collector', async () => (received.some((r) => r.body.includes('/search')) ? true : undefined), 30_000, app);
  });

  after(async () => {
    await stopProcess(app);
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  });

  it('posts protobuf to /v1/traces on the configured endpoint', () => {
    const traces = received.filter((r) => r.url === '/v1/traces');
    expect(traces.length, received.map((r) => r.url).join(', ')).to.be.greaterThan(0);
    for (const r of traces) expect(r.contentType).to.equal('application/x-protobuf');
    expect(appEnv.OTEL_EXPORTER_OTLP_PROTOCOL).to.equal('http/protobuf');
  });

  it('names the service as the dashboards and Jaeger link expect', () => {
    const all = Buffer.concat(received.map((r) => r.body));
    expect(all.includes(appEnv.OTEL_SERVICE_NAME)).to.equal(true);
    expect(appEnv.OTEL_SERVICE_NAME).to.equal('school-health');
  });

  it('exports database and HTTP spans without the PHI canary of the query string, SQL literal or error', () => {
    const all = Buffer.concat(received.map((r) => r.body));
    expect(all.includes('pg.query')).to.equal(true);
    // the canary request itself was traced and exported: its path, and its SQL with the literal replaced
    expect(all.includes('/search')).to.equal(true);
    expect(all.includes('VALUES')).to.equal(true);
    expect(all.includes('querylens.query.fingerprint')).to.equal(true);
    expect(all.includes('Canarysmith')).to.equal(false);
    expect(all.includes('Zebulon')).to.equal(false);
  });
});
