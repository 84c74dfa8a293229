/**
 * A Map with a hard cap on its size. Eviction rule: when full, inserting a new key
 * evicts the least recently inserted or {@link BoundedMap.touch touched} key (LRU when
 * callers touch on use). The optional `onEvict` runs for each evicted entry.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  /** The most recently inserted or touched key: touching it again needs no reordering. */
  private newest: K | undefined;

  constructor(
    readonly maxSize: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Get and mark as most recently used. */
  touch(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined && key !== this.newest) {
      this.map.delete(key);
      this.map.set(key, v);
      this.newest = key;
    }
    return v;
  }

  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    else if (this.map.size >= this.maxSize) this.evictOldest();
    this.map.set(key, value);
    this.newest = key;
  }

  delete(key: K): boolean {
    if (key === this.newest) this.newest = undefined;
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.newest = undefined;
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  private evictOldest(): void {
    const first = this.map.entries().next();
    if (first.done) return;
    const [k, v] = first.value;
    this.map.delete(k);
    if (k === this.newest) this.newest = undefined;
    this.onEvict?.(k, v);
  }
}
