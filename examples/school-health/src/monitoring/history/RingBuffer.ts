/**
 * Fixed-capacity FIFO ring: pushing into a full ring overwrites the oldest item,
 * so memory stays bounded by `capacity` whatever the uptime.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  /** @param capacity maximum number of items kept (a positive integer). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`RingBuffer: capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.items = new Array<T | undefined>(capacity);
  }

  /** Number of items currently held (never more than {@link capacity}). */
  get size(): number {
    return this.count;
  }

  /** Appends an item, evicting the oldest one when full. */
  push(item: T): void {
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.capacity];
  }

  /** Items oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }

  /** Items, oldest first, for which `keep` holds (used for "the last N hours"). */
  filter(keep: (item: T) => boolean): T[] {
    return this.toArray().filter(keep);
  }
}
