import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { testDatabaseUrl } from '../support/database';

const exampleDir = path.resolve(__dirname, '../..');

function runSeed(args: string[]) {
  return spawnSync(process.execPath, ['--require', 'ts-node/register/transpile-only', 'src/seed.ts', ...args], {
    cwd: exampleDir,
    env: { ...process.env, DATABASE_URL: testDatabaseUrl(), TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('seed CLI (src/seed.ts -> dist/seed.js)', () => {
  describe('#main', () => {
    it('appends synthetic data with --no-reset and prints a JSON summary', () => {
      const r = runSeed(['--students', '20', '--nurses', '2', '--schools', '1', '--no-reset']);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.contain('seeded students: 20');
      const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
      expect(summary).to.include({ students: 20, nurses: 2, schools: 1 });
    });

    it('exits 1 naming the flag on a bad value', () => {
      const r = runSeed(['--students', 'many']);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain('--students must be a positive integer');
    });
  });
});
