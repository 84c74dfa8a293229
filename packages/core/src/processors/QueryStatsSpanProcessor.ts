import type { Context, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import { globalErrorHandler } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { DbMetricAttributes } from '../metrics/DbMetricAttributes';
import { DURATION_BUCKETS_SECONDS, meterOf } from '../metrics/meterOf';
import type { DurationRecorder } from '../metrics/DurationHistogram';
import { DB_OPERATION_DURATION_DESCRIPTION, MetricNames } from '../metrics/names';
import type { QueryStats, WindowFigures } from '../report/types';
import { LatencyAccumulator } from '../sketch/LatencyAccumulator';
import { WindowedLatency } from '../sketch/WindowedLatency';
import type { QueryLensOptions } from '../types';
import { BoundedMap } from '../util/BoundedMap';
import { dbSystemOf, durationMillis, endMillis, hasStatement, isDbSpan } from '../util/spanAttributes';
import { isCountedByParent, recordLineage } from './lineage';
import { clipStatement, queryInfoOf } from './queryInfo';
import type { QueryInfo } from './queryInfo';
import { resolveOptions } from './resolveOptions';
import type { ResolvedOptions } from './resolveOptions';

interface FingerprintEntry {
  fingerprint: string;
  statement: string;
  summary: string;
  acc: LatencyAccumulator;
  firstSeenMillis: number;
  lastSeenMillis: number;
}

/** Queries folded into the statistics at once (see {@link QueryStatsSpanProcessor.fold}). */
export const PENDING_BATCH = 256;

const QUANTILES: Array<[number, { quantile: string }]> = [
  [0.5, { quantile: '0.5' }],
  [0.95, { quantile: '0.95' }],
  [0.99, { quantile: '0.99' }],
];

/**
 * Per-fingerprint and global query statistics, from DB spans with a statement: count, total,
 * mean, max, and p50/p95/p99 from DDSketches (at most 1% relative error, constant memory per
 * sketch); the seed's latency distribution; a sliding window of `reportWindowMillis`.
 *
 * Metrics: histogram `querylens.db.operation.duration` (seconds, attributes
 * `db.system.name`, `db.operation.name`, `db.collection.name` only; recorded into the
 * `durationRecorder` option when given, else into a histogram of the meter) and observable gauge
 * `querylens.db.query.duration.quantile` (seconds, attribute `quantile`, over the window).
 *
 * Memory: at most `topQueriesLimit` fingerprints (LRU by last use: the least recently seen
 * fingerprint is evicted), 10 window sketches and one of what rotated out of the window (the
 * totals since start), and at most
 * {@link PENDING_BATCH} ended queries waiting to be folded in (every read folds them first).
 */
export class QueryStatsSpanProcessor implements SpanProcessor {
  private readonly options: ResolvedOptions;
  private readonly histogram: DurationRecorder;
  private readonly gauge: ObservableGauge;
  private readonly metricAttributes = new DbMetricAttributes();
  private readonly observe = (result: ObservableResult): void => this.observeQuantiles(result);
  private readonly window: WindowedLatency;
  private fingerprints: BoundedMap<string, FingerprintEntry>;
  private isShutdown = false;
  /** Queries ended but not yet folded into the statistics (see {@link fold}). */
  private pendingCount = 0;
  private readonly pendingInfo: QueryInfo[] = [];
  private readonly pendingSystem: string[] = [];
  private readonly pendingDuration = new Float64Array(PENDING_BATCH);
  private readonly pendingEnd = new Float64Array(PENDING_BATCH);

  constructor(options?: QueryLensOptions) {
    this.options = resolveOptions(options);
    const meter = meterOf(this.options.meterProvider);
    this.histogram =
      this.options.durationRecorder ??
      meter.createHistogram(MetricNames.DB_OPERATION_DURATION, {
        description: DB_OPERATION_DURATION_DESCRIPTION,
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
      });
    this.gauge = meter.createObservableGauge(MetricNames.DB_QUERY_DURATION_QUANTILE, {
      description: 'Query duration quantiles over the last reportWindowMillis (DDSketch, 1% relative error)',
      unit: 's',
    });
    this.gauge.addCallback(this.observe);
    // a recorder read by a metric producer folds the pending queries in before each collection
    this.options.durationRecorder?.beforeRead?.(() => this.settle());
    this.window = new WindowedLatency(this.options.reportWindowMillis);
    this.fingerprints = new BoundedMap(this.options.topQueriesLimit);
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      if (!this.isShutdown && isDbSpan(span.attributes)) recordLineage(span, parentContext);
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  onEnd(span: ReadableSpan): void {
    try {
      if (this.isShutdown) return;
      const attributes = span.attributes;
      if (!hasStatement(attributes) || isCountedByParent(span)) return;
      const info = queryInfoOf(span, this.options.sanitize);
      if (info === undefined) return;
      const i = this.pendingCount;
      this.pendingInfo[i] = info;
      this.pendingSystem[i] = dbSystemOf(attributes);
      this.pendingDuration[i] = durationMillis(span);
      this.pendingEnd[i] = endMillis(span);
      this.pendingCount = i + 1;
      if (i + 1 === PENDING_BATCH) this.fold();
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  /**
   * Folds the pending queries into the statistics and the duration metric, in end order.
   * Done in batches of {@link PENDING_BATCH} (and before anything reads the statistics): the
   * sketches and maps stay hot in the CPU cache, where one query at a time between two spans
   * of a request found them cold (measured in a profile of the register under load).
   */
  private fold(): void {
    const n = this.pendingCount;
    this.pendingCount = 0; // first: a query that makes the fold throw is dropped, not retried forever
    const slowMillis = this.options.slowQueryMillis;
    for (let i = 0; i < n; i++) {
      const info = this.pendingInfo[i];
      const d = this.pendingDuration[i];
      const now = this.pendingEnd[i];
      const slow = d > slowMillis;
      this.window.add(now, d, slow);
      let entry = this.fingerprints.touch(info.fingerprint);
      if (entry === undefined) {
        entry = {
          fingerprint: info.fingerprint,
          statement: clipStatement(info.text),
          summary: info.summary,
          acc: new LatencyAccumulator(),
          firstSeenMillis: now,
          lastSeenMillis: now,
        };
        this.fingerprints.set(info.fingerprint, entry);
      }
      entry.lastSeenMillis = now;
      entry.acc.add(d, slow);
      this.histogram.record(d / 1000, this.metricAttributes.of(this.pendingSystem[i], info));
    }
  }

  /** Folds what is pending; never throws (a reader must not fail over one bad query). */
  private settle(): void {
    if (this.pendingCount === 0) return;
    try {
      this.fold();
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  /** Counts one N+1 detection in the window (called by {@link QueryLensSpanProcessor}). */
  countNPlusOne(nowMillis = Date.now()): void {
    this.window.addNPlusOne(nowMillis);
  }

  /** Totals since start (or the last {@link reset}). */
  totals(): LatencyAccumulator {
    this.settle();
    return this.window.total();
  }

  /** The figures over the last `reportWindowMillis`. */
  windowFigures(nowMillis = Date.now()): WindowFigures {
    this.settle();
    const acc = this.window.snapshot(nowMillis);
    return { ...acc.figures(), windowMillis: this.options.reportWindowMillis, nPlusOneDetections: acc.nPlusOne };
  }

  /** The `limit` heaviest fingerprints by total time, with their statistics. */
  topQueries(limit = this.options.topQueriesReportSize): QueryStats[] {
    this.settle();
    const entries = [...this.fingerprints.values()];
    entries.sort((a, b) => b.acc.totalMillis - a.acc.totalMillis);
    return entries.slice(0, limit).map((e) => ({
      fingerprint: e.fingerprint,
      statement: e.statement,
      summary: e.summary,
      count: e.acc.count,
      slowCount: e.acc.slow,
      totalMillis: e.acc.totalMillis,
      meanMillis: e.acc.count ? e.acc.totalMillis / e.acc.count : 0,
      maxMillis: e.acc.maxMillis,
      p50Millis: e.acc.sketch.quantile(0.5),
      p95Millis: e.acc.sketch.quantile(0.95),
      p99Millis: e.acc.sketch.quantile(0.99),
      firstSeen: new Date(e.firstSeenMillis).toISOString(),
      lastSeen: new Date(e.lastSeenMillis).toISOString(),
    }));
  }

  /** Number of fingerprints currently tracked (at most `topQueriesLimit`). */
  get trackedFingerprints(): number {
    this.settle();
    return this.fingerprints.size;
  }

  /** Forgets every statistic (metrics already exported are not affected). */
  reset(): void {
    this.pendingCount = 0;
    this.window.clear();
    this.fingerprints = new BoundedMap(this.options.topQueriesLimit);
  }

  forceFlush(): Promise<void> {
    this.settle();
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    if (!this.isShutdown) {
      this.settle();
      this.isShutdown = true;
      this.gauge.removeCallback(this.observe);
    }
    return Promise.resolve();
  }

  private observeQuantiles(result: ObservableResult): void {
    this.settle();
    const acc = this.window.snapshot(Date.now());
    if (acc.count === 0) return;
    for (const [q, attrs] of QUANTILES) result.observe(acc.sketch.quantile(q) / 1000, attrs);
  }
}
