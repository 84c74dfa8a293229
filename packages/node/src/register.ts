/**
 * Side-effect entry: `node --require @querylens/node/register app.js`
 * (ESM apps: `node --import @querylens/node/register app.mjs`).
 * Reads only environment variables; never throws into the app.
 */
import { diag } from '@opentelemetry/api';
import { start } from './start';

try {
  start(); // a no-op outside the main thread (workers and the ESM loader-hooks thread)
} catch (err) {
  diag.error(`@querylens/node: not started (${err instanceof Error ? err.message : String(err)}); the app runs uninstrumented`);
}
