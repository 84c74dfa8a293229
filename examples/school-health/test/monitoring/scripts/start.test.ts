import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** `pnpm start` on a fresh machine: embedded PGlite, seeded, served until SIGINT. */
describe('pnpm start (scripts/start.js)', function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let output = '';

  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('serves the seeded app with its monitoring token, then stops cleanly on SIGINT', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort), DEMO_STUDENTS: '100' };
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'MONITORING_TOKEN', 'SEED']) delete env[k];
    for (const k of Object.keys(env)) if (k.startsWith('OTEL_') && k !== 'OTEL_EXPORTER_PROMETHEUS_PORT') delete env[k];
    for (const k of Object.keys(env)) if (k.startsWith('QUERYLENS_')) delete env[k];
    env.OTEL_TRACES_EXPORTER = 'console'; // the app's spans in the output, to check express was patched
    child = spawn(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 100_000;
    while (!/is running at/.test(output)) {
      if (child.exitCode !== null) throw new Error(`start exited early:\n${output.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`start did not come up:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const token = /Bearer ([0-9a-f]{48})/.exec(output)?.[1];
    expect(token, output.slice(-1500)).to.be.a('string');
    const base = `http://127.0.0.1:${port}`;
    const students = (await (await fetch(`${base}/students?limit=5`)).json()) as { meta: { total: number } };
    expect(students.meta.total).to.equal(100);
    // NestJS 12 is ESM-only and imports express with import(): the register's startup line says
    // why it needs no loader hook, and the request span still gets the route from express.
    expect(output).to.match(/esmHook=off \(auto: .*@nestjs\/core 12\.\d+\.\d+ is an ES module its instrumentation does not patch/);
    const routed = Date.now() + 20_000;
    while (!output.includes("'http.route': '/students'")) {
      if (Date.now() > routed) throw new Error(`no server span with http.route /students:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await fetch(`${base}/monitoring/health`)).status).to.equal(401);
    const health = await fetch(`${base}/monitoring/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(health.status).to.equal(200);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).to.equal(200);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).to.equal(0);
    let refused = false;
    await fetch(`${base}/students`).catch(() => {
      refused = true;
    });
    expect(refused).to.equal(true);
  });
});
