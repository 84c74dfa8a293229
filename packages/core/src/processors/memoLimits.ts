/** Longest statement remembered, in characters (bounds the memo's memory with {@link MEMO_ENTRIES}). */
export const MEMO_MAX_CHARS = 2048;

/** Off switch for every memo (benchmarks measure the cost without it). @internal */
export const statementMemos = { enabled: true };

/** Lookups per hit-rate check. */
const PROBE_WINDOW = 1024;
/** Fewer hits than this per window: the workload does not repeat, stop looking up. */
const MIN_HITS = 16;
/** Lookups skipped once a memo stopped paying for itself, before probing again. */
const BYPASS_SPANS = 16_384;

/**
 * The hit-rate cut-off of a memo: when fewer than 16 of 1024 lookups hit, the next 16384 are
 * skipped (a workload that never repeats pays nothing for the memo), then it probes again.
 * @internal
 */
export class HitRateGate {
  private lookups = 0;
  private hits = 0;
  private bypass = 0;

  /** Whether this lookup may go ahead (counts it); false while bypassed. */
  admit(): boolean {
    if (this.bypass > 0) {
      this.bypass--;
      return false;
    }
    if (++this.lookups === PROBE_WINDOW) {
      const hits = this.hits;
      this.lookups = 0;
      this.hits = 0;
      if (hits < MIN_HITS) {
        this.bypass = BYPASS_SPANS;
        return false;
      }
    }
    return true;
  }

  /** Counts a hit of an admitted lookup. */
  hit(): void {
    this.hits++;
  }

  /** Whether lookups are being skipped. */
  get bypassed(): boolean {
    return this.bypass > 0;
  }

  reset(): void {
    this.lookups = 0;
    this.hits = 0;
    this.bypass = 0;
  }
}
