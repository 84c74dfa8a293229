import { expect } from 'chai';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { DropCountingBatchSpanProcessor } from '../../src/export/DropCountingBatchSpanProcessor';

/** An exporter standing for a collector that accepts and never answers. */
class HangingExporter implements SpanExporter {
  received = 0;
  export(spans: ReadableSpan[], _done: (r: ExportResult) => void): void {
    this.received += spans.length;
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

class RecordingExporter implements SpanExporter {
  received = 0;
  export(spans: ReadableSpan[], done: (r: ExportResult) => void): void {
    this.received += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function endSpans(provider: TracerProvider, n: number): void {
  const tracer = provider.getTracer('test');
  for (let i = 0; i < n; i++) tracer.startSpan(`s${i}`).end();
}

describe('DropCountingBatchSpanProcessor', () => {
  describe('#onEnd', () => {
    it('bounds the queue when the exporter hangs and counts every refused span', async () => {
      const exporter = new HangingExporter();
      const p = new DropCountingBatchSpanProcessor({ exporter, maxQueueSize: 10, scheduledDelayMillis: 60_000, exportTimeoutMillis: 100 });
      const provider = new TracerProvider({ spanProcessors: [p] });
      endSpans(provider, 100);
      // 10 handed to the (hung) exporter, 10 waiting in the full queue, the rest refused
      expect(exporter.received).to.equal(10);
      expect(p.droppedSpans).to.equal(80);
      await provider.shutdown().catch(() => undefined);
    });

    it('drops nothing while the exporter keeps up', async () => {
      const exporter = new RecordingExporter();
      const p = new DropCountingBatchSpanProcessor({ exporter, maxQueueSize: 10, scheduledDelayMillis: 60_000 });
      const provider = new TracerProvider({ spanProcessors: [p] });
      for (let i = 0; i < 10; i++) {
        endSpans(provider, 10);
        await new Promise((r) => setImmediate(r)); // the export completes between bursts
      }
      await p.forceFlush();
      expect(p.droppedSpans).to.equal(0);
      expect(exporter.received).to.equal(100);
      await provider.shutdown();
    });

    it('ignores spans ended after shutdown', async () => {
      const exporter = new RecordingExporter();
      const p = new DropCountingBatchSpanProcessor({ exporter, maxQueueSize: 2 });
      const provider = new TracerProvider({ spanProcessors: [p] });
      await p.shutdown();
      endSpans(provider, 10);
      expect(p.droppedSpans).to.equal(0);
      expect(exporter.received).to.equal(0);
    });
  });
});
