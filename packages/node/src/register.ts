/**
 * Side-effect entry: `node --require @querylens/node/register app.js`
 * (ESM apps: `node --import @querylens/node/register app.mjs`).
 * Reads only environment variables; never throws into the app.
 */
import { isMainThread } from 'node:worker_threads';

// Preload flags also run in worker threads, including Node's ESM loader-hooks thread:
// check before loading the SDK at all (it would cost that thread ~30 MB and ~200 ms).
if (isMainThread) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { start } = require('./start') as typeof import('./start');
  try {
    start();
  } catch (err) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { diag } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
    diag.error(`@querylens/node: not started (${err instanceof Error ? err.message : String(err)}); the app runs uninstrumented`);
  }
}
