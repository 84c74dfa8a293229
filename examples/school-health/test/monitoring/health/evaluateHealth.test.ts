import { expect } from 'chai';
import { DEFAULT_HEALTH_TARGETS, evaluateHealth } from '../../../src/monitoring/health/evaluateHealth';

const good = {
  totalQueries: 100, p50QueryTime: 20, p95QueryTime: 80, p99QueryTime: 300,
  nPlusOneDetections: 0, cacheHitRate: 0.9, cacheLookups: 100, poolUtilizationPercent: 40,
};

describe('evaluateHealth', () => {
  it('is healthy when every figure meets its target', () => {
    const r = evaluateHealth(good);
    expect(r.status).to.equal('healthy');
    expect(r.reasons).to.deep.equal([]);
    for (const c of Object.values(r.checks)) expect(c.status).to.equal('pass');
  });

  const failing: [string, Partial<typeof good>, RegExp][] = [
    ['p50 at 100ms (target < 100ms)', { p50QueryTime: 100 }, /P50 query time 100ms exceeds target < 100ms/],
    ['p95 over 500ms', { p95QueryTime: 520 }, /P95 query time 520ms exceeds/],
    ['p99 over 1000ms', { p99QueryTime: 1200 }, /P99 query time 1200ms exceeds/],
    ['an N+1 detection', { nPlusOneDetections: 2 }, /2 N\+1 query pattern/],
    ['cache hit rate 80% (target > 80%)', { cacheHitRate: 0.8 }, /cache hit rate 80% is below target > 80%/],
    ['pool utilization 85%', { poolUtilizationPercent: 85 }, /pool utilization 85% exceeds target < 80%/],
  ];
  for (const [name, patch, reason] of failing) {
    it(`is degraded with a reason on ${name}`, () => {
      const r = evaluateHealth({ ...good, ...patch });
      expect(r.status).to.equal('degraded');
      expect(r.reasons).to.have.length(1);
      expect(r.reasons[0]).to.match(reason);
    });
  }

  it('lists every failed check as a reason', () => {
    const r = evaluateHealth({ ...good, p99QueryTime: 5000, nPlusOneDetections: 1, poolUtilizationPercent: 99 });
    expect(r.reasons).to.have.length(3);
  });

  it('does not judge what it has no data for (no queries, few cache lookups, no pool)', () => {
    const r = evaluateHealth({ totalQueries: 0, p50QueryTime: 0, cacheHitRate: 0, cacheLookups: 3 });
    expect(r.status).to.equal('healthy');
    expect(r.checks.p50QueryTime.status).to.equal('unknown');
    expect(r.checks.cacheHitRate.status).to.equal('unknown');
    expect(r.checks.poolUtilization.status).to.equal('unknown');
    expect(r.checks.nPlusOne.status).to.equal('unknown');
  });

  it('uses custom targets', () => {
    const r = evaluateHealth({ ...good, p50QueryTime: 150 }, { ...DEFAULT_HEALTH_TARGETS, p50Millis: 200 });
    expect(r.status).to.equal('healthy');
  });
});

describe('evaluateHealth (formatting)', () => {
  it('rounds values in checks and messages to 2 decimals', () => {
    const r = evaluateHealth({ ...good, p50QueryTime: 10.913817739716958 });
    expect(r.checks.p50QueryTime.value).to.equal(10.91);
    expect(r.checks.p50QueryTime.message).to.equal('P50 query time 10.91ms is within target < 100ms');
  });
});
