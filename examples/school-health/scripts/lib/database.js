'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

/**
 * The database for demo/start: DATABASE_URL when set, else embedded PostgreSQL
 * (PGlite + pglite-socket) in a child process.
 * @returns {Promise<{ url: string, embedded: boolean, stop: () => Promise<void> }>}
 */
async function startDatabase({ env = process.env, log = () => {} } = {}) {
  if (env.DATABASE_URL) {
    log(`Using DATABASE_URL (${redactUrl(env.DATABASE_URL)})`);
    return { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  log('No DATABASE_URL: starting embedded PostgreSQL (PGlite 0.5.14 + pglite-socket, in memory)...');
  const child = spawn(process.execPath, [path.join(__dirname, 'pglite-server.js')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('embedded PostgreSQL did not start within 30 s')), 30_000);
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line).url);
      } catch {
        reject(new Error(`unexpected output from embedded PostgreSQL: ${line}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL exited (${code}): ${stderr.trim()}`));
    });
  });
  child.removeAllListeners('exit');
  log(`Embedded PostgreSQL ready at ${url}`);
  return {
    url,
    embedded: true,
    stop: () => stopChild(child, 10_000),
  };
}

/** Sends SIGTERM, waits up to `graceMillis`, then SIGKILL. */
function stopChild(child, graceMillis) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMillis);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A connection string without its password, for log lines. */
function redactUrl(raw) {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

module.exports = { startDatabase, stopChild, redactUrl };
