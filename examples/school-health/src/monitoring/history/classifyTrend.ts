/** Direction of a figure over a period. */
export type TrendDirection = 'improving' | 'degrading' | 'stable';

/** Result of {@link classifyTrend} for one figure. */
export interface PerformanceTrend {
  /** Name of the figure, e.g. `p95QueryTime`. */
  metric: string;
  trend: TrendDirection;
  /** Mean of the older half of the period. */
  baseline: number;
  /** Mean of the newer half of the period. */
  current: number;
  /** Relative change from baseline to current, in percent (0 when the baseline is 0). */
  changePercent: number;
  /** Number of points the classification is based on. */
  samples: number;
}

/** Options of {@link classifyTrend}. */
export interface ClassifyTrendOptions {
  /** Whether a lower value is better (latencies, error rate) or a higher one (hit rate). */
  lowerIsBetter: boolean;
  /** Relative change below which the figure is stable, in percent. @default 10 */
  thresholdPercent?: number;
  /** Absolute change below which the figure is stable whatever the ratio (avoids 0.1 ms -> 0.2 ms = "+100%"). @default 0 */
  minAbsoluteChange?: number;
  /** Fewer points than this are always stable. @default 4 */
  minSamples?: number;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}

/**
 * Classifies a time series (oldest first) as improving, degrading or stable by
 * comparing the mean of its newer half with the mean of its older half.
 * Non-finite values are ignored. Pure: no clock, no state.
 */
export function classifyTrend(metric: string, series: readonly number[], options: ClassifyTrendOptions): PerformanceTrend {
  const thresholdPercent = options.thresholdPercent ?? 10;
  const minAbsoluteChange = options.minAbsoluteChange ?? 0;
  const minSamples = Math.max(2, options.minSamples ?? 4);
  const values = series.filter((v) => Number.isFinite(v));
  const half = Math.floor(values.length / 2);
  const baseline = mean(values.slice(0, half));
  const current = mean(values.slice(values.length - half));
  const delta = current - baseline;
  const changePercent = baseline === 0 ? 0 : (delta / Math.abs(baseline)) * 100;
  let trend: TrendDirection = 'stable';
  if (values.length >= minSamples && Math.abs(delta) > minAbsoluteChange) {
    const significant = baseline === 0 ? delta !== 0 : Math.abs(changePercent) >= thresholdPercent;
    if (significant) {
      const wentDown = delta < 0;
      trend = wentDown === options.lowerIsBetter ? 'improving' : 'degrading';
    }
  }
  return { metric, trend, baseline: round(baseline), current: round(current), changePercent: round(changePercent), samples: values.length };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
