interface Node<V> {
  value: V;
  /** Operation count when the key was last moved to the back. */
  moved: number;
}

/**
 * A Map with a hard cap on its size. Eviction rule: when full, inserting a new key evicts
 * the least recently inserted or {@link BoundedMap.touch touched} key (LRU when callers touch
 * on use). The optional `onEvict` runs for each evicted entry.
 *
 * `touch` is approximate to stay cheap: a key moved to the back within the last `maxSize / 4`
 * operations is not moved again. Such a key has fewer than `maxSize / 4` keys behind it, so
 * it can never be the one evicted: the approximation only reorders keys that are not at risk.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, Node<V>>();
  private ops = 0;
  private readonly slack: number;

  constructor(
    readonly maxSize: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    this.slack = Math.floor(maxSize / 4);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Get and mark as most recently used. */
  touch(key: K): V | undefined {
    const node = this.map.get(key);
    if (node === undefined) return undefined;
    const ops = ++this.ops;
    if (ops - node.moved > this.slack) {
      this.map.delete(key);
      this.map.set(key, node);
      node.moved = ops;
    }
    return node.value;
  }

  set(key: K, value: V): void {
    const ops = ++this.ops;
    const node = this.map.get(key);
    if (node !== undefined) {
      this.map.delete(key);
      node.value = value;
      node.moved = ops;
      this.map.set(key, node);
      return;
    }
    if (this.map.size >= this.maxSize) this.evictOldest();
    this.map.set(key, { value, moved: ops });
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  *values(): IterableIterator<V> {
    for (const node of this.map.values()) yield node.value;
  }

  *entries(): IterableIterator<[K, V]> {
    for (const [k, node] of this.map) yield [k, node.value];
  }

  private evictOldest(): void {
    const first = this.map.entries().next();
    if (first.done) return;
    const [k, node] = first.value;
    this.map.delete(k);
    this.onEvict?.(k, node.value);
  }
}
