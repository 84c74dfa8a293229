import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { QueryLensSpanProcessor } from '@querylens/core';
import type { ResolvedNodeOptions } from './config';
import type { DropCountingBatchSpanProcessor } from './export/DropCountingBatchSpanProcessor';
import type { FastInstrumentationMetrics } from './metrics/FastInstrumentationMetrics';

/** One started SDK. */
export interface Running {
  sdk: NodeSDK;
  processor: QueryLensSpanProcessor;
  batches: DropCountingBatchSpanProcessor[];
  options: ResolvedNodeOptions;
  /** Where the built-in instrumentations record their metrics, when not on the SDK meter. */
  instrumentationMetrics: FastInstrumentationMetrics | undefined;
  stop: Array<() => void>;
  shutdown?: Promise<void>;
}

/** Process-wide state, shared by every copy of this package that gets loaded. */
export interface GlobalState {
  running?: Running;
  /** Set once our stderr diag logger is installed. */
  loggerInstalled?: boolean;
  /** Set once the import-in-the-middle loader hook is registered. */
  esmHookRegistered?: boolean;
  /** Set once `Module._load` sends CommonJS loads by ES modules through `require` (esmHook.ts). */
  cjsBridgeInstalled?: boolean;
  /** Set by the `--import` entry before it starts. */
  esmEntry?: boolean;
}

const KEY = Symbol.for('@querylens/node.state');

/**
 * The singleton behind {@link start}/{@link report}. Kept on `globalThis` under a
 * registered symbol so that the `--require` entry, the `--import` entry and a later
 * `import '@querylens/node'` (even from a second copy of the package) see one state.
 */
export function globalState(): GlobalState {
  const g = globalThis as unknown as Record<symbol, GlobalState | undefined>;
  let s = g[KEY];
  if (!s) {
    s = {};
    g[KEY] = s;
  }
  return s;
}
