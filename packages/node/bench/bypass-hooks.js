'use strict';
// Diagnostic variant (e) of http.bench.ts: the querylens register with the hooks of its
// processor turned into no-ops (spans leave unscrubbed: never use outside this bench). (d)
// against (e) is what the processors cost inside the app, cache effects included; (e)
// against (b) is the rest of the register (its exporters' setup, runtime metrics, hooks).
if (require('node:worker_threads').isMainThread) {
  const state = globalThis[Symbol.for('@querylens/node.state')];
  const p = state && state.running && state.running.processor;
  if (!p) throw new Error('bypass-hooks.js: load it after @querylens/node/register');
  p.onStart = () => {};
  p.onEnding = () => {};
  p.onEnd = () => {};
}
