// ESM entry: node --import @querylens/node/register app.mjs
// 1. the import-in-the-middle loader hook, so instrumentations see ES modules too;
// 2. the CommonJS register (same process-wide state as `require('@querylens/node')`).
import { createRequire, register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
const require = createRequire(import.meta.url);
const { start } = require('../dist/start.js');
try {
  start();
} catch (err) {
  process.stderr.write(`[querylens] error @querylens/node: not started (${err && err.message})\n`);
}
