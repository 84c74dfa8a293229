import type { Context, Counter } from '@opentelemetry/api';
import { globalErrorHandler } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { DbMetricAttributes } from '../metrics/DbMetricAttributes';
import { meterOf } from '../metrics/meterOf';
import { AttributeNames, MetricNames } from '../metrics/names';
import type { QueryLensOptions } from '../types';
import { BoundedMap } from '../util/BoundedMap';
import { CODE_STACKTRACE, DB_QUERY_SUMMARY, dbSystemOf, durationMillis, hasStatement, isDbSpan } from '../util/spanAttributes';
import { appFrames, captureStack } from './appStackTrace';
import type { StackHolder } from './appStackTrace';
import { isCountedByParent, recordLineage } from './lineage';
import { queryInfoOf } from './queryInfo';
import { resolveOptions } from './resolveOptions';
import { DATA_LIKE_NAME } from './scrubErrorText';
import type { ResolvedOptions } from './resolveOptions';

/** Name of the event added to slow DB spans. */
export const SLOW_QUERY_EVENT = 'querylens.slow_query';
/** Span names armed for stack capture (LRU, evicting the least recently slow). */
export const MAX_ARMED_NAMES = 256;
/** Longest span name that can be armed. */
const MAX_ARMED_NAME_CHARS = 128;

/**
 * The key under which a span name is armed: a 32-bit hash (FNV-1a) of a name that does not
 * look like data ({@link DATA_LIKE_NAME}), or undefined. Some instrumentations put the raw
 * statement in the name; a key must neither hold it nor keep it alive (such a name is never
 * seen twice anyway). A collision only costs one rate-limited stack capture.
 */
function armKey(name: unknown): number | undefined {
  if (typeof name !== 'string' || name.length > MAX_ARMED_NAME_CHARS || DATA_LIKE_NAME.test(name)) return undefined;
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
/** How long a span name stays armed after its last slow query. */
export const ARMED_MILLIS = 10 * 60_000;
/** Stack captures allowed per second in `adaptive` mode (a token bucket). */
export const MAX_CAPTURES_PER_SECOND = 100;

/**
 * Flags DB spans longer than `slowQueryMillis`: attribute `querylens.slow_query = true`, event
 * `querylens.slow_query` (duration, threshold, fingerprint, summary), counter
 * `querylens.db.slow_queries`, and `code.stacktrace` with application frames only.
 *
 * Call sites cost a stack capture at span start (the only moment the application is on the
 * stack). In `adaptive` mode (default) a capture happens only for span names seen slow in
 * the last 10 minutes and at most 100 times per second, so the first slow query of a kind
 * carries no stack and fast traffic pays one Map lookup. The stack is formatted only when
 * the span turns out slow.
 */
export class SlowQuerySpanProcessor implements SpanProcessor {
  private readonly options: ResolvedOptions;
  private readonly counter: Counter;
  private readonly metricAttributes = new DbMetricAttributes();
  private readonly stacks = new WeakMap<object, StackHolder>();
  /** Span name key ({@link armKey}) -> time armed until. Capped at {@link MAX_ARMED_NAMES} (LRU). */
  private readonly armed = new BoundedMap<number, number>(MAX_ARMED_NAMES);
  private tokens = MAX_CAPTURES_PER_SECOND;
  private tokensRefilledAt = 0;
  private isShutdown = false;

  constructor(options?: QueryLensOptions) {
    this.options = resolveOptions(options);
    this.counter = meterOf(this.options.meterProvider).createCounter(MetricNames.DB_SLOW_QUERIES, {
      description: 'Database queries longer than slowQueryMillis',
    });
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      if (this.isShutdown || this.options.slowQueryStackTraces === 'off') return;
      const attributes = span.attributes;
      if (!isDbSpan(attributes)) return;
      recordLineage(span, parentContext);
      this.captureIfArmed(span);
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  /**
   * The call-site part of {@link onStart}, for a DB span already known as such (its lineage
   * recorded): {@link QueryLensSpanProcessor} has checked both and calls this directly.
   */
  captureIfArmed(span: Span): void {
    if (this.isShutdown) return;
    const mode = this.options.slowQueryStackTraces;
    if (mode === 'off') return;
    if (mode === 'always') {
      this.stacks.set(span, captureStack());
      return;
    }
    if (this.armed.size === 0) return;
    const key = armKey(span.name);
    if (key === undefined) return;
    const until = this.armed.get(key);
    if (until === undefined) return;
    const now = Date.now();
    if (until < now) {
      this.armed.delete(key);
      return;
    }
    if (this.takeToken(now)) this.stacks.set(span, captureStack());
  }

  /**
   * `startName`: the span's name when it started (what `onStart` looks up in the armed
   * names); a scrubber running before this processor may have renamed the span since.
   */
  onEnding(span: Span, startName?: string): void {
    try {
      if (this.isShutdown) return;
      const attributes = span.attributes;
      if (!hasStatement(attributes)) return;
      const d = durationMillis(span);
      if (d <= this.options.slowQueryMillis) return;
      const info = queryInfoOf(span, this.options.sanitize);
      if (info === undefined) return;
      span.setAttribute(AttributeNames.SLOW_QUERY, true);
      span.addEvent(SLOW_QUERY_EVENT, {
        'querylens.duration_ms': d,
        'querylens.threshold_ms': this.options.slowQueryMillis,
        [AttributeNames.FINGERPRINT]: info.fingerprint,
        [DB_QUERY_SUMMARY]: info.summary,
      });
      const holder = this.stacks.get(span);
      const frames = holder === undefined ? undefined : appFrames(holder);
      if (frames !== undefined) span.setAttribute(CODE_STACKTRACE, frames);
      if (this.options.slowQueryStackTraces === 'adaptive') {
        const key = armKey(startName ?? span.name);
        if (key !== undefined) this.armed.set(key, Date.now() + ARMED_MILLIS);
      }
      if (!isCountedByParent(span)) this.counter.add(1, this.metricAttributes.of(dbSystemOf(attributes), info));
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.isShutdown = true;
    this.armed.clear();
    return Promise.resolve();
  }

  private takeToken(now: number): boolean {
    if (now - this.tokensRefilledAt >= 1000) {
      this.tokens = MAX_CAPTURES_PER_SECOND;
      this.tokensRefilledAt = now;
    }
    if (this.tokens <= 0) return false;
    this.tokens--;
    return true;
  }
}
