import { expect } from 'chai';
import { WindowedLatency } from '../../src/sketch/WindowedLatency';

describe('WindowedLatency', () => {
  describe('#snapshot', () => {
    it('keeps what was recorded in the last window and drops older slots', () => {
      const w = new WindowedLatency(1000);
      const t = 1_000_000;
      w.add(t, 10, false);
      w.add(t + 500, 20, false);
      w.add(t + 950, 2000, true);
      w.addNPlusOne(t + 960);
      const s1 = w.snapshot(t + 999);
      expect([s1.count, s1.slow, s1.nPlusOne, s1.distribution.verySlow]).to.deep.equal([3, 1, 1, 1]);
      const s2 = w.snapshot(t + 1600);
      expect(s2.count, 'the slots of t and t+500 have left the window').to.equal(1);
      const s3 = w.snapshot(t + 5000);
      expect(s3.count).to.equal(0);
    });

    it('reuses a ring of 10 slots: old data in a reused slot is discarded', () => {
      const w = new WindowedLatency(1000);
      w.add(0, 5, false);
      w.add(1000, 7, false);
      expect(w.snapshot(1000).count).to.equal(1);
      expect(w.snapshot(1000).maxMillis).to.equal(7);
    });
  });

  describe('#total', () => {
    it('keeps everything since start: slots that rotated out are merged, not lost', () => {
      const w = new WindowedLatency(1000);
      const all: number[] = [];
      // 5 windows of traffic: every slot is reused several times
      for (let t = 0; t < 5000; t += 37) {
        const d = 1 + ((t * 7919) % 1500);
        all.push(d);
        w.add(t, d, d > 1000);
      }
      w.addNPlusOne(4990);
      const total = w.total();
      expect(total.count).to.equal(all.length);
      expect(total.slow).to.equal(all.filter((d) => d > 1000).length);
      expect(total.maxMillis).to.equal(Math.max(...all));
      expect(total.totalMillis).to.be.closeTo(all.reduce((a, b) => a + b, 0), 1e-6);
      expect(total.nPlusOne).to.equal(1);
      const sorted = [...all].sort((a, b) => a - b);
      const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1];
      expect(total.sketch.quantile(0.95)).to.be.closeTo(p95, p95 * 0.02);
      expect(w.snapshot(4999).count, 'the window holds only the last second').to.be.below(all.length / 4);
      w.clear();
      expect(w.total().count).to.equal(0);
    });
  });
});
