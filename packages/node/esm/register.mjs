// ESM entry: node --import @querylens/node/register app.mjs
// start() registers the import-in-the-middle loader hook (so the app's ES modules are
// instrumented) and shares its process-wide state with `import '@querylens/node'`.
import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const require = createRequire(import.meta.url);
if (isMainThread) {
  try {
    // esmHook 'auto' registers the loader hook for an app started this way
    require('../dist/state.js').globalState().esmEntry = true;
    const { start } = require('../dist/start.js');
    start();
  } catch (err) {
    process.stderr.write(`[querylens] error @querylens/node: not started (${err && err.message}); the app runs uninstrumented\n`);
  }
}
