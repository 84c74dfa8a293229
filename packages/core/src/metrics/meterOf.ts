import { metrics } from '@opentelemetry/api';
import type { Meter, MeterProvider } from '@opentelemetry/api';
import { VERSION } from '../version';

/** Instrumentation scope of every querylens metric. */
export const METER_NAME = '@querylens/core';

/** The querylens meter from the given provider, or from the global one. */
export function meterOf(meterProvider?: MeterProvider): Meter {
  return (meterProvider ?? metrics.getMeterProvider()).getMeter(METER_NAME, VERSION);
}

/**
 * Bucket boundaries of `querylens.db.operation.duration`, seconds: fine below the seed's
 * 100 ms target, and an edge at each of its thresholds (0.1, 0.5, 1 s).
 */
export const DURATION_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];
