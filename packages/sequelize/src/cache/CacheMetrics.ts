import { metrics, type Attributes, type Histogram, type MeterProvider } from '@opentelemetry/api';
import { CacheAttributeNames as AttributeNames, CacheMetricNames as MetricNames } from './names';
import type { CacheStats } from './types';
import { VERSION } from '../version';

/** Outcome of one cache-eligible read. */
export type CacheResult = 'hit' | 'miss' | 'bypass' | 'error';

/** Distinct model names tracked per result; further models are counted as `other`. */
const MAX_MODELS = 500;

/**
 * Cache counters. The hot path only increments numbers in a small map (bounded by
 * {@link MAX_MODELS} model names x 4 results); `querylens.cache.requests` is an
 * observable counter read at collection time. The duration histogram records hits and
 * misses directly.
 */
export class CacheMetrics {
  /** Counter cells by model then result; at most MAX_MODELS models (then `other`) x 4 results. */
  private readonly byModel = new Map<string, Map<CacheResult, { attrs: Attributes; n: number }>>();
  private readonly counts: Array<{ attrs: Attributes; n: number }> = [];
  private hits = 0;
  private misses = 0;
  private bypasses = 0;
  private errors = 0;
  private hitMillis = 0;
  private missMillis = 0;
  private readonly duration: Histogram;
  private readonly hitAttrs: Attributes = { [AttributeNames.CACHE_RESULT]: 'hit' };
  private readonly missAttrs: Attributes = { [AttributeNames.CACHE_RESULT]: 'miss' };

  constructor(meterProvider: MeterProvider | undefined, entries: () => number) {
    const meter = (meterProvider ?? metrics.getMeterProvider()).getMeter('@querylens/sequelize', VERSION);
    this.duration = meter.createHistogram(MetricNames.CACHE_DURATION, {
      unit: 's',
      description: 'Duration of a cached read: lookup and rebuild on a hit; lookup, query and store on a miss.',
      advice: { explicitBucketBoundaries: [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] },
    });
    const requests = meter.createObservableCounter(MetricNames.CACHE_REQUESTS, {
      description: 'Cache-eligible reads by result (hit, miss, bypass, error) and model.',
    });
    requests.addCallback((r) => {
      for (const { attrs, n } of this.counts) r.observe(n, attrs);
    });
    const gauge = meter.createObservableGauge(MetricNames.CACHE_ENTRIES, { description: 'Entries held by the cache store (in-process stores only).' });
    gauge.addCallback((r) => {
      const n = entries();
      if (n >= 0) r.observe(n);
    });
  }

  count(result: CacheResult, model: string): void {
    let byResult = this.byModel.get(model);
    if (byResult === undefined) {
      const name = this.byModel.size >= MAX_MODELS ? 'other' : model;
      byResult = this.byModel.get(name);
      if (byResult === undefined) {
        byResult = new Map();
        this.byModel.set(name, byResult);
      }
    }
    let c = byResult.get(result);
    if (c === undefined) {
      c = { attrs: { [AttributeNames.CACHE_RESULT]: result, [AttributeNames.CACHE_MODEL]: byResult === this.byModel.get('other') ? 'other' : model }, n: 0 };
      byResult.set(result, c);
      this.counts.push(c);
    }
    c.n++;
    if (result === 'bypass') this.bypasses++;
    else if (result === 'error') this.errors++;
  }

  hit(model: string, millis: number): void {
    this.count('hit', model);
    this.hits++;
    this.hitMillis += millis;
    this.duration.record(millis / 1000, this.hitAttrs);
  }

  miss(model: string, millis: number): void {
    this.count('miss', model);
    this.misses++;
    this.missMillis += millis;
    this.duration.record(millis / 1000, this.missAttrs);
  }

  stats(entries: number): CacheStats {
    const lookups = this.hits + this.misses;
    return {
      hits: this.hits,
      misses: this.misses,
      bypasses: this.bypasses,
      errors: this.errors,
      hitRate: lookups === 0 ? 0 : this.hits / lookups,
      avgHitMillis: this.hits === 0 ? 0 : this.hitMillis / this.hits,
      avgMissMillis: this.misses === 0 ? 0 : this.missMillis / this.misses,
      entries,
    };
  }
}
