import { expect } from 'chai';
import { esmIncludeList, modulesOf } from '../../src/sdk/esmHook';
import { createInstrumentations } from '../../src/sdk/instrumentations';

describe('esmHook.ts', () => {
  describe('.modulesOf()', () => {
    it('lists the modules the built-in instrumentations patch, and nothing else', () => {
      const names = modulesOf(createInstrumentations({ ignoreIncomingPaths: [], expressLayerSpans: false }));
      expect(names).to.include.members(['http', 'https', 'pg', 'pg-pool', 'express', '@nestjs/core']);
      expect(names).not.to.include('@nestjs/common');
    });

    it('skips objects that are not instrumentations', () => {
      expect(modulesOf([{}, null, { getModuleDefinitions: () => [{ name: 42 }, { name: 'x' }] }])).to.deep.equal(['x']);
    });
  });

  describe('.esmIncludeList()', () => {
    it('adds the node: form of builtins only, without duplicates', () => {
      expect(esmIncludeList(['http', 'express', 'http', 'node:fs'])).to.deep.equal(['http', 'node:http', 'express', 'node:fs']);
    });
  });
});
