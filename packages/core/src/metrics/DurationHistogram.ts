import type { Attributes } from '@opentelemetry/api';
import { DURATION_BUCKETS_SECONDS } from './meterOf';

/** Where a {@link QueryStatsSpanProcessor} sends each query duration instead of a histogram of its meter. */
export interface DurationRecorder {
  /** One query of `seconds`, with its metric attributes (the same object for the same set: see {@link DbMetricAttributes}). */
  record(seconds: number, attributes: Attributes): void;
  /** Registers what to run before the recorded values are read (the processor folds its pending queries in). */
  beforeRead?(settle: () => void): void;
}

/** One attribute set of a {@link DurationHistogram}: cumulative since the histogram was created. */
export interface DurationSeries {
  readonly attributes: Attributes;
  /** counts[i]: durations <= boundaries[i] and > boundaries[i - 1]; the last one: above every boundary. */
  readonly counts: number[];
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** Attribute set of the series that takes every new attribute set once the cap is reached (OpenTelemetry's convention). */
export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/**
 * A cumulative explicit-bucket histogram of query durations per attribute set, the same
 * aggregation the OpenTelemetry SDK does for a histogram instrument (bucket i holds values
 * in (boundaries[i-1], boundaries[i]], plus count, sum, min, max), at a fraction of its cost
 * per measurement: the SDK serializes the attributes to a string key on every `record`
 * (about 1.5 µs per query here), this looks the attribute object up by identity, which
 * {@link DbMetricAttributes} makes stable (and by content only the first time an object is seen). Read by a MetricProducer (`@querylens/node`
 * registers one on its metric readers).
 *
 * Bounded: at most `maxSeries` attribute sets (default 2000, the SDK's cardinality limit);
 * further sets are counted in the {@link OVERFLOW_ATTRIBUTES} series.
 */
export class DurationHistogram implements DurationRecorder {
  readonly startTimeMillis = Date.now();
  /** Series by attribute-object identity (the fast path). */
  private readonly byObject = new Map<Attributes, DurationSeries>();
  /** Series by attribute content: equal sets given as different objects share one series. */
  private readonly byContent = new Map<string, DurationSeries>();
  private readonly settles: Array<() => void> = [];

  constructor(
    readonly boundaries: readonly number[] = DURATION_BUCKETS_SECONDS,
    private readonly maxSeries = 2000,
  ) {}

  record(seconds: number, attributes: Attributes): void {
    if (!(seconds >= 0) || seconds === Infinity) return; // NaN, negative, infinite: not a duration
    let s = this.byObject.get(attributes);
    if (s === undefined) s = this.find(attributes);
    s.count++;
    s.sum += seconds;
    if (seconds < s.min) s.min = seconds;
    if (seconds > s.max) s.max = seconds;
    const b = this.boundaries;
    let i = 0;
    while (i < b.length && seconds > b[i]) i++;
    s.counts[i]++;
  }

  /** The series recorded so far (live objects: read them synchronously), after the registered settles ran. */
  snapshot(): DurationSeries[] {
    for (const settle of this.settles) {
      try {
        settle();
      } catch {
        // a settle never throws by contract; a reader must not fail over one anyway
      }
    }
    return [...this.byContent.values()];
  }

  beforeRead(settle: () => void): void {
    if (this.settles.length < 16) this.settles.push(settle);
  }

  private find(attributes: Attributes): DurationSeries {
    const key = contentKey(attributes);
    let s = this.byContent.get(key);
    if (s === undefined) {
      if (this.byContent.size >= this.maxSeries) {
        const overflow = contentKey(OVERFLOW_ATTRIBUTES);
        s = this.byContent.get(overflow);
        if (s === undefined) {
          s = newSeries(OVERFLOW_ATTRIBUTES, this.boundaries.length);
          this.byContent.set(overflow, s);
        }
      } else {
        s = newSeries({ ...attributes }, this.boundaries.length);
        this.byContent.set(key, s);
      }
    }
    // A caller creating a new object per call would grow this map: start it over instead.
    if (this.byObject.size >= 4 * this.maxSeries) this.byObject.clear();
    this.byObject.set(attributes, s);
    return s;
  }
}

function newSeries(attributes: Attributes, boundaries: number): DurationSeries {
  return { attributes, counts: new Array<number>(boundaries + 1).fill(0), count: 0, sum: 0, min: Infinity, max: -Infinity };
}

function contentKey(attributes: Attributes): string {
  return JSON.stringify(Object.keys(attributes).sort().map((k) => [k, attributes[k]]));
}
