import { expect } from 'chai';
import * as path from 'node:path';
import { cleanEnv, FIXTURES, spawnChild } from './helpers/child';

function run(env: Record<string, string>) {
  return spawnChild(['--require', 'tsx/cjs', path.join(FIXTURES, 'signals-app.ts')], cleanEnv(env));
}

describe('installSignalHandlers', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`flushes on ${signal}, then the process dies of ${signal} as it would without us`, async () => {
      const child = run({});
      await child.waitFor(/READY/);
      child.proc.kill(signal);
      const { code, signal: got } = await child.exited;
      expect(child.stdout()).to.contain('FLUSHED');
      expect(got).to.equal(signal);
      expect(code).to.equal(null);
    });
  }

  it('leaves the decision to the app when it handles the signal itself', async () => {
    const child = run({ QL_APP_HANDLER: '1' });
    await child.waitFor(/READY/);
    child.proc.kill('SIGTERM');
    const { code, signal } = await child.exited;
    expect(child.stdout()).to.contain('APP HANDLER').and.contain('FLUSHED');
    expect(signal).to.equal(null); // not killed by us: the app ended its own way
    expect(code).to.equal(0);
  });

  it('still ends the process when the flush never completes (bounded by the timeout)', async () => {
    const child = run({ QL_FLUSH_MODE: 'hang-ref', QL_TIMEOUT_MS: '300' });
    await child.waitFor(/READY/);
    child.proc.kill('SIGTERM');
    const { signal } = await child.exited;
    expect(child.stdout()).to.contain('FLUSH START');
    expect(signal).to.equal('SIGTERM');
  });

  it('flushes once on a normal exit', async () => {
    const child = run({ QL_EXIT_NATURALLY: '1' });
    const { code, signal } = await child.exited;
    expect(child.stdout().match(/FLUSHED/g)).to.have.length(1);
    expect(code).to.equal(0);
    expect(signal).to.equal(null);
  });

  it('bounds the flush on a normal exit and keeps the app exit code', async () => {
    const child = run({ QL_EXIT_NATURALLY: '1', QL_FLUSH_MODE: 'hang-ref', QL_TIMEOUT_MS: '300', QL_EXIT_CODE: '3' });
    const { code } = await child.exited;
    expect(child.stdout()).to.contain('FLUSH START');
    expect(code).to.equal(3);
  });
});
