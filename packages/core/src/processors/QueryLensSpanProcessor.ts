import type { Context } from '@opentelemetry/api';
import { globalErrorHandler } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { AlertTracker } from '../report/AlertTracker';
import type { PerformanceReport } from '../report/types';
import { Capture } from '../testing/Capture';
import type { CaptureRules } from '../testing/Capture';
import { captureRegistry } from '../testing/captureRegistry';
import type { CaptureRegistry } from '../testing/captureRegistry';
import { AttributeNames } from '../metrics/names';
import type { QueryLensOptions } from '../types';
import { durationMillis, hasStatement, isDbSpan, startMillis } from '../util/spanAttributes';
import { isCountedByParent, recordLineage } from './lineage';
import { NPlusOneSpanProcessor } from './NPlusOneSpanProcessor';
import { PhiScrubbingSpanProcessor } from './PhiScrubbingSpanProcessor';
import { queryInfoOf } from './queryInfo';
import { QueryStatsSpanProcessor } from './QueryStatsSpanProcessor';
import { resolveOptions } from './resolveOptions';
import type { ResolvedOptions } from './resolveOptions';
import { SlowQuerySpanProcessor } from './SlowQuerySpanProcessor';

/**
 * All of querylens behind one options object, in the right order: in `onEnding`, PHI
 * scrubbing (one sanitization per span), then the slow-query flag and N+1 detection; in
 * `onEnd`, statistics and delivery to {@link captureQueries}. Put it anywhere in the
 * provider's `spanProcessors` (scrubbing happens before any processor's `onEnd`).
 *
 * `report()` returns the seed's {@link PerformanceReport}; targets are evaluated every
 * `alertEvaluationIntervalMillis` (an unref'd timer) and at each `report()`.
 */
export class QueryLensSpanProcessor implements SpanProcessor {
  private readonly options: ResolvedOptions;
  private readonly scrubber: PhiScrubbingSpanProcessor;
  private readonly slow: SlowQuerySpanProcessor;
  private readonly nPlusOne: NPlusOneSpanProcessor;
  private readonly stats: QueryStatsSpanProcessor;
  private readonly alerts: AlertTracker;
  private readonly captures = new WeakMap<object, Capture>();
  private capturing = false;
  private readonly registry: CaptureRegistry;
  private readonly captureRules: CaptureRules;
  private readonly timer: NodeJS.Timeout;
  private isShutdown = false;

  constructor(options?: QueryLensOptions) {
    this.options = resolveOptions(options);
    this.scrubber = new PhiScrubbingSpanProcessor(options);
    this.slow = new SlowQuerySpanProcessor(options);
    this.nPlusOne = new NPlusOneSpanProcessor(options);
    this.stats = new QueryStatsSpanProcessor(options);
    this.alerts = new AlertTracker(this.options.targets);
    this.nPlusOne.onDetectionFacts((d) => {
      this.stats.countNPlusOne();
      this.alerts.nPlusOne(d);
    });
    const o = this.options;
    this.captureRules = {
      threshold: o.nPlusOneThreshold,
      windowMillis: o.nPlusOneWindowMillis,
      minTotalMillis: o.nPlusOneMinTotalMillis,
      allowList: o.nPlusOneAllowList,
    };
    this.registry = captureRegistry();
    this.registry.processors++;
    this.timer = setInterval(() => this.evaluate(), o.alertEvaluationIntervalMillis);
    this.timer.unref();
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      if (this.isShutdown) return;
      if (this.registry.active > 0) {
        const capture = parentContext.getValue(this.registry.key);
        if (capture instanceof Capture) {
          this.captures.set(span, capture);
          this.capturing = true;
        }
      }
      if (!isDbSpan(span.attributes)) return;
      recordLineage(span, parentContext);
      this.slow.captureIfArmed(span);
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  onEnding(span: Span): void {
    try {
      // Scrubbing first and always (also after shutdown): nothing leaves in clear.
      const db = isDbSpan(span.attributes);
      const startName = span.name; // the scrubber rebuilds DB span names; stack arming keys on the start name
      this.scrubber.scrub(span, db);
      if (this.isShutdown) return;
      if (db) {
        this.slow.onEnding(span, startName);
        this.nPlusOne.onEnding(span);
      } else {
        this.nPlusOne.endParent(span);
      }
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  onEnd(span: ReadableSpan): void {
    try {
      const attributes = span.attributes;
      const statement = hasStatement(attributes);
      // the scrubber's safety net (a span that skipped onEnding), for the spans it applies to
      if (statement && attributes[AttributeNames.FINGERPRINT] === undefined) this.scrubber.onEnd(span);
      if (this.isShutdown) return;
      if (statement) this.stats.onEnd(span);
      if (this.capturing) {
        const capture = this.captures.get(span);
        if (capture !== undefined) this.deliver(span, capture);
      }
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  /** The performance report: totals since start (or {@link reset}), window, detections, alerts. */
  report(): PerformanceReport {
    const now = Date.now();
    const window = this.stats.windowFigures(now);
    this.alerts.evaluate(window);
    const n1Detections = this.nPlusOne.detections();
    return {
      ...this.stats.totals().figures(),
      n1Detections,
      alerts: this.alerts.list(n1Detections),
      topQueries: this.stats.topQueries(),
      status: this.alerts.degraded(window) ? 'degraded' : 'healthy',
      window,
      generatedAt: new Date(now).toISOString(),
    };
  }

  /** Forgets statistics, detections and alerts (the seed's `resetMetrics`). */
  reset(): void {
    this.stats.reset();
    this.nPlusOne.reset();
    this.alerts.reset();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    if (this.isShutdown) return Promise.resolve();
    this.isShutdown = true;
    clearInterval(this.timer);
    this.registry.processors--;
    return Promise.all([this.scrubber.shutdown(), this.slow.shutdown(), this.nPlusOne.shutdown(), this.stats.shutdown()]).then(
      () => undefined,
    );
  }

  private evaluate(): void {
    try {
      this.alerts.evaluate(this.stats.windowFigures());
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  private deliver(span: ReadableSpan, capture: Capture): void {
    if (!hasStatement(span.attributes) || isCountedByParent(span)) return;
    const info = queryInfoOf(span, this.options.sanitize);
    if (info === undefined) return;
    const query = { text: info.text, summary: info.summary, fingerprint: info.fingerprint, durationMillis: durationMillis(span) };
    const start = startMillis(span);
    for (let c: Capture | undefined = capture; c !== undefined; c = c.parent) c.add(query, start, this.captureRules);
  }
}
