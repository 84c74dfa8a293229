/**
 * Repeats of one fingerprint under one parent, for N+1 detection. Keeps only the last
 * `threshold` start times and durations (a ring, allocated at the second repeat: most
 * fingerprints run once per parent), so its memory is small and constant.
 * Repeats are taken in end order, so a concurrent loop (`Promise.all`) counts like a
 * sequential one: what matters is that `threshold` of them started within the window.
 */
export class RepeatGroup {
  /** Every repeat seen under the parent, including those before detection. */
  count = 0;
  totalMillis = 0;
  firstStartMillis = Infinity;
  lastStartMillis = 0;
  lastEndMillis = 0;
  detected = false;
  /** starts in [0, threshold), durations in [threshold, 2 * threshold). */
  private ring: number[] | undefined;
  private firstStart = 0;
  private firstDuration = 0;
  private next = 0;
  private filled = 0;

  constructor(private readonly threshold: number) {}

  /**
   * Adds one repeat. Returns true exactly once: when the group first qualifies as an N+1
   * (`threshold` starts within `windowMillis` whose durations sum to at least `minTotalMillis`).
   */
  add(startMillis: number, durationMillis: number, windowMillis: number, minTotalMillis: number): boolean {
    this.count++;
    this.totalMillis += durationMillis;
    if (startMillis < this.firstStartMillis) this.firstStartMillis = startMillis;
    if (startMillis > this.lastStartMillis) this.lastStartMillis = startMillis;
    const end = startMillis + durationMillis;
    if (end > this.lastEndMillis) this.lastEndMillis = end;
    if (this.detected) return false;
    const n = this.threshold;
    if (this.ring === undefined) {
      if (this.count === 1) {
        this.firstStart = startMillis;
        this.firstDuration = durationMillis;
        return false;
      }
      // A plain array of doubles: allocating a Float64Array costs several times more.
      this.ring = new Array<number>(2 * n).fill(0);
      this.ring[0] = this.firstStart;
      this.ring[n] = this.firstDuration;
      this.next = 1 % n;
      this.filled = 1;
    }
    const ring = this.ring;
    ring[this.next] = startMillis;
    ring[n + this.next] = durationMillis;
    this.next = (this.next + 1) % n;
    if (this.filled < n) this.filled++;
    if (this.filled < n) return false;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const s = ring[i];
      if (s < min) min = s;
      if (s > max) max = s;
      sum += ring[n + i];
    }
    if (max - min <= windowMillis && sum >= minTotalMillis) {
      this.detected = true;
      this.ring = undefined;
      return true;
    }
    return false;
  }

  /** True when this group can no longer become an N+1 (its last start is older than the window). */
  isStale(nowMillis: number, windowMillis: number): boolean {
    return !this.detected && nowMillis - this.lastStartMillis > windowMillis;
  }
}
