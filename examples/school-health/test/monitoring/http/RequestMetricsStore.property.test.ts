import { expect } from 'chai';
import fc from 'fast-check';
import { RequestMetricsStore } from '../../../src/monitoring/http/RequestMetricsStore';

describe('RequestMetricsStore (properties)', () => {
  it('stays within maxRoutes + 1 keys and keeps exact totals for any traffic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.constantFrom('GET', 'POST', 'PUT'), fc.string({ maxLength: 12 }), fc.integer({ min: 100, max: 599 }), fc.double({ min: -10, max: 1e5 })), { maxLength: 300 }),
        (maxRoutes, requests) => {
          const s = new RequestMetricsStore({ maxRoutes, recentDurations: 8 });
          for (const [m, r, status, d] of requests) s.record(m, `/${r}`, status, d);
          expect(s.routeCount).to.be.at.most(maxRoutes + 1);
          const rows = s.list();
          expect(rows.reduce((n, x) => n + x.count, 0)).to.equal(requests.length);
          expect(s.totals().total).to.equal(requests.length);
          expect(rows.reduce((n, x) => n + x.errorCount, 0)).to.equal(requests.filter(([, , st]) => st >= 500).length);
        },
      ),
    );
  });
});
