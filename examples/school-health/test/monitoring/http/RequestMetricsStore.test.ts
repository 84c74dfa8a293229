import { expect } from 'chai';
import { OVERFLOW_ROUTE, RequestMetricsStore } from '../../../src/monitoring/http/RequestMetricsStore';

describe('RequestMetricsStore', () => {
  describe('#constructor', () => {
    it('throws an error naming the option', () => {
      expect(() => new RequestMetricsStore({ maxRoutes: 0 })).to.throw(/maxRoutes/);
      expect(() => new RequestMetricsStore({ recentDurations: 1.5 })).to.throw(/recentDurations/);
    });
  });

  describe('#record', () => {
    it('aggregates per method and route template', () => {
      const s = new RequestMetricsStore();
      s.record('GET', '/students/:id', 200, 10);
      s.record('GET', '/students/:id', 200, 30);
      s.record('GET', '/students/:id', 503, 20);
      s.record('POST', '/students', 201, 5);
      const [row] = s.list({ endpoint: '/students/:id', method: 'GET' });
      expect(row).to.include({ count: 3, avgDuration: 20, minDuration: 10, maxDuration: 30, errorCount: 1 });
      expect(row.errorRate).to.equal(0.3333);
      expect(row.statusCodes).to.deep.equal({ '2xx': 2, '5xx': 1 });
      expect(row.p50Duration).to.equal(20);
      expect(row.p99Duration).to.equal(30);
      expect(s.list()).to.have.length(2);
    });

    it('never holds more than maxRoutes keys plus one overflow key', () => {
      const s = new RequestMetricsStore({ maxRoutes: 10 });
      for (let i = 0; i < 1000; i++) s.record('GET', `/r${i}`, 200, 1);
      expect(s.routeCount).to.equal(11);
      const overflow = s.list({ endpoint: OVERFLOW_ROUTE });
      expect(overflow[0].count).to.equal(990);
      expect(s.totals().total).to.equal(1000);
    });

    it('keeps a bounded ring of recent durations per route', () => {
      const s = new RequestMetricsStore({ recentDurations: 4 });
      for (const d of [1000, 1000, 1000, 1000, 1, 1, 1, 1]) s.record('GET', '/x', 200, d);
      const [row] = s.list();
      expect(row.p99Duration).to.equal(1);
      expect(row.maxDuration).to.equal(1000);
    });

    it('treats a negative or non-finite duration as 0', () => {
      const s = new RequestMetricsStore();
      s.record('GET', '/x', 200, NaN);
      s.record('GET', '/x', 200, -5);
      expect(s.list()[0].maxDuration).to.equal(0);
    });
  });

  describe('#totals', () => {
    it('computes requests per second over the last minute with an injected clock', () => {
      let now = 1_000_000;
      const s = new RequestMetricsStore({ now: () => now });
      now += 60_000;
      for (let i = 0; i < 120; i++) s.record('GET', '/x', i % 10 === 0 ? 500 : i % 10 === 1 ? 404 : 200, 10);
      const t = s.totals();
      expect(t.total).to.equal(120);
      expect(t.perSecond).to.equal(2);
      expect(t.errorRate).to.equal(0.1);
      expect(t.clientErrorRate).to.equal(0.1);
      expect(t.avgDuration).to.equal(10);
      now += 120_000;
      expect(s.totals().perSecond).to.equal(0);
    });
  });
});
