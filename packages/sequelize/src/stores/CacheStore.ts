/**
 * What a {@link CacheStore} keeps for one cached read. A shared store keeps `payload`, a
 * plain tree (objects, arrays, primitives, Date, Buffer) it can serialise; an in-process
 * store keeps `template`, a private copy of the result's instances that is cloned on
 * every hit and never handed out. `build` is process-local (model build options).
 */
export interface CacheEntry {
  readonly payload?: unknown;
  readonly template?: unknown;
  readonly build?: unknown;
  /** Version of a shared entry (set by the store): a local template is valid for this version only. */
  readonly id?: string;
  /** Serialised size of a shared entry, in bytes (set by the store; bounds local templates). */
  readonly bytes?: number;
}

/**
 * The generations a read saw before it queried the database. Opaque to callers: it is
 * handed back to {@link CacheStore.store} unchanged.
 */
export type Stamp = string | readonly number[];

/** Result of {@link CacheStore.lookup}. */
export type StoreLookup =
  | { readonly hit: true; readonly entry: CacheEntry; /** True when `payload` is already a private copy. */ readonly fresh: boolean }
  | { readonly hit: false; /** Null when the store cannot vouch for its state: do not store. */ readonly stamp: Stamp | null; readonly error?: boolean };

/** Settings the {@link QueryCache} passes to its store at install. */
export interface StoreSettings {
  /** AES-256-GCM key for values that leave the process. */
  readonly encryptionKey?: Buffer;
  /** Upper bound for one store round trip before the read falls through to the database. */
  readonly timeoutMillis: number;
  /**
   * Called on every store failure. Lookup failures are also reported by the lookup's
   * `error: true` (the cache counts them once, per model); `store`/`bump` failures are
   * counted from here.
   */
  readonly onError: (err: unknown, operation: 'lookup' | 'store' | 'bump') => void;
}

/**
 * A cache backend. Correctness contract: an entry stored under a stamp is served only
 * while every table generation (and the store epoch) in that stamp is unchanged, and
 * {@link invalidateTables} changes the generation of each table in O(1) (no key scan).
 */
export interface CacheStore {
  /** `memory` or `redis`, used in logs and metrics. */
  readonly kind: string;
  /** True when entries leave the process (then keys must be HMACs and values may be encrypted). */
  readonly shared: boolean;
  /** Whether values are encrypted at rest (set after {@link configure}). */
  readonly encrypted: boolean;
  configure(settings: StoreSettings): void;
  /** Looks `key` up and, in the same step, reads the current generations of `tables`. */
  lookup(key: string, tables: readonly string[]): StoreLookup | Promise<StoreLookup>;
  /** Stores an entry under the stamp returned by the lookup that missed. Never throws. */
  store(key: string, tables: readonly string[], stamp: Stamp, entry: CacheEntry, ttlSeconds: number): void | Promise<void>;
  /** Bumps the generation of each table. Never throws. */
  invalidateTables(tables: readonly string[]): void | Promise<void>;
  /** Bumps the epoch: every entry becomes invalid. Never throws. */
  invalidateAll(): void | Promise<void>;
  /**
   * Optional: keep a local template for a shared entry just rebuilt from its payload, so
   * the next hit on the same version skips transfer, decryption and rebuilding.
   */
  adopt?(key: string, entry: CacheEntry): void;
  /** Number of entries held, or -1 when unknown. */
  entryCount(): number;
  /** Releases timers and listeners (not the client passed in by the user). */
  close(): Promise<void>;
}
