import { expect } from 'chai';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { context, trace } from '@opentelemetry/api';
import { MetricNames, QueryLensSpanProcessor } from '../../src';
import { harness } from '../helpers/tracing';

/** What a Prometheus scrape of /metrics returns. */
function scrape(exporter: PrometheusExporter): Promise<string> {
  return new Promise((resolve) => {
    exporter.getMetricsRequestHandler({} as any, { statusCode: 0, setHeader() {}, end: (body: string) => resolve(body) } as any);
  });
}

describe('MetricNames', () => {
  it('are rendered by the Prometheus exporter under the names documented in names.ts', async () => {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const meterProvider = new MeterProvider({ readers: [exporter] });
    const ql = new QueryLensSpanProcessor({ slowQueryMillis: 100, meterProvider });
    const h = harness([ql]);
    const tracer = h.provider.getTracer('t');
    const req = tracer.startSpan('GET /students');
    const ctx = trace.setSpan(context.active(), req);
    const t = Date.now();
    for (let i = 0; i < 6; i++) {
      tracer
        .startSpan('pg.query:SELECT test', { startTime: t + i, attributes: { 'db.system.name': 'postgresql', 'db.query.text': `SELECT * FROM guardians WHERE student_id = ${i + 1000}` } }, ctx)
        .end(t + i + (i === 0 ? 300 : 20));
    }
    req.end();
    const text = await scrape(exporter);
    await h.shutdown();
    await meterProvider.shutdown();

    const series = new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.replace(/[{ ].*$/, '')));
    expect([...series].filter((s) => s.startsWith('querylens_')).sort()).to.deep.equal([
      'querylens_db_n_plus_one_total',
      'querylens_db_operation_duration_bucket',
      'querylens_db_operation_duration_count',
      'querylens_db_operation_duration_sum',
      'querylens_db_query_duration_quantile',
      'querylens_db_slow_queries_total',
    ]);
    expect(text).to.include(`# UNIT querylens_db_operation_duration s`);
    const labels = 'db_system_name="postgresql",db_operation_name="SELECT",db_collection_name="guardians",otel_scope_name="@querylens/core",otel_scope_version="0.1.0"';
    expect(text).to.include(`querylens_db_operation_duration_bucket{${labels},le="0.1"} 5`);
    expect(text).to.include(`querylens_db_operation_duration_bucket{${labels},le="0.5"} 6`);
    const p50 = /querylens_db_query_duration_quantile\{quantile="0.5",[^}]*\} ([0-9.e-]+)/.exec(text);
    expect(Number(p50?.[1])).to.be.closeTo(0.02, 0.0002);
    expect(text).to.match(/querylens_db_query_duration_quantile\{quantile="0.99",[^}]*\} [0-9.]+/);
    expect(text).to.match(/querylens_db_slow_queries_total\{[^}]*\} 1/);
    expect(text).to.match(/querylens_db_n_plus_one_total\{[^}]*\} 1/);
    const labelNames = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    for (const n of ['service_name', 'telemetry_sdk_language', 'telemetry_sdk_name', 'telemetry_sdk_version']) labelNames.delete(n);
    expect([...labelNames].sort(), 'no fingerprint, statement or value as a label').to.deep.equal([
      'db_collection_name', 'db_operation_name', 'db_system_name', 'le', 'otel_scope_name', 'otel_scope_version', 'quantile',
    ]);
    expect(text.split('\n').filter((l) => !l.startsWith('#')).join('\n')).not.to.match(/student_id|WHERE|SELECT \*/);
    expect(MetricNames.DB_OPERATION_DURATION).to.equal('querylens.db.operation.duration');
  });
});
