import { expect } from 'chai';
import { NODE_DEFAULTS, readConfigFromEnv, resolveOptions, validateCodeOptions } from '../src/config';

function read(env: Record<string, string>) {
  const warnings: string[] = [];
  const options = readConfigFromEnv(env, (m) => warnings.push(m));
  return { options, warnings, resolved: resolveOptions({}, options, env) };
}

describe('config', () => {
  describe('#readConfigFromEnv', () => {
    it('applies the documented defaults when nothing is set', () => {
      const { warnings, resolved } = read({});
      expect(warnings).to.deep.equal([]);
      expect(resolved.core.slowQueryMillis).to.equal(1000);
      expect(resolved.core.nPlusOneThreshold).to.equal(5);
      expect(resolved.core.nPlusOneWindowMillis).to.equal(1000);
      expect(resolved.core.nPlusOneMinTotalMillis).to.equal(0);
      expect(resolved.core.targets).to.deep.equal({ p50Millis: 100, p95Millis: 500, p99Millis: 1000, maxNPlusOne: 0 });
      expect(resolved.tracesExporters).to.deep.equal(['otlp']);
      expect(resolved.metricsExporters).to.deep.equal(['prometheus']);
      expect(resolved.prometheusHost).to.equal('0.0.0.0');
      expect(resolved.prometheusPort).to.equal(9464);
      expect(resolved.shutdownTimeoutMillis).to.equal(NODE_DEFAULTS.shutdownTimeoutMillis);
      expect(resolved.ignoreIncomingPaths).to.deep.equal(['/health', '/monitoring/health', '/metrics']);
      expect(resolved.logsRequested).to.equal(false);
      expect(resolved.esmHook).to.equal('auto');
      expect(resolved.fastInstrumentationMetrics).to.equal(true);
    });

    it('reads every QUERYLENS_* and OTEL_* value it documents', () => {
      const { warnings, resolved } = read({
        QUERYLENS_SLOW_QUERY_MS: '250',
        QUERYLENS_N_PLUS_ONE_THRESHOLD: '3',
        QUERYLENS_N_PLUS_ONE_WINDOW_MS: '2000',
        QUERYLENS_N_PLUS_ONE_MIN_TOTAL_MS: '5',
        QUERYLENS_N_PLUS_ONE_ALLOW_LIST: 'fp1, fp2',
        QUERYLENS_TARGET_P50_MS: '50',
        QUERYLENS_TARGET_P95_MS: '200',
        QUERYLENS_TARGET_P99_MS: '400',
        QUERYLENS_TARGET_MAX_N_PLUS_ONE: '2',
        QUERYLENS_REDACT_ATTRIBUTES: 'enduser.id,user.email',
        QUERYLENS_HASH_ATTRIBUTES: 'student.id',
        QUERYLENS_TOP_QUERIES_LIMIT: '50',
        QUERYLENS_REPORT_WINDOW_MS: '60000',
        QUERYLENS_SHUTDOWN_TIMEOUT_MS: '700',
        QUERYLENS_HANDLE_SIGNALS: 'false',
        QUERYLENS_IGNORE_PATHS: '/live,/ready',
        QUERYLENS_RUNTIME_METRICS: 'off',
        QUERYLENS_FAST_INSTRUMENTATION_METRICS: 'false',
        OTEL_SERVICE_NAME: 'svc',
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_METRICS_EXPORTER: 'prometheus,otlp',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: '9999',
        OTEL_BSP_MAX_QUEUE_SIZE: '100',
        OTEL_METRIC_EXPORT_INTERVAL: '15000',
        OTEL_LOGS_EXPORTER: 'otlp',
      });
      expect(warnings).to.deep.equal([]);
      expect(resolved.core).to.include({ slowQueryMillis: 250, nPlusOneThreshold: 3, nPlusOneWindowMillis: 2000, nPlusOneMinTotalMillis: 5 });
      expect(resolved.core.nPlusOneAllowList).to.deep.equal(['fp1', 'fp2']);
      expect(resolved.core.targets).to.deep.equal({ p50Millis: 50, p95Millis: 200, p99Millis: 400, maxNPlusOne: 2 });
      expect(resolved.core.redactAttributes).to.deep.equal(['enduser.id', 'user.email']);
      expect(resolved.core.hashAttributes).to.deep.equal(['student.id']);
      expect(resolved.core).to.include({ topQueriesLimit: 50, reportWindowMillis: 60000 });
      expect(resolved.metricExportIntervalMillis).to.equal(15000);
      expect(resolved).to.include({ serviceName: 'svc', prometheusHost: '127.0.0.1', prometheusPort: 9999, maxQueueSize: 100 });
      expect(resolved).to.include({ shutdownTimeoutMillis: 700, handleSignals: false, runtimeMetrics: false, logsRequested: true });
      expect(resolved.fastInstrumentationMetrics).to.equal(false);
      expect(resolved.tracesExporters).to.deep.equal(['console']);
      expect(resolved.metricsExporters).to.deep.equal(['prometheus', 'otlp']);
      expect(resolved.ignoreIncomingPaths).to.deep.equal(['/live', '/ready']);
    });

    const bad: Array<[string, string, string]> = [
      ['QUERYLENS_SLOW_QUERY_MS', 'abc', 'slowQueryMillis'],
      ['QUERYLENS_SLOW_QUERY_MS', '-5', 'slowQueryMillis'],
      ['QUERYLENS_N_PLUS_ONE_THRESHOLD', '-1', 'nPlusOneThreshold'],
      ['QUERYLENS_N_PLUS_ONE_THRESHOLD', '2.5', 'nPlusOneThreshold'],
      ['QUERYLENS_N_PLUS_ONE_WINDOW_MS', 'Infinity', 'nPlusOneWindowMillis'],
      ['QUERYLENS_TARGET_P95_MS', '1e999', 'targets'],
    ];
    for (const [name, value, option] of bad) {
      it(`warns naming ${name} and falls back to the default for ${JSON.stringify(value)}`, () => {
        const { warnings, resolved } = read({ [name]: value });
        expect(warnings).to.have.length(1);
        expect(warnings[0]).to.contain(name).and.contain('default');
        const defaults = resolveOptions({}, {}, {});
        expect((resolved.core as Record<string, unknown>)[option]).to.deep.equal((defaults.core as Record<string, unknown>)[option]);
      });
    }

    it('drops an unknown exporter with a warning and keeps the known ones', () => {
      const { warnings, resolved } = read({ OTEL_TRACES_EXPORTER: 'zipkin,console' });
      expect(warnings.join('\n')).to.contain('OTEL_TRACES_EXPORTER').and.contain('zipkin');
      expect(resolved.tracesExporters).to.deep.equal(['console']);
    });

    it('falls back to the default exporter when none named is known', () => {
      const { warnings, resolved } = read({ OTEL_METRICS_EXPORTER: 'statsd' });
      expect(warnings.join('\n')).to.contain('OTEL_METRICS_EXPORTER');
      expect(resolved.metricsExporters).to.deep.equal(['prometheus']);
    });

    it('turns "none" into no exporter', () => {
      const { resolved } = read({ OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' });
      expect(resolved.tracesExporters).to.deep.equal([]);
      expect(resolved.metricsExporters).to.deep.equal([]);
    });

    it('warns that only the http/protobuf OTLP protocol is supported', () => {
      const { warnings } = read({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' });
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain('OTEL_EXPORTER_OTLP_PROTOCOL').and.contain('http/protobuf');
    });

    it('rejects a port out of range and a bad boolean', () => {
      const { warnings, resolved } = read({ OTEL_EXPORTER_PROMETHEUS_PORT: '70000', QUERYLENS_HANDLE_SIGNALS: 'maybe', QUERYLENS_FAST_INSTRUMENTATION_METRICS: 'fast' });
      expect(warnings.join('\n')).to.contain('OTEL_EXPORTER_PROMETHEUS_PORT').and.contain('QUERYLENS_HANDLE_SIGNALS').and.contain('QUERYLENS_FAST_INSTRUMENTATION_METRICS');
      expect(resolved.prometheusPort).to.equal(9464);
      expect(resolved.handleSignals).to.equal(true);
      expect(resolved.fastInstrumentationMetrics).to.equal(true);
    });

    it('reads QUERYLENS_ESM_HOOK as true, false or auto, and warns on anything else', () => {
      expect(read({ QUERYLENS_ESM_HOOK: 'AUTO' }).resolved.esmHook).to.equal('auto');
      expect(read({ QUERYLENS_ESM_HOOK: 'on' }).resolved.esmHook).to.equal(true);
      expect(read({ QUERYLENS_ESM_HOOK: 'false' }).resolved.esmHook).to.equal(false);
      const { warnings, resolved } = read({ QUERYLENS_ESM_HOOK: 'sometimes' });
      expect(resolved.esmHook).to.equal('auto');
      expect(warnings).to.deep.equal(['QUERYLENS_ESM_HOOK="sometimes" is not a boolean (true/false/auto); using the default auto']);
    });
  });

  describe('#resolveOptions', () => {
    it('lets code options win over the environment', () => {
      const env = { QUERYLENS_SLOW_QUERY_MS: '250', QUERYLENS_TARGET_P50_MS: '10', QUERYLENS_TARGET_P99_MS: '900' };
      const fromEnv = readConfigFromEnv(env, () => undefined);
      const r = resolveOptions({ slowQueryMillis: 42, targets: { p50Millis: 7 } }, fromEnv, env);
      expect(r.core.slowQueryMillis).to.equal(42);
      expect(r.core.targets).to.deep.equal({ p50Millis: 7, p95Millis: 500, p99Millis: 900, maxNPlusOne: 0 });
    });

    it('passes every other core option through to the processor, and no node-only option', () => {
      const r = resolveOptions({ slowQueryStackTraces: 'off', hashSecret: 'k', maxTrackedParents: 10, prometheusPort: 9999 }, {}, {});
      expect(r.core).to.include({ slowQueryStackTraces: 'off', hashSecret: 'k', maxTrackedParents: 10 });
      expect(r.core).not.to.have.property('prometheusPort');
      expect(r.prometheusPort).to.equal(9999);
    });
  });

  describe('#validateCodeOptions', () => {
    it('throws an Error naming the option', () => {
      expect(() => validateCodeOptions({ slowQueryMillis: -1 })).to.throw(/slowQueryMillis/);
      expect(() => validateCodeOptions({ nPlusOneThreshold: 1 })).to.throw(/nPlusOneThreshold/);
      expect(() => validateCodeOptions({ targets: { p95Millis: Number.NaN } })).to.throw(/targets\.p95Millis/);
      expect(() => validateCodeOptions({ tracesExporters: ['jaeger' as never] })).to.throw(/tracesExporters/);
      expect(() => validateCodeOptions({ prometheusPort: 70000 })).to.throw(/prometheusPort/);
      expect(() => validateCodeOptions({ esmHook: 'yes' as never })).to.throw(/esmHook must be true, false or 'auto'/);
    });

    it('accepts valid options', () => {
      expect(() => validateCodeOptions({ slowQueryMillis: 0, nPlusOneThreshold: 2, tracesExporters: ['console'] })).not.to.throw();
      for (const esmHook of [true, false, 'auto'] as const) expect(() => validateCodeOptions({ esmHook })).not.to.throw();
    });
  });
});
