import { expect } from 'chai';
import { classifyTrend } from '../../../src/monitoring/history/classifyTrend';

describe('classifyTrend', () => {
  const cases: { name: string; series: number[]; lowerIsBetter: boolean; expected: string; opts?: Record<string, number> }[] = [
    { name: 'latency going down', series: [100, 110, 105, 60, 55, 50], lowerIsBetter: true, expected: 'improving' },
    { name: 'latency going up', series: [50, 55, 60, 100, 110, 120], lowerIsBetter: true, expected: 'degrading' },
    { name: 'latency flat within 10%', series: [100, 102, 98, 101, 99, 103], lowerIsBetter: true, expected: 'stable' },
    { name: 'hit rate going up', series: [0.4, 0.5, 0.45, 0.85, 0.9, 0.88], lowerIsBetter: false, expected: 'improving' },
    { name: 'hit rate going down', series: [0.9, 0.9, 0.9, 0.5, 0.5, 0.5], lowerIsBetter: false, expected: 'degrading' },
    { name: 'too few points', series: [100, 500], lowerIsBetter: true, expected: 'stable' },
    { name: 'empty series', series: [], lowerIsBetter: true, expected: 'stable' },
    { name: 'from zero to something', series: [0, 0, 0, 5, 5, 5], lowerIsBetter: true, expected: 'degrading' },
    { name: 'tiny absolute change under minAbsoluteChange', series: [0.1, 0.1, 0.2, 0.2], lowerIsBetter: true, expected: 'stable', opts: { minAbsoluteChange: 1 } },
    { name: 'custom threshold 50% ignores +20%', series: [100, 100, 120, 120], lowerIsBetter: true, expected: 'stable', opts: { thresholdPercent: 50 } },
    { name: 'non-finite values are ignored', series: [100, NaN, 100, Infinity, 200, 200, 200, 100], lowerIsBetter: true, expected: 'degrading' },
  ];
  for (const c of cases) {
    it(`classifies ${c.name} as ${c.expected}`, () => {
      const t = classifyTrend('m', c.series, { lowerIsBetter: c.lowerIsBetter, ...c.opts });
      expect(t.trend).to.equal(c.expected);
      expect(t.metric).to.equal('m');
    });
  }

  it('reports baseline, current and the change in percent', () => {
    const t = classifyTrend('p95', [100, 100, 150, 150], { lowerIsBetter: true });
    expect(t).to.deep.equal({ metric: 'p95', trend: 'degrading', baseline: 100, current: 150, changePercent: 50, samples: 4 });
  });

  it('compares halves, ignoring the middle point of an odd series', () => {
    const t = classifyTrend('x', [10, 10, 1000, 20, 20], { lowerIsBetter: true });
    expect(t.baseline).to.equal(10);
    expect(t.current).to.equal(20);
  });
});
