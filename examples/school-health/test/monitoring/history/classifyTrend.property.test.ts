import { expect } from 'chai';
import fc from 'fast-check';
import { classifyTrend } from '../../../src/monitoring/history/classifyTrend';

const series = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 0, maxLength: 60 });

describe('classifyTrend (properties)', () => {
  it('never throws and always answers one of the three classes', () => {
    fc.assert(
      fc.property(fc.array(fc.double()), fc.boolean(), (values, lowerIsBetter) => {
        const t = classifyTrend('m', values, { lowerIsBetter });
        expect(['improving', 'degrading', 'stable']).to.include(t.trend);
      }),
    );
  });

  it('calls a constant series stable', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 60 }), (v, n) => {
        expect(classifyTrend('m', Array(n).fill(v), { lowerIsBetter: true }).trend).to.equal('stable');
      }),
    );
  });

  it('flips improving and degrading when the series is reversed or the preference is', () => {
    fc.assert(
      fc.property(series, fc.boolean(), (values, lowerIsBetter) => {
        const first = classifyTrend('m', values, { lowerIsBetter });
        const a = first.trend;
        const reversed = classifyTrend('m', [...values].reverse(), { lowerIsBetter }).trend;
        const otherPreference = classifyTrend('m', values, { lowerIsBetter: !lowerIsBetter }).trend;
        const flip = { improving: 'degrading', degrading: 'improving', stable: 'stable' } as const;
        expect(otherPreference).to.equal(flip[a]);
        // Reversing swaps the halves: a +c change becomes -c/(1+c), which stays over the 10% threshold
        // when |c| >= 12.5%. With a zero mean the relative change is undefined: skip those.
        if (a !== 'stable' && values.every((v) => v > 0) && Math.abs(first.changePercent) >= 12.5) expect(reversed).to.equal(flip[a]);
      }),
    );
  });
});
