import { expect } from 'chai';
import { monitoringOptionsFromEnv, resolveMonitoringOptions } from '../../src/monitoring/monitoring.options';

describe('MonitoringOptions', () => {
  describe('#resolveMonitoringOptions', () => {
    it('applies the seed defaults', () => {
      const o = resolveMonitoringOptions();
      expect(o).to.include({ token: '', sampleIntervalMillis: 60_000, historySize: 1440, maxRoutes: 200 });
      expect(o.targets).to.include({ p50Millis: 100, p95Millis: 500, p99Millis: 1000, minCacheHitRate: 0.8, maxPoolUtilizationPercent: 80 });
    });

    for (const [name, opts, re] of [
      ['historySize 0', { historySize: 0 }, /historySize/],
      ['sampleIntervalMillis 1.5', { sampleIntervalMillis: 1.5 }, /sampleIntervalMillis/],
      ['maxRoutes -1', { maxRoutes: -1 }, /maxRoutes/],
      ['a negative target', { targets: { p50Millis: -1 } }, /targets\.p50Millis/],
    ] as const) {
      it(`throws an error naming the option on ${name}`, () => {
        expect(() => resolveMonitoringOptions(opts as never)).to.throw(re);
      });
    }
  });

  describe('#monitoringOptionsFromEnv', () => {
    it('reads MONITORING_TOKEN and MONITORING_SAMPLE_INTERVAL_MS', () => {
      const o = monitoringOptionsFromEnv({ MONITORING_TOKEN: 'secret-token-secret', MONITORING_SAMPLE_INTERVAL_MS: '5000' });
      expect(o.token).to.equal('secret-token-secret');
      expect(o.sampleIntervalMillis).to.equal(5000);
    });

    it('falls back to the default interval on a bad value instead of failing the app', () => {
      expect(monitoringOptionsFromEnv({ MONITORING_SAMPLE_INTERVAL_MS: 'soon' }).sampleIntervalMillis).to.equal(60_000);
      expect(monitoringOptionsFromEnv({ MONITORING_SAMPLE_INTERVAL_MS: '10' }).sampleIntervalMillis).to.equal(60_000);
    });
  });
});
