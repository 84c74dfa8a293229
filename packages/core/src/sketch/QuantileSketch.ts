import { LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';

/** Relative accuracy of every quantile querylens reports: 1%. */
export const RELATIVE_ACCURACY = 0.01;
/**
 * Maximum bins per sketch. With 1% accuracy, 2048 bins span 18 orders of magnitude
 * (1 ns to 10^9 s), so nothing real collapses, and memory is constant per sketch.
 */
export const BIN_LIMIT = 2048;

/**
 * A DDSketch (relative-error quantile sketch) of durations in milliseconds: quantiles within
 * 1% of the true value, constant memory (at most {@link BIN_LIMIT} bins), mergeable.
 */
export class QuantileSketch {
  private sketch = new LogCollapsingLowestDenseDDSketch({ relativeAccuracy: RELATIVE_ACCURACY, binLimit: BIN_LIMIT });

  get count(): number {
    return this.sketch.count;
  }

  add(valueMillis: number): void {
    this.sketch.accept(valueMillis > 0 && Number.isFinite(valueMillis) ? valueMillis : 0);
  }

  /** Quantile in milliseconds (0 when empty). */
  quantile(q: number): number {
    if (this.sketch.count === 0) return 0;
    const v = this.sketch.getValueAtQuantile(q);
    return Number.isFinite(v) && v > 0 ? v : 0;
  }

  merge(other: QuantileSketch): void {
    if (other.sketch.count > 0) this.sketch.merge(other.sketch);
  }
}
