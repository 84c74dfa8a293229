import { expect } from 'chai';
import * as path from 'node:path';
import { blockName, spanBlocks } from './helpers/console';
import { cleanEnv, FIXTURES, freePort, get, REGISTER_CJS, spawnChild, startBlackhole, startSink } from './helpers/child';
import { prepareDatabase, TEST_DB_URL } from './helpers/db';

const CANARY = 'Zelda Quixotebury';
const STARTED = /@querylens\/node started:/g;

async function appEnv(extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  return cleanEnv({
    QL_TEST_DB_URL: TEST_DB_URL,
    QL_CANARY_NAME: CANARY,
    OTEL_TRACES_EXPORTER: 'console',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    ...extra,
  });
}

function pgBlocks(stdout: string): string[] {
  return spanBlocks(stdout).filter((b) => (blockName(b) ?? '').startsWith('pg.query:'));
}

/** Checks pg spans exist, carry the querylens fingerprint and no canary. */
function expectScrubbedPgSpans(stdout: string, count: number): void {
  const blocks = pgBlocks(stdout);
  expect(blocks, 'pg.query spans').to.have.length(count);
  for (const b of blocks) {
    expect(b).to.contain("'db.query.text'");
    expect(b).to.contain("'querylens.query.fingerprint'");
  }
  expect(stdout).not.to.contain('Quixotebury');
}

async function runServerRequests(base: string, route: string, n: number, concurrency: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        statuses.push((await get(`${base}${route}`)).status);
      }
    }),
  );
  return statuses;
}

describe('register', function () {
  this.timeout(30_000);

  before(async () => {
    await prepareDatabase();
  });

  describe('--require (CommonJS app)', () => {
    it('traces pg with scrubbed statements and prints one startup line', async () => {
      const child = spawnChild(['--require', '@querylens/node/register', path.join(FIXTURES, 'cjs-app.js')], await appEnv());
      const { code } = await child.exited;
      expect(code, child.stderr()).to.equal(0);
      expect(child.stdout()).to.contain('CJS DONE');
      expectScrubbedPgSpans(child.stdout(), 2);
      expect(child.stderr().match(STARTED)).to.have.length(1);
      expect(child.stderr()).to.match(/traces=\[console\].*metrics=\[prometheus http:\/\/127\.0\.0\.1:\d+\/metrics\].*slowQueryMillis=1000/);
      expect(child.stderr()).not.to.contain('Quixotebury');
    });
  });

  describe('OTEL_LOG_LEVEL', () => {
    it('keeps the scrubbing logger at the chosen level instead of the SDK console logger (which prints errors whole)', async () => {
      const child = spawnChild(
        ['--require', '@querylens/node/register', path.join(FIXTURES, 'cjs-app.js')],
        await appEnv({ OTEL_LOG_LEVEL: 'debug', QL_DIAG_CANARY: '1' }),
      );
      const { code } = await child.exited;
      expect(code, child.stderr()).to.equal(0);
      expect(child.stderr()).to.match(/^\[querylens\] debug looked up '\?'/m);
      expect(child.stderr()).to.match(/^\[querylens\] error .*already exists/m);
      expect(child.stderr() + child.stdout()).not.to.contain('Quixotebury');
    });
  });

  describe('--import (ES module app)', () => {
    it('traces pg with scrubbed statements and shares state with `import "@querylens/node"`', async () => {
      const child = spawnChild(['--import', '@querylens/node/register', path.join(FIXTURES, 'esm-app.mjs')], await appEnv());
      const { code } = await child.exited;
      expect(code, child.stderr()).to.equal(0);
      const done = /ESM DONE totalQueries=(\d+)/.exec(child.stdout());
      expect(done, child.stdout().slice(-500)).to.not.equal(null);
      expect(Number(done![1])).to.be.at.least(2);
      expectScrubbedPgSpans(child.stdout(), 2);
      expect(child.stderr().match(STARTED)).to.have.length(1);
      expect(child.stderr()).to.contain('esmHook=on (auto: the register was loaded with --import)');
    });

    it('registers the ESM hook for an ES module main script started with --require (auto)', async () => {
      const child = spawnChild(['--require', REGISTER_CJS, path.join(FIXTURES, 'esm-app.mjs')], await appEnv());
      const { code } = await child.exited;
      expect(code, child.stderr()).to.equal(0);
      expect(child.stderr()).to.contain('esmHook=on (auto: the main script is an ES module)');
      expectScrubbedPgSpans(child.stdout(), 2);
    });

    it('still traces pg in an ES module app with QUERYLENS_ESM_HOOK=false (instrumentation-pg also patches pg/lib/client.js)', async () => {
      const child = spawnChild(['--import', '@querylens/node/register', path.join(FIXTURES, 'esm-app.mjs')], await appEnv({ QUERYLENS_ESM_HOOK: 'false' }));
      const { code } = await child.exited;
      expect(code, child.stderr()).to.equal(0);
      expect(child.stderr()).to.match(/esmHook=off$/m);
      expectScrubbedPgSpans(child.stdout(), 2);
    });
  });

  describe('instrumentations', () => {
    it('gives express server spans their http.route and redacts query-string values', async () => {
      const child = spawnChild(['--require', REGISTER_CJS, path.join(FIXTURES, 'express-app.js')], await appEnv());
      const [, appPort] = await child.waitFor(/LISTENING (\d+)/);
      const res = await get(`http://127.0.0.1:${appPort}/patients/3?name=Zelda+Quixotebury`);
      expect(res.status).to.equal(200);
      await child.waitFor(/^ {2}kind: 1,/m);
      child.proc.kill('SIGTERM');
      await child.exited;
      const server = spanBlocks(child.stdout()).filter((b) => b.includes('kind: 1,'));
      expect(server, child.stdout().slice(-3000)).to.have.length(1);
      expect(server[0]).to.contain("'http.route': '/patients/:id'");
      expect(server[0]).to.contain("'url.query': 'name=REDACTED'");
      expect(pgBlocks(child.stdout())).to.have.length(1);
      expect(child.stdout()).not.to.contain('Quixotebury');
    });
  });

  /** Runs a fixture app under the register, sends GET /patients/3, stops it, returns its printed spans. */
  async function spansAfterOneRequest(fixture: string, extra: Record<string, string>): Promise<string[]> {
    const child = spawnChild(['--require', REGISTER_CJS, path.join(FIXTURES, fixture)], await appEnv(extra));
    const [, appPort] = await child.waitFor(/LISTENING (\d+)/);
    expect((await get(`http://127.0.0.1:${appPort}/patients/3`)).status).to.equal(200);
    await child.waitFor(/^ {2}kind: 1,/m); // the server span is printed when the response ends
    child.proc.kill('SIGTERM');
    await child.exited;
    return spanBlocks(child.stdout());
  }

  describe('express layer spans', () => {
    const spansOf = (extra: Record<string, string>) => spansAfterOneRequest('express-app.js', extra);
    const isExpress = (b: string) => b.includes('instrumentation-express');

    it('creates none by default, and the request span still carries http.route', async () => {
      const spans = await spansOf({});
      expect(spans.filter(isExpress)).to.have.length(0);
      const server = spans.filter((b) => b.includes('kind: 1,'));
      expect(server).to.have.length(1);
      expect(server[0]).to.contain("'http.route': '/patients/:id'");
    });

    it('creates them with QUERYLENS_EXPRESS_LAYER_SPANS=true', async () => {
      const spans = await spansOf({ QUERYLENS_EXPRESS_LAYER_SPANS: 'true' });
      expect(spans.filter(isExpress).length).to.be.at.least(1);
    });
  });

  describe('ESM loader hook', () => {
    async function routeAndLine(extra: Record<string, string>): Promise<{ route: string | undefined; esmHook: string | undefined }> {
      const child = spawnChild(['--require', REGISTER_CJS, path.join(FIXTURES, 'cjs-requires-esm-app.js')], await appEnv(extra));
      const [, appPort] = await child.waitFor(/LISTENING (\d+)/);
      expect((await get(`http://127.0.0.1:${appPort}/patients/3`)).status).to.equal(200);
      await child.waitFor(/^ {2}kind: 1,/m);
      child.proc.kill('SIGTERM');
      await child.exited;
      const server = spanBlocks(child.stdout()).filter((b) => b.includes('kind: 1,'));
      expect(server).to.have.length(1);
      return { route: /'http\.route': '([^']*)'/.exec(server[0])?.[1], esmHook: /esmHook=(.*)$/m.exec(child.stderr())?.[1] };
    }

    it('leaves the hook off for a CommonJS app (auto) and still instruments express imported by its ES module (NestJS 12 layout)', async () => {
      const { route, esmHook } = await routeAndLine({});
      // (the workspace's pnpm store may add a note on NestJS 12, which its instrumentation does not patch)
      expect(esmHook).to.match(/^off \(auto: no ES-module app or instrumented package[;)]/);
      expect(route).to.equal('/patients/:id');
    });

    it('instruments that route with QUERYLENS_ESM_HOOK=true and with false', async () => {
      const on = await routeAndLine({ QUERYLENS_ESM_HOOK: 'true' });
      expect(on).to.deep.equal({ route: '/patients/:id', esmHook: 'on' });
      const off = await routeAndLine({ QUERYLENS_ESM_HOOK: 'false' });
      expect(off).to.deep.equal({ route: '/patients/:id', esmHook: 'off' });
    });

    it('traces outgoing calls an ES module makes through named imports of node:http and node:https (hook off)', async () => {
      const child = spawnChild(['--require', REGISTER_CJS, path.join(FIXTURES, 'cjs-imports-esm-client.js')], await appEnv());
      const { code } = await child.exited;
      expect(code, child.stderr()).to.equal(0);
      expect(child.stdout()).to.contain('CLIENT DONE');
      expect(child.stderr()).to.match(/esmHook=off \(auto:/);
      const clients = spanBlocks(child.stdout()).filter((b) => b.includes('kind: 2,'));
      expect(clients.map((b) => /'server\.port': (\d+)/.exec(b)?.[1] !== '1')).to.have.members([true, false]); // one http, one https (port 1)
    });
  });

  describe('start() from a preload of the app', () => {
    it('starts once, in the main thread only (not in the ESM loader-hooks thread)', async () => {
      const child = spawnChild(
        ['--require', path.join(FIXTURES, 'start-in-preload.js'), path.join(FIXTURES, 'cjs-app.js')],
        await appEnv(),
      );
      const { code } = await child.exited;
      expect(code, child.stderr()).to.equal(0);
      expect(child.stderr().match(STARTED)).to.have.length(1);
      expect(child.stderr()).to.contain('slowQueryMillis=250');
      expect(child.stderr()).not.to.match(/EADDRINUSE|already been initialized|already started/);
      expectScrubbedPgSpans(child.stdout(), 2);
    });
  });

  describe('second load', () => {
    it('ignores --import after --require with a warning (one registration)', async () => {
      const child = spawnChild(
        ['--require', REGISTER_CJS, '--import', '@querylens/node/register', path.join(FIXTURES, 'cjs-app.js')],
        await appEnv(),
      );
      const { code } = await child.exited;
      expect(code, child.stderr()).to.equal(0);
      expect(child.stderr().match(STARTED)).to.have.length(1);
      expect(child.stderr()).to.match(/warn .*already started/);
      expectScrubbedPgSpans(child.stdout(), 2); // not 4: no second exporter, no double patch
    });

    it('ignores start() in code after the register with a warning', async () => {
      const child = spawnChild(['--require', REGISTER_CJS, path.join(FIXTURES, 'cjs-app.js')], await appEnv({ QL_START_IN_CODE: '1' }));
      const { code } = await child.exited;
      expect(code, child.stderr()).to.equal(0);
      expect(child.stderr().match(STARTED)).to.have.length(1);
      expect(child.stderr()).to.match(/warn .*already started/);
      expectScrubbedPgSpans(child.stdout(), 2);
    });
  });

  describe('bad configuration', () => {
    it('warns naming each variable, falls back to the defaults and never crashes the app', async () => {
      const child = spawnChild(
        ['--require', REGISTER_CJS, path.join(FIXTURES, 'cjs-app.js')],
        await appEnv({
          QUERYLENS_SLOW_QUERY_MS: 'abc',
          QUERYLENS_N_PLUS_ONE_THRESHOLD: '-3',
          OTEL_TRACES_EXPORTER: 'bogus,console',
          OTEL_EXPORTER_PROMETHEUS_PORT: 'ninety',
        }),
      );
      const { code } = await child.exited;
      const err = child.stderr();
      expect(code, err).to.equal(0);
      expect(child.stdout()).to.contain('CJS DONE');
      for (const name of ['QUERYLENS_SLOW_QUERY_MS', 'QUERYLENS_N_PLUS_ONE_THRESHOLD', 'OTEL_TRACES_EXPORTER', 'OTEL_EXPORTER_PROMETHEUS_PORT']) {
        expect(err).to.match(new RegExp(`warn .*${name}`));
      }
      expect(err).to.match(/slowQueryMillis=1000 nPlusOne=5x/);
      expectScrubbedPgSpans(child.stdout(), 2);
    });

    it('start() in code throws a clear Error naming the bad option', async () => {
      const child = spawnChild(
        ['-e', "try { require('@querylens/node').start({ nPlusOneThreshold: 0 }) } catch (e) { process.stdout.write('THROWN ' + e.message) }"],
        await appEnv(),
      );
      await child.exited;
      expect(child.stdout()).to.match(/THROWN .*nPlusOneThreshold/);
      expect(child.stderr().match(STARTED)).to.equal(null);
    });

    it('starts nothing under OTEL_SDK_DISABLED=true and the app still runs', async () => {
      const child = spawnChild(['--require', REGISTER_CJS, path.join(FIXTURES, 'cjs-app.js')], await appEnv({ OTEL_SDK_DISABLED: 'true' }));
      const { code } = await child.exited;
      expect(code).to.equal(0);
      expect(child.stdout()).to.contain('CJS DONE');
      expect(pgBlocks(child.stdout())).to.have.length(0);
      expect(child.stderr()).to.contain('OTEL_SDK_DISABLED');
      expect(child.stderr().match(STARTED)).to.equal(null);
    });
  });

  describe('dead collector', () => {
    it('a closed port: every request is served and the process ends on SIGTERM', async () => {
      const port = await freePort(); // closed again: nothing listens there
      const child = spawnChild(
        ['--require', REGISTER_CJS, path.join(FIXTURES, 'server.js')],
        await appEnv({
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
          OTEL_BSP_SCHEDULE_DELAY: '20',
          QUERYLENS_SHUTDOWN_TIMEOUT_MS: '1000',
        }),
      );
      const [, appPort] = await child.waitFor(/LISTENING (\d+)/);
      const statuses = await runServerRequests(`http://127.0.0.1:${appPort}`, '/ping', 100, 8);
      expect(statuses.filter((s) => s === 200)).to.have.length(100);
      child.proc.kill('SIGTERM');
      const { signal } = await child.exited;
      expect(signal).to.equal('SIGTERM');
    });

    it('a port that accepts and never answers: served, bounded (drops counted), shutdown bounded', async () => {
      const hole = await startBlackhole();
      const promPort = await freePort();
      try {
        const child = spawnChild(
          ['--require', REGISTER_CJS, path.join(FIXTURES, 'server.js')],
          await appEnv({
            OTEL_TRACES_EXPORTER: 'otlp',
            OTEL_EXPORTER_OTLP_ENDPOINT: hole.url,
            OTEL_EXPORTER_OTLP_TIMEOUT: '120000',
            OTEL_BSP_EXPORT_TIMEOUT: '120000',
            OTEL_BSP_SCHEDULE_DELAY: '20',
            OTEL_BSP_MAX_QUEUE_SIZE: '20',
            QUERYLENS_SHUTDOWN_TIMEOUT_MS: '500',
            OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort),
          }),
        );
        // startup does not wait for the collector: the app listens while the export hangs
        const [, appPort] = await child.waitFor(/LISTENING (\d+)/);
        const statuses = await runServerRequests(`http://127.0.0.1:${appPort}`, '/ping', 150, 8);
        expect(statuses.filter((s) => s === 200)).to.have.length(150);
        expect(hole.connections(), 'the exporter reached the collector').to.be.at.least(1);
        const metrics = (await get(`http://127.0.0.1:${promPort}/metrics`)).body;
        const dropped = /^querylens_spans_dropped_total(?:\{[^}]*\})? (\d+)/m.exec(metrics);
        expect(dropped, metrics.slice(0, 1500)).to.not.equal(null);
        expect(Number(dropped![1])).to.be.greaterThan(0);
        // export and OTLP timeouts are 2 minutes: only the shutdown bound can end this in time
        child.proc.kill('SIGTERM');
        const { signal } = await child.exited;
        expect(signal).to.equal('SIGTERM');
      } finally {
        await hole.close();
      }
    });
  });

  describe('shutdown()', () => {
    it('resolves within QUERYLENS_SHUTDOWN_TIMEOUT_MS while the collector hangs', async () => {
      const hole = await startBlackhole();
      try {
        const child = spawnChild(
          ['--require', REGISTER_CJS, path.join(FIXTURES, 'server.js')],
          await appEnv({
            OTEL_TRACES_EXPORTER: 'otlp',
            OTEL_EXPORTER_OTLP_ENDPOINT: hole.url,
            OTEL_EXPORTER_OTLP_TIMEOUT: '120000',
            OTEL_BSP_EXPORT_TIMEOUT: '120000',
            QUERYLENS_SHUTDOWN_TIMEOUT_MS: '500',
          }),
        );
        const [, appPort] = await child.waitFor(/LISTENING (\d+)/);
        expect((await get(`http://127.0.0.1:${appPort}/n1`)).status).to.equal(200);
        // the flush needs the collector (2-minute timeouts): only the bound lets this answer
        const res = await get(`http://127.0.0.1:${appPort}/shutdown`);
        expect(res).to.deep.equal({ status: 200, body: 'shut down' });
        expect(hole.connections()).to.be.at.least(1);
        expect(child.stderr()).to.match(/shutdown gave up after 500 ms/);
        child.proc.kill('SIGTERM');
        expect((await child.exited).signal).to.equal('SIGTERM');
      } finally {
        await hole.close();
      }
    });
  });

  describe('signals', () => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      it(`flushes pending spans to the collector on ${sig}, then dies of ${sig}`, async () => {
        const sink = await startSink();
        try {
          const child = spawnChild(
            ['--require', REGISTER_CJS, path.join(FIXTURES, 'server.js')],
            await appEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BSP_SCHEDULE_DELAY: '600000' }),
          );
          const [, appPort] = await child.waitFor(/LISTENING (\d+)/);
          expect((await get(`http://127.0.0.1:${appPort}/n1`)).status).to.equal(200);
          const before = sink.requests.filter((r) => r.path === '/v1/traces').length;
          child.proc.kill(sig);
          const { signal } = await child.exited;
          expect(signal).to.equal(sig);
          const traces = sink.requests.filter((r) => r.path === '/v1/traces');
          expect(before).to.equal(0); // nothing left before the signal (10 min schedule)
          expect(traces.length).to.be.at.least(1);
          const body = Buffer.concat(traces.map((t) => t.body)).toString('latin1');
          expect(body).to.contain('pg.query:SELECT');
          expect(body).not.to.contain('Quixotebury');
        } finally {
          await sink.close();
        }
      });
    }

    it('flushes pending spans on a normal exit', async () => {
      const sink = await startSink();
      try {
        const child = spawnChild(
          ['--require', REGISTER_CJS, path.join(FIXTURES, 'cjs-app.js')],
          await appEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BSP_SCHEDULE_DELAY: '600000' }),
        );
        const { code } = await child.exited;
        expect(code, child.stderr()).to.equal(0);
        const traces = sink.requests.filter((r) => r.path === '/v1/traces');
        expect(traces.length).to.be.at.least(1);
        const body = Buffer.concat(traces.map((t) => t.body)).toString('latin1');
        expect(body).to.contain('pg.query:SELECT');
        expect(body).not.to.contain('Quixotebury');
      } finally {
        await sink.close();
      }
    });

    it('lets an app that handles SIGTERM itself end its own way, flushed', async () => {
      const sink = await startSink();
      try {
        const child = spawnChild(
          ['--require', REGISTER_CJS, path.join(FIXTURES, 'server.js')],
          await appEnv({
            OTEL_TRACES_EXPORTER: 'otlp',
            OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
            OTEL_BSP_SCHEDULE_DELAY: '600000',
            QL_APP_HANDLES_SIGTERM: '1',
          }),
        );
        const [, appPort] = await child.waitFor(/LISTENING (\d+)/);
        expect((await get(`http://127.0.0.1:${appPort}/ping`)).status).to.equal(200);
        child.proc.kill('SIGTERM');
        const { code, signal } = await child.exited;
        expect(child.stdout()).to.contain('APP SIGTERM HANDLER');
        expect(signal).to.equal(null);
        expect(code).to.equal(0);
        expect(sink.requests.filter((r) => r.path === '/v1/traces').length).to.be.at.least(1);
      } finally {
        await sink.close();
      }
    });
  });
});
