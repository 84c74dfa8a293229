import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { MONITORING_OPTIONS, type ResolvedMonitoringOptions } from '../monitoring.options';
import type { HistoryPoint } from '../monitoring.types';
import { MetricsCollector } from './MetricsCollector';
import { RingBuffer } from './RingBuffer';

/**
 * History of one {@link HistoryPoint} per `sampleIntervalMillis` (default one a
 * minute), kept in a ring of `historySize` points (default 1440 = 24 h): the
 * oldest point is dropped, memory stays bounded. The timer is `unref()`'d so
 * it never keeps the process alive, and is cleared on module destroy.
 */
@Injectable()
export class MetricsHistory implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MetricsHistory.name);
  private readonly ring: RingBuffer<HistoryPoint>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly collector: MetricsCollector,
    @Inject(MONITORING_OPTIONS) private readonly options: ResolvedMonitoringOptions,
  ) {
    this.ring = new RingBuffer<HistoryPoint>(options.historySize);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => this.sample(), this.options.sampleIntervalMillis);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one point now and appends it; never throws (a failure is logged and skipped). */
  sample(now = Date.now()): HistoryPoint | undefined {
    try {
      const point = this.collector.collect(now);
      this.ring.push(point);
      return point;
    } catch (err) {
      this.logger.warn(`history sample skipped: ${(err as Error).name}`);
      return undefined;
    }
  }

  /** Points of the last `hours` hours, oldest first. */
  since(hours: number, now = Date.now()): HistoryPoint[] {
    const from = now - hours * 3_600_000;
    return this.ring.filter((p) => p.timestamp >= from);
  }

  /** Number of points held (at most `historySize`). */
  get size(): number {
    return this.ring.size;
  }

  /** Maximum number of points held. */
  get capacity(): number {
    return this.ring.capacity;
  }
}
