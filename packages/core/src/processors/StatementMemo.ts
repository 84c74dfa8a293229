import type { SanitizeSqlOptions } from '../sql/types';
import type { QueryInfo } from './queryInfo';
import { HitRateGate, MEMO_MAX_CHARS, statementMemos } from './memoLimits';
import { ShapeMemo } from './ShapeMemo';

export { MEMO_MAX_CHARS, statementMemos };

/** Statements remembered per generation; at most twice this many are held. */
export const MEMO_ENTRIES = 512;

/**
 * The {@link QueryInfo} of recently seen statements, keyed by the exact raw text, so that an
 * application repeating a statement is sanitized once, not once per span. `queryInfoOf` uses
 * it for statements shorter than `SHAPE_KEY_CHARS` (32) characters (`BEGIN`, `COMMIT`,
 * `SELECT 1`); longer ones go to its {@link ShapeMemo} (`shapes`), which never hashes a whole
 * statement.
 *
 * - Only statements the sanitizer returned unchanged are stored (the caller checks
 *   `text === raw`): nothing was redacted from them, so the memo never holds a literal value
 *   that the exported span would not show. Statements with inlined values always miss.
 * - Bounded: two generations of {@link MEMO_ENTRIES} statements of at most
 *   {@link MEMO_MAX_CHARS} characters; when the young generation is full it becomes the old
 *   one and the previous old one is dropped (an approximate LRU with no work per hit); a hit
 *   in the old generation moves the entry to the young one.
 * - Self-limiting: a workload whose statements never repeat would pay a string hash per span
 *   for nothing; when fewer than 16 of 1024 lookups hit, the memo is bypassed for the next
 *   16384 statements, then probed again.
 * @internal
 */
export class StatementMemo {
  private young = new Map<string, QueryInfo>();
  private old = new Map<string, QueryInfo>();
  private readonly gate = new HitRateGate();
  /** Statements of `SHAPE_KEY_CHARS` (32) characters or more, by shape. */
  readonly shapes: ShapeMemo;

  constructor(options?: SanitizeSqlOptions) {
    this.shapes = new ShapeMemo(options);
  }

  /** The remembered info of `raw`, or undefined (a miss, or the memo is bypassed). */
  get(raw: string): QueryInfo | undefined {
    if (!statementMemos.enabled || !this.gate.admit() || raw.length > MEMO_MAX_CHARS) return undefined;
    let info = this.young.get(raw);
    if (info === undefined) {
      info = this.old.get(raw);
      if (info === undefined) return undefined;
      this.old.delete(raw);
      this.put(raw, info);
    }
    this.gate.hit();
    return info;
  }

  /** Remembers `info` for `raw` (ignored for statements over {@link MEMO_MAX_CHARS} or while bypassed). */
  set(raw: string, info: QueryInfo): void {
    if (this.gate.bypassed || raw.length > MEMO_MAX_CHARS || !statementMemos.enabled) return;
    this.put(raw, info);
  }

  /** Entries held (both generations). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  /** Forgets every statement and the hit-rate history (for tests). */
  clear(): void {
    this.shapes.clear();
    this.young.clear();
    this.old.clear();
    this.gate.reset();
  }

  /** The statements held (for tests). */
  keys(): string[] {
    return [...this.old.keys(), ...this.young.keys()];
  }

  private put(raw: string, info: QueryInfo): void {
    if (this.young.size >= MEMO_ENTRIES) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(raw, info);
  }
}
