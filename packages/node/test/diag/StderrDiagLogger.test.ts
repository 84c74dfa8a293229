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

    it('scrubs the message itself as error text, keeping JSON keys and error codes (the SDK logs whole errors as JSON)', () => {
      const err = Object.assign(new Error("duplicate key: Key (ssn)=(078-05-1120) already exists, name 'Zed Alvarez'"), { code: '23505' });
      const json = JSON.stringify(err, ['name', 'message', 'code', 'stack']);
      const out = capture(() => new StderrDiagLogger().error(json));
      expect(out).to.match(/^\[querylens\] error \{"name":"Error","message":"duplicate key: Key \(ssn\)=\(\?\)[^"]*","code":"23505"\}\n$/);
      expect(out).not.to.contain('078-05-1120').and.not.to.contain('Alvarez').and.not.to.contain('stack');
      const text = capture(() => new StderrDiagLogger().debug("looked up 'Zed Alvarez' with {\"student\":\"Zed Alvarez\",\"n\":3}"));
      expect(text).to.equal(`[querylens] debug looked up '?' with {"student":"?","n":3}\n`);
      const own = capture(() => new StderrDiagLogger().info('@querylens/node started: metrics=[prometheus http://127.0.0.1:9464/metrics]'));
      expect(own).to.equal('[querylens] info @querylens/node started: metrics=[prometheus http://127.0.0.1:9464/metrics]\n');
    });
  });
});
