/**
 * Side-effect entry: `node --require @querylens/node/register app.js`
 * (ESM apps: `node --import @querylens/node/register app.mjs`).
 * Reads only environment variables; never throws into the app.
 */
import { diag } from '@opentelemetry/api';
import { isMainThread } from 'node:worker_threads';
import { start } from './start';

// Preload flags are inherited by worker threads, including the thread that runs ESM
// loader hooks: starting there would open a second SDK (and a second Prometheus port).
if (isMainThread) {
  try {
    start();
  } catch (err) {
    diag.error(`@querylens/node: not started (${err instanceof Error ? err.message : String(err)}); the app runs uninstrumented`);
  }
}
