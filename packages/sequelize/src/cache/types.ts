import type { MeterProvider } from '@opentelemetry/api';
import type { DataType, ModelStatic } from 'sequelize';
import type { CacheStore } from '../stores/CacheStore';

/** Per-call cache request: `cache: true` or these options. */
export interface CacheReadOptions {
  /** Lifetime of the entry, in seconds. @default the model's `ttlSeconds`, else `defaultTtlSeconds` */
  ttlSeconds?: number;
  /** First part of the key (`<keyPrefix>:<Model>:<HMAC>`), e.g. `student_detail`. @default the model's keyPrefix, else `q` */
  keyPrefix?: string;
  /**
   * Extra tables (models or table names) the query reads that the cache cannot see,
   * e.g. a subquery inside `sequelize.literal`. Without them such a query is run but not stored.
   * @default []
   */
  dependsOn?: ReadonlyArray<ModelStatic<any> | string>;
}

/** Per-model settings, keyed by model name in {@link QueryCacheOptions.models}. */
export interface ModelCacheOptions {
  /** Lifetime of this model's entries, in seconds. @default QueryCacheOptions.defaultTtlSeconds */
  ttlSeconds?: number;
  /** Cache every read of this model that does not say `cache: false`. @default false */
  cacheByDefault?: boolean;
  /** Key prefix for this model's entries. @default 'q' */
  keyPrefix?: string;
  /**
   * Cache this model's reads even though it has find/count hooks (hooks do not run on a
   * hit). Off by default because a `beforeFind` hook can change the query (e.g. a tenant filter).
   * @default false
   */
  allowFindHooks?: boolean;
}

/** Options of {@link QueryCache.install}. */
export interface QueryCacheOptions {
  /** Where entries and table generations live: a {@link MemoryStore} or a {@link RedisStore}. */
  store: CacheStore;
  /** Lifetime of an entry, in seconds, when neither the call nor the model sets one. @default 300 */
  defaultTtlSeconds?: number;
  /** Per-model settings by model name. @default {} */
  models?: Record<string, ModelCacheOptions>;
  /**
   * HMAC-SHA256 secret for cache keys (at least 16 characters). Required with a shared
   * store (Redis); a random per-process secret is used for a {@link MemoryStore} when omitted.
   */
  keySecret?: string;
  /** 32-byte key: values leaving the process are encrypted with AES-256-GCM. @default none (warned at install with Redis) */
  encryptionKey?: Buffer;
  /** Meter provider for the cache metrics. @default the global provider */
  meterProvider?: MeterProvider;
  /** Longest wait for one Redis round trip before a read falls through to the database. @default 50 */
  redisTimeoutMillis?: number;
  /**
   * Functions of yours (or of extensions, e.g. `unaccent`) that change no table data. A
   * statement calling a function that is neither a known read-only PostgreSQL built-in nor
   * listed here may write any table (a PL/pgSQL function, the triggers it fires), so it
   * invalidates every entry, and a cached read calling one is not stored. Lower-case,
   * unqualified names.
   * @default []
   */
  readOnlyFunctions?: readonly string[];
  /**
   * Tables that triggers write when another table is written, by model or table name:
   * `{ Student: ['AuditLog'] }` invalidates AuditLog's entries whenever students is written
   * (transitively). The cache cannot see what triggers do; list every trigger that writes
   * a cached table here (or call `invalidate()` yourself).
   * @default {}
   */
  writeDependencies?: Record<string, readonly string[]>;
  /**
   * How many query descriptions (they hold the query's values, e.g. an id or a name) are
   * remembered in this process with their HMAC key, so a hit skips the HMAC (about 4 µs).
   * Oldest dropped beyond; the descriptions never leave the process (not stored, logged or
   * exported) but do sit in its heap. 0 computes the HMAC on every read.
   * @default 10000
   */
  keyMemoEntries?: number;
}

/** Counters returned by {@link QueryCache.stats}. */
export interface CacheStats {
  hits: number;
  misses: number;
  /** Cache-eligible reads that were not cached: in a transaction, locked, find hooks, unkeyable options. */
  bypasses: number;
  /** Store failures (timeouts, Redis down, undecodable entries); each such read went to the database. */
  errors: number;
  /** hits / (hits + misses), 0 when there was no lookup. */
  hitRate: number;
  /** Mean duration of a hit (lookup + rebuild), in milliseconds. */
  avgHitMillis: number;
  /** Mean duration of a miss (lookup + query + store), in milliseconds. */
  avgMissMillis: number;
  /** Entries held by the store; -1 when the store cannot tell cheaply (Redis). */
  entries: number;
}

/* eslint-disable @typescript-eslint/no-unused-vars -- declaration merging must repeat the type parameters */
declare module 'sequelize' {
  interface FindOptions<TAttributes = any> {
    /** Serve this read from the querylens cache (`@querylens/sequelize`). `false` forces a database read. */
    cache?: boolean | CacheReadOptions;
  }
  interface CountOptions<TAttributes = any> {
    /** Serve this count from the querylens cache (`@querylens/sequelize`). */
    cache?: boolean | CacheReadOptions;
  }
  interface AggregateOptions<T extends DataType | unknown, TAttributes = any> {
    /** Serve this aggregate from the querylens cache (`@querylens/sequelize`). */
    cache?: boolean | CacheReadOptions;
  }
}
/* eslint-enable @typescript-eslint/no-unused-vars */
