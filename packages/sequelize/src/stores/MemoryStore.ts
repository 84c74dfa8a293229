import type { CacheEntry, CacheStore, Stamp, StoreLookup, StoreSettings } from './CacheStore';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Maximum number of entries; the least recently used entry is evicted beyond it.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Maximum estimated size of all entries, in bytes (JSON length x 2 + overhead);
   * least recently used entries are evicted beyond it.
   * @default 67108864 (64 MiB)
   */
  maxBytes?: number;
  /**
   * Maximum number of table generations tracked. Table names come from parsed SQL, so
   * they are capped: beyond it the generation map is cleared and the epoch bumped
   * (every entry becomes invalid, which is safe).
   * @default 10000
   */
  maxTables?: number;
}

interface Slot {
  readonly tables: readonly string[];
  readonly gens: readonly number[];
  readonly epoch: number;
  readonly expiresAtMillis: number;
  readonly bytes: number;
  readonly entry: CacheEntry;
  /** Second-chance bit: set by a hit, cleared (and the slot moved to the young end) by eviction. */
  used: boolean;
}

const ENTRY_OVERHEAD_BYTES = 256;

/**
 * In-process store, bounded by entries and bytes, evicting the least recently used entry
 * (second-chance approximation: a hit only sets a bit, so hits never reorder the map). Invalidation bumps a per-table
 * generation (O(1)); stale entries are dropped lazily when looked up or evicted.
 * Generations live in this process only: use a {@link RedisStore} when several
 * instances write to the same database.
 */
export class MemoryStore implements CacheStore {
  readonly kind = 'memory';
  readonly shared = false;
  readonly encrypted = false;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxTables: number;
  /** Insertion order = age; hits mark `used`. Capped by maxEntries and maxBytes. */
  private readonly slots = new Map<string, Slot>();
  /** Capped by maxTables. */
  private readonly generations = new Map<string, number>();
  private epoch = 0;
  private bytes = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = positiveInt(options.maxEntries ?? 10_000, 'maxEntries');
    this.maxBytes = positiveInt(options.maxBytes ?? 64 * 1024 * 1024, 'maxBytes');
    this.maxTables = positiveInt(options.maxTables ?? 10_000, 'maxTables');
  }

  configure(_settings: StoreSettings): void {
    // Nothing leaves the process: no encryption, no timeout.
  }

  lookup(key: string, tables: readonly string[]): StoreLookup {
    const slot = this.slots.get(key);
    if (slot !== undefined) {
      if (this.isValid(slot)) {
        slot.used = true;
        return { hit: true, entry: slot.entry, fresh: false };
      }
      this.remove(key, slot);
    }
    return { hit: false, stamp: this.stamp(tables) };
  }

  store(key: string, tables: readonly string[], stamp: Stamp, entry: CacheEntry, ttlSeconds: number): void {
    if (typeof stamp === 'string' || stamp.length !== tables.length + 1 || stamp[0] !== this.epoch) return;
    for (let i = 0; i < tables.length; i++) if ((this.generations.get(tables[i]) ?? 0) !== stamp[i + 1]) return;
    const bytes = estimateBytes(key, entry.template ?? entry.payload);
    if (bytes > this.maxBytes) return;
    const old = this.slots.get(key);
    if (old !== undefined) this.remove(key, old);
    this.slots.set(key, {
      tables,
      gens: stamp.slice(1),
      epoch: this.epoch,
      expiresAtMillis: Date.now() + ttlSeconds * 1000,
      bytes,
      entry,
      used: false,
    });
    this.bytes += bytes;
    this.evict();
  }

  invalidateTables(tables: readonly string[]): void {
    for (const t of tables) {
      if (!this.generations.has(t) && this.generations.size >= this.maxTables) {
        this.generations.clear();
        this.epoch++;
      }
      this.generations.set(t, (this.generations.get(t) ?? 0) + 1);
    }
  }

  invalidateAll(): void {
    this.epoch++;
    this.slots.clear();
    this.bytes = 0;
  }

  entryCount(): number {
    return this.slots.size;
  }

  /** Estimated bytes held by entries. */
  byteCount(): number {
    return this.bytes;
  }

  async close(): Promise<void> {
    this.slots.clear();
    this.bytes = 0;
  }

  private isValid(slot: Slot): boolean {
    if (slot.epoch !== this.epoch || slot.expiresAtMillis <= Date.now()) return false;
    const { tables, gens } = slot;
    for (let i = 0; i < tables.length; i++) if ((this.generations.get(tables[i]) ?? 0) !== gens[i]) return false;
    return true;
  }

  private stamp(tables: readonly string[]): number[] {
    const s = new Array<number>(tables.length + 1);
    s[0] = this.epoch;
    for (let i = 0; i < tables.length; i++) s[i + 1] = this.generations.get(tables[i]) ?? 0;
    return s;
  }

  private remove(key: string, slot: Slot): void {
    this.slots.delete(key);
    this.bytes -= slot.bytes;
  }

  /** Evicts from the old end; a slot hit since it was last considered gets a second chance. */
  private evict(): void {
    while (this.slots.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.slots.entries().next();
      if (oldest.done) return;
      const [key, slot] = oldest.value;
      this.slots.delete(key);
      if (slot.used && this.slots.size > 0) {
        slot.used = false;
        this.slots.set(key, slot);
      } else {
        this.bytes -= slot.bytes;
      }
    }
  }
}

function estimateBytes(key: string, payload: unknown): number {
  let json: number;
  try {
    json = JSON.stringify(payload)?.length ?? 0;
  } catch {
    json = 1024;
  }
  return ENTRY_OVERHEAD_BYTES + 2 * (key.length + json);
}

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`MemoryStore: option ${name} must be a positive integer, got ${String(v)}`);
  return v;
}
