'use strict';
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const { stopChild } = require('./database');
const { exampleDir } = require('./build');
const { freePort } = require('./ports');

/** Keeps the last `max` lines of a stream (the app's logs, shown on failure). */
function tail(max) {
  const lines = [];
  return {
    push(chunk) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue;
        lines.push(line);
        if (lines.length > max) lines.shift();
      }
    },
    lines,
  };
}

/**
 * The app's environment: the caller's, plus what the run needs. Variables the
 * user set win over our defaults, except the ones the run must control (ports,
 * database, token).
 */
async function appEnv({ databaseUrl, embedded, overrides = {}, base = process.env }) {
  const env = { ...base };
  env.DATABASE_URL = databaseUrl;
  env.PORT = String(overrides.port ?? (await freePort()));
  env.OTEL_EXPORTER_PROMETHEUS_PORT = String(overrides.metricsPort ?? (await freePort()));
  env.OTEL_EXPORTER_PROMETHEUS_HOST ??= '127.0.0.1';
  env.OTEL_TRACES_EXPORTER ??= 'none';
  env.OTEL_SERVICE_NAME ??= 'school-health';
  env.MONITORING_TOKEN = overrides.token ?? base.MONITORING_TOKEN ?? randomBytes(24).toString('hex');
  env.CACHE_KEY_SECRET ??= randomBytes(32).toString('hex');
  env.NODE_ENV ??= 'development';
  // pglite-socket serves 5 connections; keep the pool below that.
  if (embedded) env.DB_POOL_MAX ??= '4';
  for (const [k, v] of Object.entries(overrides.extra ?? {})) env[k] ??= v;
  return env;
}

/**
 * Starts `node --require @querylens/node/register dist/main.js` and waits until
 * `GET /monitoring/health` answers with the token.
 * @returns {Promise<{ baseUrl: string, metricsUrl: string, token: string, env: object, logs: string[], child: import('child_process').ChildProcess, stop: () => Promise<void> }>}
 */
async function startApp({ env, inheritLogs = false, readyTimeoutMillis = 60_000 }) {
  const logs = tail(200);
  const child = spawn(process.execPath, ['--require', '@querylens/node/register', path.join('dist', 'main.js')], {
    cwd: exampleDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (d) => {
      logs.push(d);
      if (inheritLogs) (stream === child.stdout ? process.stdout : process.stderr).write(d);
    });
  }
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const metricsUrl = `http://127.0.0.1:${env.OTEL_EXPORTER_PROMETHEUS_PORT}/metrics`;
  const token = env.MONITORING_TOKEN;
  const app = { baseUrl, metricsUrl, token, env, logs: logs.lines, child, stop: () => stopChild(child, 15_000) };

  const deadline = Date.now() + readyTimeoutMillis;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new AppError(`the app exited during startup (code ${child.exitCode})`, logs.lines);
    if (Date.now() > deadline) {
      await app.stop();
      throw new AppError(`the app did not answer within ${readyTimeoutMillis / 1000} s`, logs.lines);
    }
    try {
      const res = await fetch(`${baseUrl}/monitoring/health`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(2000) });
      if (res.ok) return app;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A startup failure carrying the app's last log lines. */
class AppError extends Error {
  constructor(message, logLines) {
    super(message);
    this.name = 'AppError';
    this.logLines = [...logLines];
  }
}

module.exports = { appEnv, startApp, AppError };
