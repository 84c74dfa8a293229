import * as path from 'node:path';

/** Root of this package (src/ and dist/ both sit under it): its frames are querylens frames. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const OWN_DIRS = [path.join(PACKAGE_ROOT, 'src') + path.sep, path.join(PACKAGE_ROOT, 'dist') + path.sep];

/** Holder of a stack captured with `Error.captureStackTrace` (formatted lazily, on read). */
export interface StackHolder {
  stack?: string;
}

/** Frames kept in `code.stacktrace`. */
export const MAX_APP_FRAMES = 20;

/**
 * Captures the current stack cheaply: V8 records the frames now and formats them only if
 * `stack` is read, which {@link appFrames} does for slow queries only.
 */
export function captureStack(): StackHolder {
  const holder: StackHolder = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  Error.captureStackTrace(holder, captureStack);
  Error.stackTraceLimit = limit;
  return holder;
}

/**
 * The application frames of a captured stack, one `at ...` line each: frames in
 * node_modules, Node internals and querylens itself are dropped. Undefined when none remain.
 */
export function appFrames(holder: StackHolder): string | undefined {
  const stack = holder.stack;
  if (typeof stack !== 'string') return undefined;
  const kept: string[] = [];
  for (const line of stack.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('at ')) continue;
    if (t.includes('node_modules') || t.includes('node:') || t.includes('(internal/') || t.includes('@querylens')) continue;
    if (OWN_DIRS.some((d) => t.includes(d))) continue;
    kept.push(t);
    if (kept.length >= MAX_APP_FRAMES) break;
  }
  return kept.length ? kept.join('\n') : undefined;
}
