// Heap of the full QueryLensSpanProcessor after 10^4, 10^5 and 10^6 DB spans with distinct
// statements (each its own fingerprint): it should stay flat (every map is capped).
// Run: npx tsx --expose-gc bench/growth/processor.growth.ts   (GROWTH_MAX_SPANS=100000 to shorten)
import { requireFrom, makeRecord, emit, printTable, envNumber, settledHeapBytes, MiB, BenchRecord } from './common';

const req = requireFrom('packages/core');
const core = requireFrom('packages/sequelize')('@querylens/core');
const api = req('@opentelemetry/api');
const { TracerProvider } = req('@opentelemetry/sdk-trace');

const CHILDREN_PER_PARENT = 10;

function main(): void {
  const maxSpans = envNumber('GROWTH_MAX_SPANS', 1_000_000);
  const checkpoints = [10_000, 100_000, 1_000_000].filter((n) => n <= maxSpans);
  const processor = new core.QueryLensSpanProcessor({});
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('growth');
  const heapStart = settledHeapBytes();
  const heaps: { spans: number; bytes: number; seconds: number }[] = [];
  let done = 0;
  const t0 = Date.now();
  for (const cp of checkpoints) {
    while (done < cp) {
      const parent = tracer.startSpan('GET /students/:id', { kind: api.SpanKind.SERVER });
      const ctx = api.trace.setSpan(api.context.active(), parent);
      for (let i = 0; i < CHILDREN_PER_PARENT && done < cp; i++, done++) {
        const span = tracer.startSpan(
          'pg.query:SELECT school',
          {
            kind: api.SpanKind.CLIENT,
            attributes: {
              'db.system.name': 'postgresql',
              'db.namespace': 'school',
              // a distinct shape per span: a new fingerprint every time
              'db.query.text': `SELECT "c${done}" FROM "table_${done}" AS "t" WHERE "t"."id" = ${done} AND "t"."name" = 'Name ${done}'`,
            },
          },
          ctx,
        );
        span.end();
      }
      parent.end();
    }
    heaps.push({ spans: cp, bytes: settledHeapBytes(), seconds: (Date.now() - t0) / 1000 });
  }
  const records: BenchRecord[] = [
    makeRecord({ name: 'growth.processor.heap.before', value: heapStart / MiB, unit: 'MB' }),
  ];
  const base = heaps[0]?.bytes;
  for (const h of heaps) {
    // flat: the heap after N spans stays within 1.5x of the heap after 10^4 spans
    records.push(
      makeRecord({
        name: `growth.processor.heap.${h.spans.toExponential(0).replace('+', '')}_spans`,
        value: h.bytes / MiB,
        unit: 'MB',
        baseline: base / MiB,
        target: 1.5,
        direction: 'max',
      }),
    );
  }
  const last = heaps[heaps.length - 1];
  if (last) records.push(makeRecord({ name: 'growth.processor.time_per_span', value: (last.seconds * 1e6) / last.spans, unit: 'µs/span (SDK + processor)' }));
  printTable('QueryLensSpanProcessor heap after N DB spans with distinct statements (ratio against 10^4; flat = near 1)', records);
  emit(records);
  void provider.shutdown();
}

main();
