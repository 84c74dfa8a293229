/**
 * Repeats of one fingerprint under one parent, for N+1 detection. Keeps only the last
 * `threshold` start times and durations (a ring), so its memory is constant.
 * Repeats are taken in end order, so a concurrent loop (`Promise.all`) counts like a
 * sequential one: what matters is that `threshold` of them started within the window.
 */
export class RepeatGroup {
  /** Every repeat seen under the parent, including those before detection. */
  count = 0;
  totalMillis = 0;
  firstStartMillis = Infinity;
  lastEndMillis = 0;
  detected = false;
  private readonly starts: Float64Array;
  private readonly durations: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(
    readonly fingerprint: string,
    readonly text: string,
    readonly summary: string,
    private readonly threshold: number,
  ) {
    this.starts = new Float64Array(threshold);
    this.durations = new Float64Array(threshold);
  }

  /**
   * Adds one repeat. Returns true exactly once: when the group first qualifies as an N+1
   * (`threshold` starts within `windowMillis` whose durations sum to at least `minTotalMillis`).
   */
  add(startMillis: number, durationMillis: number, windowMillis: number, minTotalMillis: number): boolean {
    this.count++;
    this.totalMillis += durationMillis;
    if (startMillis < this.firstStartMillis) this.firstStartMillis = startMillis;
    const end = startMillis + durationMillis;
    if (end > this.lastEndMillis) this.lastEndMillis = end;
    if (this.detected) return false;
    this.starts[this.next] = startMillis;
    this.durations[this.next] = durationMillis;
    this.next = (this.next + 1) % this.threshold;
    if (this.filled < this.threshold) this.filled++;
    if (this.filled < this.threshold) return false;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < this.threshold; i++) {
      const s = this.starts[i];
      if (s < min) min = s;
      if (s > max) max = s;
      sum += this.durations[i];
    }
    if (max - min <= windowMillis && sum >= minTotalMillis) {
      this.detected = true;
      return true;
    }
    return false;
  }
}
