import type { QueryDistribution, QueryFigures } from '../report/types';
import { QuantileSketch } from './QuantileSketch';

/** Counts, sum, distribution and quantile sketch of a set of query durations (constant memory). */
export class LatencyAccumulator {
  count = 0;
  totalMillis = 0;
  slow = 0;
  maxMillis = 0;
  nPlusOne = 0;
  readonly distribution: QueryDistribution = { fast: 0, medium: 0, slow: 0, verySlow: 0 };
  readonly sketch = new QuantileSketch();

  add(durationMillis: number, isSlow: boolean): void {
    this.count++;
    this.totalMillis += durationMillis;
    if (durationMillis > this.maxMillis) this.maxMillis = durationMillis;
    if (isSlow) this.slow++;
    const d = this.distribution;
    if (durationMillis < 100) d.fast++;
    else if (durationMillis < 500) d.medium++;
    else if (durationMillis <= 1000) d.slow++;
    else d.verySlow++;
    this.sketch.add(durationMillis);
  }

  merge(other: LatencyAccumulator): void {
    this.count += other.count;
    this.totalMillis += other.totalMillis;
    this.slow += other.slow;
    this.nPlusOne += other.nPlusOne;
    if (other.maxMillis > this.maxMillis) this.maxMillis = other.maxMillis;
    const d = this.distribution;
    const o = other.distribution;
    d.fast += o.fast;
    d.medium += o.medium;
    d.slow += o.slow;
    d.verySlow += o.verySlow;
    this.sketch.merge(other.sketch);
  }

  figures(): QueryFigures {
    return {
      totalQueries: this.count,
      slowQueries: this.slow,
      avgQueryTime: this.count ? this.totalMillis / this.count : 0,
      p50QueryTime: this.sketch.quantile(0.5),
      p95QueryTime: this.sketch.quantile(0.95),
      p99QueryTime: this.sketch.quantile(0.99),
      queryDistribution: { ...this.distribution },
    };
  }
}
