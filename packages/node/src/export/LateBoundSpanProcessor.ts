import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * Forwards to a processor created after the SDK has started. The querylens processor
 * needs the SDK's MeterProvider, which NodeSDK only creates in `start()`, after the
 * span processors were handed over; this seat is filled right after `start()`.
 */
export class LateBoundSpanProcessor implements SpanProcessor {
  private target: SpanProcessor | undefined;

  bind(target: SpanProcessor): void {
    this.target = target;
  }

  onStart(span: Span, parentContext: Context): void {
    this.target?.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    this.target?.onEnding?.(span);
  }

  onEnd(span: ReadableSpan): void {
    this.target?.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.target ? this.target.forceFlush() : Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.target ? this.target.shutdown() : Promise.resolve();
  }
}
