import { expect } from 'chai';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { LateBoundSpanProcessor } from '../../src/export/LateBoundSpanProcessor';

describe('LateBoundSpanProcessor', () => {
  describe('#bind', () => {
    it('forwards nothing before bind and everything after', async () => {
      const late = new LateBoundSpanProcessor();
      const exporter = new InMemorySpanExporter();
      const provider = new TracerProvider({ spanProcessors: [late] });
      const tracer = provider.getTracer('t');
      tracer.startSpan('before').end();
      late.bind(new SimpleSpanProcessor({ exporter }));
      tracer.startSpan('after').end();
      await provider.forceFlush();
      expect(exporter.getFinishedSpans().map((s) => s.name)).to.deep.equal(['after']);
      await provider.shutdown();
    });
  });
});
