import { expect } from 'chai';
import fc from 'fast-check';
import { QuantileSketch } from '../../src/sketch/QuantileSketch';

describe('QuantileSketch', () => {
  describe('#quantile', () => {
    it('is within 1% of the exact (lower) quantile, for any data', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 2000 }), (xs) => {
          const s = new QuantileSketch();
          for (const x of xs) s.add(x);
          const sorted = [...xs].sort((a, b) => a - b);
          for (const q of [0, 0.5, 0.95, 0.99, 1]) {
            const exact = sorted[Math.floor(q * (sorted.length - 1))];
            if (Math.abs(s.quantile(q) - exact) > 0.0101 * exact) return false;
          }
          return true;
        }),
      );
    });

    it('returns 0 when empty, and treats bad values as 0', () => {
      const s = new QuantileSketch();
      expect(s.quantile(0.5)).to.equal(0);
      s.add(NaN);
      s.add(-5);
      expect(s.count).to.equal(2);
      expect(s.quantile(0.99)).to.equal(0);
    });
  });

  describe('#merge', () => {
    it('equals one sketch fed both inputs', () => {
      const a = new QuantileSketch();
      const b = new QuantileSketch();
      const all = new QuantileSketch();
      for (let i = 1; i <= 500; i++) {
        (i % 2 ? a : b).add(i);
        all.add(i);
      }
      a.merge(b);
      expect(a.count).to.equal(500);
      for (const q of [0.5, 0.95, 0.99]) expect(a.quantile(q)).to.equal(all.quantile(q));
    });
  });
});
