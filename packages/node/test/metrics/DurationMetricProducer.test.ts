import { expect } from 'chai';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';
import { DB_OPERATION_DURATION_DESCRIPTION, DURATION_BUCKETS_SECONDS, METER_NAME, MetricNames, VERSION } from '@querylens/core';
import { DurationMetricProducer } from '../../src/metrics/DurationMetricProducer';

/** What a Prometheus scrape of /metrics returns. */
function scrape(exporter: PrometheusExporter): Promise<string> {
  return new Promise((resolve) => {
    exporter.getMetricsRequestHandler({} as never, { statusCode: 0, setHeader() {}, end: (body: string) => resolve(body) } as never);
  });
}

const histogramLines = (text: string) => text.split('\n').filter((l) => l.includes('querylens_db_operation_duration')).sort();

describe('DurationMetricProducer', () => {
  const sets: Attributes[] = [
    { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'students' },
    { 'db.system.name': 'postgresql', 'db.operation.name': 'INSERT' },
  ];
  const values = [0, 0.0004, 0.001, 0.003, 0.025, 0.3, 0.75, 1, 1.2, 12];

  it('renders on /metrics exactly as the SDK histogram instrument it replaces', async () => {
    const viaSdk = new PrometheusExporter({ preventServerStart: true });
    const sdkProvider = new MeterProvider({ readers: [viaSdk] });
    const h = sdkProvider.getMeter(METER_NAME, VERSION).createHistogram(MetricNames.DB_OPERATION_DURATION, {
      description: DB_OPERATION_DURATION_DESCRIPTION,
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
    });
    const producer = new DurationMetricProducer();
    const viaProducer = new PrometheusExporter({ preventServerStart: true, metricProducers: [producer] });
    const producerProvider = new MeterProvider({ readers: [viaProducer] });
    values.forEach((v, i) => {
      h.record(v, sets[i % 2]);
      producer.histogram.record(v, sets[i % 2]);
    });
    const expected = histogramLines(await scrape(viaSdk));
    expect(expected.length).to.be.greaterThan(20);
    expect(histogramLines(await scrape(viaProducer))).to.deep.equal(expected);
    await Promise.all([sdkProvider.shutdown(), producerProvider.shutdown()]);
  });

  it('adds nothing to /metrics before the first query', async () => {
    const producer = new DurationMetricProducer();
    const exporter = new PrometheusExporter({ preventServerStart: true, metricProducers: [producer] });
    const provider = new MeterProvider({ readers: [exporter] });
    expect(histogramLines(await scrape(exporter))).to.deep.equal([]);
    producer.histogram.record(0.002, sets[0]);
    expect(histogramLines(await scrape(exporter)).join('\n')).to.match(/querylens_db_operation_duration_count\{[^}]*\} 1/);
    await provider.shutdown();
  });
});
