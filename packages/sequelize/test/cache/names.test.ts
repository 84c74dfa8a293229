import { expect } from 'chai';
import * as path from 'node:path';
import { CacheAttributeNames, CacheMetricNames } from '../../src/cache/names';

describe('names', () => {
  describe('CacheMetricNames / CacheAttributeNames', () => {
    it('match the names declared by @querylens/core', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const core = require(path.resolve(__dirname, '../../../core/src/metrics/names.ts'));
      for (const [k, v] of Object.entries(CacheMetricNames)) expect(core.MetricNames[k], k).to.equal(v);
      for (const [k, v] of Object.entries(CacheAttributeNames)) expect(core.AttributeNames[k], k).to.equal(v);
    });
  });
});
