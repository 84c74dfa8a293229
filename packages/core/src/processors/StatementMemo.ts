import type { QueryInfo } from './queryInfo';

/** Longest statement remembered, in characters (bounds the memo's memory with {@link MEMO_ENTRIES}). */
export const MEMO_MAX_CHARS = 2048;
/** Statements remembered per generation; at most twice this many are held. */
export const MEMO_ENTRIES = 512;
/** Lookups per hit-rate check. */
const PROBE_WINDOW = 1024;
/** Fewer hits than this per window: the workload does not repeat statements, stop looking them up. */
const MIN_HITS = 16;
/** Statements let through without a lookup once the memo stopped paying for itself, before probing again. */
const BYPASS_SPANS = 16_384;

/** Off switch for every memo (benchmarks measure the cost without it). @internal */
export const statementMemos = { enabled: true };

/**
 * The {@link QueryInfo} of recently seen statements, keyed by the exact raw text, so that an
 * application repeating a statement (`pg` with `$1` parameters, Sequelize `INSERT ... VALUES
 * ($1, ...)`, a list query without a WHERE value) is sanitized once, not once per span.
 *
 * - Only statements the sanitizer returned unchanged are stored (the caller checks
 *   `text === raw`): nothing was redacted from them, so the memo never holds a literal value
 *   that the exported span would not show. Statements with inlined values always miss.
 * - Bounded: two generations of {@link MEMO_ENTRIES} statements of at most
 *   {@link MEMO_MAX_CHARS} characters (about 4 MiB at worst); when the young generation is
 *   full it becomes the old one and the previous old one is dropped (an approximate LRU with
 *   no work per hit); a hit in the old generation moves the entry to the young one.
 * - Self-limiting: a workload whose statements never repeat would pay a string hash per span
 *   for nothing; when fewer than 16 of 1024 lookups hit, the memo is bypassed for the next
 *   16384 statements, then probed again.
 * @internal
 */
export class StatementMemo {
  private young = new Map<string, QueryInfo>();
  private old = new Map<string, QueryInfo>();
  private lookups = 0;
  private hits = 0;
  private bypass = 0;

  /** The remembered info of `raw`, or undefined (a miss, or the memo is bypassed). */
  get(raw: string): QueryInfo | undefined {
    if (!statementMemos.enabled) return undefined;
    if (this.bypass > 0) {
      this.bypass--;
      return undefined;
    }
    if (raw.length > MEMO_MAX_CHARS) return undefined;
    if (++this.lookups === PROBE_WINDOW) {
      const hits = this.hits;
      this.lookups = 0;
      this.hits = 0;
      if (hits < MIN_HITS) {
        this.bypass = BYPASS_SPANS;
        return undefined;
      }
    }
    let info = this.young.get(raw);
    if (info === undefined) {
      info = this.old.get(raw);
      if (info === undefined) return undefined;
      this.old.delete(raw);
      this.put(raw, info);
    }
    this.hits++;
    return info;
  }

  /** Remembers `info` for `raw` (ignored for statements over {@link MEMO_MAX_CHARS} or while bypassed). */
  set(raw: string, info: QueryInfo): void {
    if (this.bypass > 0 || raw.length > MEMO_MAX_CHARS || !statementMemos.enabled) return;
    this.put(raw, info);
  }

  /** Entries held (both generations). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  /** Forgets every statement and the hit-rate history (for tests). */
  clear(): void {
    this.young.clear();
    this.old.clear();
    this.lookups = 0;
    this.hits = 0;
    this.bypass = 0;
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
