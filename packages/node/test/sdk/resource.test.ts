import { expect } from 'chai';
import { detectDefaultResource } from '../../src/sdk/resource';

describe('resource', () => {
  describe('.detectDefaultResource()', () => {
    it('keeps no command line, executable path or owner, but keeps the process identity', async () => {
      const argv = process.argv;
      process.argv = [...argv, '--student', 'Alice Smith', '--ssn', '078-05-1120'];
      try {
        const resource = detectDefaultResource();
        await resource.waitForAsyncAttributes?.();
        const a = resource.attributes;
        for (const key of ['process.command_args', 'process.command_line', 'process.executable.path', 'process.owner']) {
          expect(a, key).not.to.have.property(key);
        }
        expect(JSON.stringify(a)).not.to.include('078-05-1120').and.not.to.include('Alice Smith');
        expect(a['process.pid']).to.equal(process.pid);
        expect(a['process.runtime.name']).to.equal('nodejs');
        expect(a['process.executable.name']).to.be.a('string');
      } finally {
        process.argv = argv;
      }
    });
  });
});
