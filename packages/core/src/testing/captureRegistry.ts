import { createContextKey } from '@opentelemetry/api';

/**
 * State shared by every copy of @querylens/core loaded in the process (a test may load the
 * package from dist while the register loaded it from elsewhere), kept on `globalThis`
 * under a registered symbol: the context key of captures and the number of live
 * {@link QueryLensSpanProcessor}s.
 */
export interface CaptureRegistry {
  readonly key: symbol;
  processors: number;
  /** captureQueries calls in progress: while 0, processors skip the context lookup. */
  active: number;
}

const REGISTRY = Symbol.for('@querylens/core/capture-registry');

/** The process-wide capture registry. */
export function captureRegistry(): CaptureRegistry {
  const g = globalThis as unknown as Record<symbol, CaptureRegistry | undefined>;
  let r = g[REGISTRY];
  if (r === undefined) {
    r = { key: createContextKey('querylens.capture'), processors: 0, active: 0 };
    g[REGISTRY] = r;
  }
  return r;
}
