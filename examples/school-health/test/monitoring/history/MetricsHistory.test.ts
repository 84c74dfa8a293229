import { expect } from 'chai';
import { MetricsHistory } from '../../../src/monitoring/history/MetricsHistory';
import { startHarness, type Harness } from '../harness';

describe('MetricsHistory', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ historySize: 5, sampleIntervalMillis: 3_600_000 });
  });
  after(async () => {
    await h?.close();
  });

  describe('#sample', () => {
    it('keeps at most historySize points, dropping the oldest', () => {
      const history = h.app.get(MetricsHistory);
      const t0 = Date.now() - 20 * 60_000;
      for (let i = 0; i < 20; i++) history.sample(t0 + i * 60_000);
      expect(history.size).to.equal(5);
      expect(history.capacity).to.equal(5);
      const points = history.since(1);
      expect(points.map((p) => p.timestamp)).to.deep.equal([15, 16, 17, 18, 19].map((i) => t0 + i * 60_000));
    });

    it('serves the sampled points through /monitoring/trends and /monitoring/memory', async () => {
      const trends = await h.get('/monitoring/trends?hours=1');
      expect(trends.body.history).to.have.length(5);
      const memory = await h.get('/monitoring/memory?hours=1');
      expect(memory.body).to.have.length(6);
    });
  });

  describe('#since', () => {
    it('selects the points of the last N hours', () => {
      const history = h.app.get(MetricsHistory);
      const now = Date.now();
      history.sample(now - 3 * 3_600_000);
      expect(history.since(1, now).every((p) => p.timestamp >= now - 3_600_000)).to.equal(true);
      expect(history.since(24, now).some((p) => p.timestamp === now - 3 * 3_600_000)).to.equal(true);
    });
  });
});

describe('MetricsHistory (timer)', () => {
  describe('#onModuleInit', () => {
    it("samples on an unref'd timer, cleared when the app closes", async () => {
      const h = await startHarness({ sampleIntervalMillis: 1000, withDatabase: false });
      const history = h.app.get(MetricsHistory);
      const timer = (history as unknown as { timer?: NodeJS.Timeout }).timer;
      expect(timer).to.exist;
      expect(timer!.hasRef()).to.equal(false);
      await new Promise((r) => setTimeout(r, 2300));
      expect(history.size).to.be.at.least(1);
      await h.close();
      expect((history as unknown as { timer?: NodeJS.Timeout }).timer).to.equal(undefined);
    });
  });
});
