import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

/** Options of {@link DropCountingBatchSpanProcessor}. */
export interface DropCountingBatchSpanProcessorOptions {
  /** Where batches go. */
  exporter: SpanExporter;
  /** Spans waiting for export beyond this are dropped (and counted). @default 2048 */
  maxQueueSize?: number;
  /** @default 512 (clamped to maxQueueSize) */
  maxExportBatchSize?: number;
  /** @default 5000 */
  scheduledDelayMillis?: number;
  /** @default 30000 */
  exportTimeoutMillis?: number;
}

/**
 * A {@link BatchSpanProcessor} whose drops are observable: when the collector is slow
 * or dead the queue fills up to `maxQueueSize` (memory stays bounded) and every span
 * refused from then on is counted in {@link droppedSpans}.
 *
 * The count is kept from the outside, without touching the batch processor's
 * internals: a span is "queued" from `onEnd` until the exporter receives it, exactly
 * the life of an entry in the batch processor's queue.
 */
export class DropCountingBatchSpanProcessor implements SpanProcessor {
  private readonly inner: BatchSpanProcessor;
  private readonly maxQueueSize: number;
  private queued = 0;
  private dropped = 0;
  private closed = false;

  constructor(options: DropCountingBatchSpanProcessorOptions) {
    this.maxQueueSize = options.maxQueueSize ?? 2048;
    const target = options.exporter;
    const counting: SpanExporter = {
      export: (spans: ReadableSpan[], done: (result: ExportResult) => void) => {
        this.queued = Math.max(0, this.queued - spans.length);
        target.export(spans, done);
      },
      shutdown: () => target.shutdown(),
      forceFlush: target.forceFlush ? () => target.forceFlush!() : undefined,
    };
    this.inner = new BatchSpanProcessor({
      exporter: counting,
      maxQueueSize: this.maxQueueSize,
      maxExportBatchSize: Math.min(options.maxExportBatchSize ?? 512, this.maxQueueSize),
      scheduledDelayMillis: options.scheduledDelayMillis,
      exportTimeoutMillis: options.exportTimeoutMillis,
    });
  }

  /** Spans refused because the export queue was full, since start. */
  get droppedSpans(): number {
    return this.dropped;
  }

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (!this.closed && (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) {
      if (this.queued >= this.maxQueueSize) this.dropped++;
      else this.queued++;
    }
    this.inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    this.closed = true;
    return this.inner.shutdown();
  }
}
