import { diag, DiagLogLevel } from '@opentelemetry/api';
import { expect } from 'chai';
import { AlertTracker, MAX_ALERTS } from '../../src/report/AlertTracker';
import type { N1QueryDetection, WindowFigures } from '../../src';

const targets = { p50Millis: 100, p95Millis: 500, p99Millis: 1000, maxNPlusOne: 0, minSampleCount: 10 };

function window(p50: number, p95: number, p99: number, totalQueries = 100, nPlusOneDetections = 0): WindowFigures {
  return {
    totalQueries, slowQueries: 0, avgQueryTime: p50, p50QueryTime: p50, p95QueryTime: p95, p99QueryTime: p99,
    queryDistribution: { fast: 0, medium: 0, slow: 0, verySlow: 0 }, windowMillis: 1000, nPlusOneDetections,
  };
}

const detection: N1QueryDetection = {
  fingerprint: 'f', statement: 'SELECT * FROM t WHERE id = ?', summary: 'SELECT t', parentSpanName: 'GET /t',
  count: 8, totalDurationMillis: 40, firstSeen: '', lastSeen: '',
};

describe('AlertTracker', () => {
  afterEach(() => diag.disable());

  describe('#evaluate', () => {
    it('raises p50/p95 warnings and a p99 critical once while missed, again after recovery', () => {
      const logged: string[] = [];
      diag.setLogger({ error() {}, warn: (m: string) => logged.push(m), info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
      const a = new AlertTracker(targets);
      a.evaluate(window(150, 600, 1200));
      a.evaluate(window(150, 600, 1200));
      expect(a.list().map((x) => [x.metric, x.severity])).to.deep.equal([['p50', 'warning'], ['p95', 'warning'], ['p99', 'critical']]);
      expect(logged).to.have.length(3);
      expect(a.degraded(window(150, 600, 1200))).to.equal(true);
      a.evaluate(window(50, 100, 200));
      expect(a.degraded(window(50, 100, 200))).to.equal(false);
      a.evaluate(window(150, 100, 200));
      expect(a.list()).to.have.length(4);
    });

    it('ignores windows with fewer than minSampleCount queries', () => {
      const a = new AlertTracker(targets);
      a.evaluate(window(5000, 5000, 5000, 9));
      expect(a.list()).to.deep.equal([]);
    });
  });

  describe('#nPlusOne', () => {
    it('raises a critical alert per detection beyond maxNPlusOne, keeping at most MAX_ALERTS', () => {
      const a = new AlertTracker({ ...targets, maxNPlusOne: 1 });
      a.nPlusOne(detection);
      expect(a.list()).to.deep.equal([]);
      for (let i = 0; i < MAX_ALERTS + 5; i++) a.nPlusOne(detection);
      const list = a.list();
      expect(list).to.have.length(MAX_ALERTS);
      expect(list[0]).to.include({ type: 'n_plus_one', severity: 'critical', metric: 'n_plus_one', target: 1 });
      expect(list[0].message).to.include('SELECT * FROM t WHERE id = ?').and.include('8 occurrences');
    });
  });
});
