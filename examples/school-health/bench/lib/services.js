'use strict';
// Process and service helpers for the load test and the fault run: free ports, a private
// redis-server, databases, the app as a child process, an OTLP sink, peak RSS.
// Loopback only; nothing here touches the shared Redis on 6379.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { Client } = require('pg');

const appDir = path.resolve(__dirname, '..', '..');

/** Every child process started through this module, so none outlives an interrupted run. */
const spawned = new Set();

/** Remembers a child process; {@link killAll} ends it if it is still running. */
function track(child) {
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  return child;
}

/** SIGKILLs every tracked child still running (for timeouts and interrupts). */
function killAll() {
  for (const child of spawned) child.kill('SIGKILL');
}

/** Kills the tracked children and exits when this process is interrupted or terminated. */
function killChildrenOnSignals() {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** A TCP port that was free a moment ago (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves when a TCP connection to host:port succeeds, rejects after `timeoutMillis`. */
async function waitForPort(port, timeoutMillis = 10000, host = '127.0.0.1') {
  const end = Date.now() + timeoutMillis;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, host);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMillis} ms`);
    await sleep(100);
  }
}

/**
 * A private redis-server on `port` (no persistence), which can be stopped and started again
 * on the same port. Never the shared one.
 */
class PrivateRedis {
  constructor(port) {
    this.port = port;
    this.url = `redis://127.0.0.1:${port}`;
    this.child = null;
  }

  async start() {
    if (this.child) return;
    this.child = track(
      spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );
    const child = this.child;
    child.on('exit', () => {
      if (this.child === child) this.child = null;
    });
    await waitForPort(this.port, 10000);
  }

  /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. */
  async stop() {
    const child = this.child;
    if (!child) return;
    this.child = null;
    await new Promise((resolve) => {
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** Replaces the database name of a postgres URL. */
function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The admin URL (DATABASE_URL or the local default). */
function adminUrl() {
  return process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
}

/** Runs one SQL statement on `url` and returns the rows. */
async function sql(url, text, values) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, values)).rows;
  } finally {
    await c.end();
  }
}

/**
 * Creates database `name` when missing (optionally dropping it first), with pg_stat_statements.
 * @returns {Promise<string>} its URL
 */
async function ensureDatabase(name, { recreate = false } = {}) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = adminUrl();
  if (recreate) {
    await sql(admin, `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [name]);
    await sql(admin, `drop database if exists ${name}`);
  }
  const exists = await sql(admin, 'select 1 from pg_database where datname = $1', [name]);
  if (!exists.length) await sql(admin, `create database ${name}`);
  const url = withDatabase(admin, name);
  try {
    await sql(url, 'create extension if not exists pg_stat_statements');
  } catch {
    // pg_stat_statements not preloaded: query counts will come from the app's report instead
  }
  return url;
}

/** Total pg_stat_statements calls in database `name` (null when the extension is unavailable). */
async function statementCalls(url, name) {
  try {
    const rows = await sql(
      url,
      `select coalesce(sum(calls), 0)::bigint as calls from pg_stat_statements
        where dbid = (select oid from pg_database where datname = $1) and query not ilike '%pg_stat_statements%'`,
      [name],
    );
    return Number(rows[0].calls);
  } catch {
    return null;
  }
}

/** Peak resident set size of a process, in bytes (VmHWM), or null. */
function peakRssBytes(pid) {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** A tiny OTLP/HTTP sink: answers 200 to every request and counts them. */
async function startOtlpSink() {
  let requests = 0;
  let bytes = 0;
  const server = http.createServer((req, res) => {
    requests++;
    req.on('data', (c) => (bytes += c.length));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  server.keepAliveTimeout = 30000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stats: () => ({ requests, bytes }),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * Starts the built app (`dist/main.js`) as a child process with `nodeArgs` before the script.
 * Output is kept (bounded) for the PHI grep and for error messages.
 */
class AppProcess {
  constructor({ nodeArgs = [], env, port, name = 'app', keepOutputBytes = 8 * 1024 * 1024 }) {
    this.name = name;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.output = [];
    this.outputBytes = 0;
    this.keepOutputBytes = keepOutputBytes;
    this.exit = null;
    this.child = track(
      spawn(process.execPath, [...nodeArgs, path.join(appDir, 'dist', 'main.js')], {
        cwd: appDir,
        env: { ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    this.pid = this.child.pid;
    const keep = (chunk) => {
      if (this.outputBytes < this.keepOutputBytes) {
        this.output.push(chunk);
        this.outputBytes += chunk.length;
      }
      if (process.env.BENCH_APP_OUTPUT === '1') process.stderr.write(chunk);
    };
    this.child.stdout.on('data', keep);
    this.child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal, at: Date.now() };
        resolve(this.exit);
      });
    });
  }

  text() {
    return Buffer.concat(this.output).toString('utf8');
  }

  get alive() {
    return this.exit === null;
  }

  /** Waits until `GET path` answers (any status below 500), or the process dies. */
  async ready(pathname = '/', timeoutMillis = 60000, headers = {}) {
    const end = Date.now() + timeoutMillis;
    for (;;) {
      if (!this.alive) throw new Error(`${this.name} exited during startup (${JSON.stringify(this.exit)}):\n${this.text().slice(-3000)}`);
      const status = await httpGet(this.url + pathname, headers).then((r) => r.status, () => 0);
      if (status > 0 && status < 500) return;
      if (Date.now() > end) throw new Error(`${this.name} not ready after ${timeoutMillis} ms:\n${this.text().slice(-3000)}`);
      await sleep(200);
    }
  }

  /** SIGTERM, then SIGKILL after `graceMillis`; resolves with the exit and how long it took. */
  async stop(graceMillis = 10000) {
    const t0 = Date.now();
    if (this.alive) {
      const t = setTimeout(() => this.child.kill('SIGKILL'), graceMillis);
      this.child.kill('SIGTERM');
      await this.exited;
      clearTimeout(t);
    }
    return { ...this.exit, millis: Date.now() - t0 };
  }
}

/** GET (or another method) over HTTP/1.1 without keep-alive; resolves { status, body, json }. */
function httpGet(url, headers = {}, { method = 'GET', body, timeoutMillis = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(
      url,
      {
        method,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
        agent: false,
        timeout: timeoutMillis,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, body: text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMillis} ms: ${method} ${url}`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

module.exports = {
  appDir,
  track,
  killAll,
  killChildrenOnSignals,
  freePort,
  sleep,
  waitForPort,
  PrivateRedis,
  withDatabase,
  adminUrl,
  sql,
  ensureDatabase,
  statementCalls,
  peakRssBytes,
  startOtlpSink,
  AppProcess,
  httpGet,
};
