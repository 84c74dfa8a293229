import { context } from '@opentelemetry/api';
import type { N1QueryDetection } from '../report/types';
import { Capture } from './Capture';
import type { CapturedQuery } from './Capture';
import { captureRegistry } from './captureRegistry';

/** What {@link captureQueries} returns. */
export interface CaptureResult<T> {
  /** What `fn` returned (awaited). */
  result: T;
  /** The queries made, sanitized, in end order (at most 10000 kept). */
  queries: CapturedQuery[];
  /** Number of queries made (a pg span under a Sequelize span counts once). */
  count: number;
  /** N+1 patterns among them (the capture is the parent), with the processor's thresholds. */
  nPlusOne: N1QueryDetection[];
}

/**
 * Runs `fn` and returns the database queries it made (sanitized), their count and any N+1.
 * Works wherever a {@link QueryLensSpanProcessor} is installed in the tracer provider with a
 * context manager (for example under `--require @querylens/node/register`): `fn` runs in a
 * context carrying this capture, and the processor delivers each DB span started in it.
 * Captures nest and may run concurrently.
 *
 * @throws Error when no QueryLensSpanProcessor is registered, or no context manager
 * propagates the capture (it would otherwise silently report 0 queries).
 */
export async function captureQueries<T>(fn: () => T | Promise<T>): Promise<CaptureResult<T>> {
  const registry = captureRegistry();
  if (registry.processors === 0) {
    throw new Error(
      'captureQueries: no QueryLensSpanProcessor is registered. Add one to your TracerProvider ' +
        "(spanProcessors: [new QueryLensSpanProcessor(), ...]) or run the tests with '--require @querylens/node/register'.",
    );
  }
  const outer = context.active();
  const capture = new Capture(outer.getValue(registry.key) as Capture | undefined);
  const ctx = outer.setValue(registry.key, capture);
  const propagated = context.with(ctx, () => context.active().getValue(registry.key) === capture);
  if (!propagated) {
    throw new Error(
      'captureQueries: no OpenTelemetry context manager is active, so queries cannot be attributed to the capture. ' +
        'Register one (e.g. AsyncLocalStorageContextManager from @opentelemetry/context-async-hooks, which NodeTracerProvider.register() installs).',
    );
  }
  registry.active++;
  let result: T;
  try {
    result = await context.with(ctx, fn);
  } finally {
    registry.active--;
  }
  return {
    result,
    queries: capture.queries.slice(),
    count: capture.count,
    nPlusOne: capture.nPlusOne.map((d) => ({ ...d })),
  };
}
