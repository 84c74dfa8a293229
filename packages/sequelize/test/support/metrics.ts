import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';

/** A pull reader for tests: `collect()` returns the current metrics. */
export class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}
