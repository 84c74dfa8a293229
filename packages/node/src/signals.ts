import { diag } from '@opentelemetry/api';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Resolves when `promise` settles or after `timeoutMillis`, whichever comes first; never rejects. */
export function settleWithin(
  promise: Promise<unknown>,
  timeoutMillis: number,
  keepAlive = false,
): Promise<'done' | 'timeout'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMillis);
    if (!keepAlive) timer.unref();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve('done');
      },
      (err: unknown) => {
        clearTimeout(timer);
        diag.warn(`@querylens/node: flush failed (${err instanceof Error ? err.name : 'error'})`);
        resolve('done');
      },
    );
  });
}

/**
 * On SIGTERM/SIGINT: flush (bounded by `timeoutMillis`), then let the process end as
 * it would have without us. If the app has its own listener for the signal, the app
 * decides (Node does not exit for a handled signal and neither do we); if not, our
 * listener is removed and the signal is raised again, so the default action applies
 * (the parent sees the process killed by that signal). On a normal exit
 * (`beforeExit`, the event loop ran dry) it flushes once, bounded the same way (past
 * the bound, `process.exit()` with the app's `process.exitCode`).
 * Returns a function that removes the listeners.
 */
export function installSignalHandlers(flush: () => Promise<void>, timeoutMillis: number): () => void {
  const handlers = new Map<string, () => void>();
  for (const signal of SIGNALS) {
    const handler = (): void => {
      process.removeListener(signal, handler);
      handlers.delete(signal);
      const appHandles = process.listenerCount(signal) > 0;
      // keepAlive: the re-raise must happen even if nothing else holds the loop open
      void settleWithin(flush(), timeoutMillis, true).then(() => {
        if (!appHandles && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    };
    handlers.set(signal, handler);
    // prepend: start flushing before an app listener that exits synchronously
    process.prependListener(signal, handler);
  }
  let flushedOnExit = false;
  const onBeforeExit = (): void => {
    if (flushedOnExit) return;
    flushedOnExit = true;
    void settleWithin(flush(), timeoutMillis).then((outcome) => {
      // an export hanging on a dead collector must not hold the exit past the bound
      if (outcome === 'timeout') process.exit();
    });
  };
  process.on('beforeExit', onBeforeExit);
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    handlers.clear();
    process.removeListener('beforeExit', onBeforeExit);
  };
}
