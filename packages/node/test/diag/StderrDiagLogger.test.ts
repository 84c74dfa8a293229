import { expect } from 'chai';
import { StderrDiagLogger } from '../../src/diag/StderrDiagLogger';

function capture(fn: () => void): string {
  const original = process.stderr.write.bind(process.stderr);
  let out = '';
  (process.stderr as { write: unknown }).write = (chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  };
  try {
    fn();
  } finally {
    (process.stderr as { write: unknown }).write = original;
  }
  return out;
}

describe('StderrDiagLogger', () => {
  describe('#warn', () => {
    it('writes one prefixed line with the level', () => {
      const out = capture(() => new StderrDiagLogger().warn('hello', 'world'));
      expect(out).to.equal('[querylens] warn hello world\n');
    });

    it('reduces Error arguments to their name (messages may carry row values)', () => {
      const err = new TypeError('Key (ssn)=(078-05-1120) already exists');
      const out = capture(() => new StderrDiagLogger().error('export failed', err));
      expect(out).to.equal('[querylens] error export failed TypeError\n');
      expect(out).not.to.contain('078-05-1120');
    });
  });
});
