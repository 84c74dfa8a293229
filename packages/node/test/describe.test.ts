import { expect } from 'chai';
import { resolveOptions } from '../src/config';
import { describeStart, safeUrl } from '../src/describe';

describe('describe', () => {
  describe('#safeUrl', () => {
    const cases: Array<[string, string]> = [
      ['otlp http://collector:4318/v1/traces', 'otlp http://collector:4318/v1/traces'],
      ['otlp https://user:s3cret@collector:4318/v1/traces', 'otlp https://collector:4318/v1/traces'],
      ['otlp https://token@collector/v1/traces', 'otlp https://collector/v1/traces'],
    ];
    for (const [input, expected] of cases) {
      it(`turns ${JSON.stringify(input)} into ${JSON.stringify(expected)}`, () => {
        expect(safeUrl(input)).to.equal(expected);
      });
    }
  });

  describe('#describeStart', () => {
    it('names exporters, endpoints and thresholds on one line, without credentials', () => {
      const o = resolveOptions({ slowQueryMillis: 250 }, {}, {});
      const line = describeStart(o, ['otlp https://u:p@c:4318/v1/traces'], ['prometheus http://0.0.0.0:9464/metrics'], ['http', 'pg'], {
        OTEL_SERVICE_NAME: 'api',
      });
      expect(line).not.to.contain('\n');
      expect(line).to.contain('service=api');
      expect(line).to.contain('traces=[otlp https://c:4318/v1/traces]');
      expect(line).to.contain('metrics=[prometheus http://0.0.0.0:9464/metrics]');
      expect(line).to.contain('slowQueryMillis=250');
      expect(line).to.contain('targets=p50<100ms p95<500ms p99<1000ms');
      expect(line).not.to.contain('u:p');
      expect(line).to.contain('instrumentationMetrics=fast');
    });

    it('says when the instrumentations record through the SDK meter', () => {
      const line = (o: Parameters<typeof resolveOptions>[0], env: Record<string, string> = {}) => describeStart(resolveOptions(o, {}, env), [], [], [], {});
      expect(line({ fastInstrumentationMetrics: false })).to.contain('instrumentationMetrics=sdk');
      expect(line({ metricsExporters: ['none'] })).to.contain('instrumentationMetrics=sdk');
      // the fast path is cumulative only: an OTLP exporter asking for delta gets the SDK's meter
      for (const preference of ['delta', 'LowMemory']) {
        expect(line({ metricsExporters: ['prometheus', 'otlp'] }, { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: preference })).to.contain('instrumentationMetrics=sdk');
      }
      expect(line({ metricsExporters: ['prometheus', 'otlp'] }, { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'cumulative' })).to.contain('instrumentationMetrics=fast');
      expect(line({ metricsExporters: ['prometheus'] }, { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta' })).to.contain('instrumentationMetrics=fast');
    });
  });
});
