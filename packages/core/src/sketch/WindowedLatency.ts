import { LatencyAccumulator } from './LatencyAccumulator';

/** Number of sub-windows: the window slides in steps of a tenth of its length. */
export const SLOTS = 10;

/**
 * Latency over the last `windowMillis`, as a ring of {@link SLOTS} accumulators of
 * `windowMillis / SLOTS` each (memory: SLOTS sketches, whatever the traffic). A snapshot
 * merges the slots that overlap the window, so it covers between 0.9 and 1 window.
 * A slot that rotates out is merged into one more accumulator, so {@link total} gives the
 * figures since start too: each query is added to one sketch, not to a window's and a
 * global one (a sketch add is a logarithm and a bin update per query).
 */
export class WindowedLatency {
  private readonly slotMillis: number;
  private readonly slots: Array<{ start: number; acc: LatencyAccumulator } | undefined> = new Array(SLOTS);
  /** What rotated out of the ring. */
  private retired = new LatencyAccumulator();

  constructor(readonly windowMillis: number) {
    this.slotMillis = windowMillis / SLOTS;
  }

  private slotAt(nowMillis: number): LatencyAccumulator {
    const n = Math.floor(nowMillis / this.slotMillis);
    const i = n % SLOTS;
    const start = n * this.slotMillis;
    let s = this.slots[i];
    if (s === undefined || s.start !== start) {
      if (s !== undefined) this.retired.merge(s.acc);
      s = { start, acc: new LatencyAccumulator() };
      this.slots[i] = s;
    }
    return s.acc;
  }

  add(nowMillis: number, durationMillis: number, isSlow: boolean): void {
    this.slotAt(nowMillis).add(durationMillis, isSlow);
  }

  addNPlusOne(nowMillis: number): void {
    this.slotAt(nowMillis).nPlusOne++;
  }

  /** Everything recorded in the last window, merged into a fresh accumulator. */
  snapshot(nowMillis: number): LatencyAccumulator {
    const out = new LatencyAccumulator();
    const from = nowMillis - this.windowMillis;
    for (const s of this.slots) {
      if (s !== undefined && s.start + this.slotMillis > from && s.start <= nowMillis) out.merge(s.acc);
    }
    return out;
  }

  /** Everything recorded since start (or {@link clear}), merged into a fresh accumulator. */
  total(): LatencyAccumulator {
    const out = new LatencyAccumulator();
    out.merge(this.retired);
    for (const s of this.slots) if (s !== undefined) out.merge(s.acc);
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.retired = new LatencyAccumulator();
  }
}
