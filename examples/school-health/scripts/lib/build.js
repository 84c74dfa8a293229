'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const exampleDir = path.resolve(__dirname, '..', '..');
const rootDir = path.resolve(exampleDir, '..', '..');

/** Files the demo needs from `pnpm build`. */
const REQUIRED = [
  path.join(exampleDir, 'dist', 'main.js'),
  path.join(exampleDir, 'dist', 'seed.js'),
  path.join(rootDir, 'packages', 'node', 'dist', 'register.js'),
  path.join(rootDir, 'packages', 'sequelize', 'dist', 'index.js'),
  path.join(rootDir, 'packages', 'core', 'dist', 'index.js'),
];

/**
 * Makes sure the compiled app and packages exist; runs `pnpm build` at the
 * repository root when they do not. Throws with a clear instruction otherwise.
 */
function ensureBuilt({ log = () => {} } = {}) {
  const missing = REQUIRED.filter((f) => !fs.existsSync(f));
  if (missing.length === 0) return;
  log(`Build output missing (${missing.map((f) => path.relative(rootDir, f)).join(', ')}): running pnpm build...`);
  const r = spawnSync('pnpm', ['build'], { cwd: rootDir, stdio: 'inherit' });
  const still = REQUIRED.filter((f) => !fs.existsSync(f));
  if (r.error || r.status !== 0 || still.length) {
    throw new Error('the build failed or pnpm is not available: run `pnpm install && pnpm build` at the repository root, then `pnpm demo`');
  }
}

module.exports = { ensureBuilt, exampleDir, rootDir };
