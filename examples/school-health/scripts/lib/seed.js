'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const { exampleDir } = require('./build');

/**
 * Runs the app's seed CLI (`node dist/seed.js --students N`) against `databaseUrl`,
 * reporting each table as it is written.
 * @returns {Promise<object>} the seed summary (row counts, durationMillis)
 */
function runSeed({ databaseUrl, students, env = process.env, onTable = () => {} }) {
  return new Promise((resolve, reject) => {
    const args = [path.join('dist', 'seed.js')];
    if (students) args.push('--students', String(students));
    const child = spawn(process.execPath, args, { cwd: exampleDir, env: { ...env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
    let summary;
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^seeded (\S+): (\d+)/.exec(line);
      if (m) onTable(m[1], Number(m[2]));
      else if (line.startsWith('{')) {
        try {
          summary = JSON.parse(line);
        } catch {
          // ignore
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(summary ?? {});
      else reject(new Error(`seeding failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

module.exports = { runSeed };
