import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { diag, trace } from '@opentelemetry/api';
import type { ModelStatic, Sequelize } from 'sequelize';
import type { CacheStore, Stamp, StoreLookup } from '../stores/CacheStore';
import { normalizeTableName } from '../sql/tableNames';
import { CacheMetrics } from './CacheMetrics';
import { CacheAttributeNames } from './names';
import { describeQuery } from './describeQuery';
import { patchModelChain, patchModelClass, registry, type CachedReader } from './patchModel';
import { collectReadTables, tableOf } from './readTables';
import { cloneResult } from './cloneResult';
import { buildOptionsFor, decodeResult, encodeResult, type Payload } from './resultCodec';
import type { CacheEntry } from '../stores/CacheStore';
import type { CacheReadOptions, CacheStats, ModelCacheOptions, QueryCacheOptions } from './types';
import { DatabaseRead } from './DatabaseRead';
import { errorText } from './errorText';
import { UNKNOWN_FUNCTION, UNKNOWN_TABLE, VOLATILE_READ, WriteInterceptor } from './WriteInterceptor';
import { READ_ONLY_FUNCTIONS } from '../sql/functionCalls';

const FIND_HOOKS = ['beforeFind', 'beforeFindAfterExpandIncludeAll', 'beforeFindAfterOptions', 'afterFind'];
const COUNT_HOOKS = ['beforeCount'];
/** Build options remembered for entries read from a shared store (oldest dropped beyond). */
const MAX_BUILDS = 2000;
/** Default of {@link QueryCacheOptions.keyMemoEntries}. */
const DEFAULT_KEY_MEMO_ENTRIES = 10_000;

/**
 * A transaction-aware query cache for Sequelize 6 that never serves stale data.
 *
 * Reads opt in per call (`cache: true | {...}`) or per model (`cacheByDefault`). Each
 * cached read records the generation of every table it reads, taken before the database
 * query; every write, whatever its path, bumps the generations of the tables it writes
 * (see {@link WriteInterceptor}), so invalidation is O(1) and an entry written by a reader
 * that raced a writer is never served.
 *
 * Single flight: concurrent identical misses under the same generations share one
 * database query (the in-flight map holds one promise per distinct pending read and is
 * emptied as each settles).
 */
export class QueryCache implements CachedReader {
  private readonly store: CacheStore;
  private readonly baseModel: any;
  private readonly secret: string | Buffer;
  private readonly defaultTtlSeconds: number;
  private readonly models: Readonly<Record<string, ModelCacheOptions>>;
  private readonly metrics: CacheMetrics;
  private readonly writes: WriteInterceptor;
  private readonly flights = new Map<string, Promise<CacheEntry | undefined>>();
  /**
   * Key memo: query description -> HMAC key, because an HMAC (about 4 µs) costs more than
   * the rest of a memory hit. The descriptions hold the query's values (ids, names), so
   * they are PHI: they live only in this map, in this process's heap (never stored in a
   * cache store, logged, exported or put in a span), at most `keyMemoEntries` of them
   * (oldest dropped first; 0 disables the memo), and are gone when the process exits or
   * the cache is uninstalled. The map key is the whole description (length-prefixed key
   * prefix + description), so two different queries can never share a key.
   */
  private readonly keys = new Map<string, string>();
  private readonly keyMemoEntries: number;
  /** Process-local build options for entries of a shared store; capped at MAX_BUILDS (oldest dropped). */
  private readonly builds = new Map<string, unknown>();
  private readonly warned = new Set<string>();
  private installed = true;

  private constructor(
    private readonly sequelize: Sequelize,
    options: QueryCacheOptions,
  ) {
    const store = options?.store;
    if (!store || typeof store.lookup !== 'function') throw new Error('QueryCache: option store must be a MemoryStore or RedisStore');
    this.store = store;
    this.defaultTtlSeconds = positive(options.defaultTtlSeconds ?? 300, 'defaultTtlSeconds');
    this.models = options.models ?? {};
    for (const [name, m] of Object.entries(this.models)) {
      if (m?.ttlSeconds !== undefined) positive(m.ttlSeconds, `models.${name}.ttlSeconds`);
    }
    if (options.keySecret !== undefined && (typeof options.keySecret !== 'string' || options.keySecret.length < 16)) {
      throw new Error('QueryCache: option keySecret must be a string of at least 16 characters');
    }
    if (options.keySecret === undefined && store.shared) {
      throw new Error('QueryCache: option keySecret is required with a shared store (every instance must derive the same keys)');
    }
    this.secret = options.keySecret ?? randomBytes(32);
    const key = options.encryptionKey;
    if (key !== undefined && (!Buffer.isBuffer(key) || key.length !== 32)) {
      throw new Error('QueryCache: option encryptionKey must be a 32-byte Buffer (AES-256-GCM)');
    }
    const timeoutMillis = positive(options.redisTimeoutMillis ?? 50, 'redisTimeoutMillis');
    this.metrics = new CacheMetrics(options.meterProvider, () => store.entryCount());
    store.configure({
      encryptionKey: key,
      timeoutMillis,
      onError: (err, operation) => {
        if (operation !== 'lookup') this.metrics.count('error', 'store');
        this.warnOnce('store', `QueryCache: ${store.kind} store error, reads fall through to the database: ${errorText(err)}`);
      },
    });
    if (store.shared && !store.encrypted) {
      diag.warn('QueryCache: a shared (Redis) store is used without encryptionKey: cached rows (PHI) are stored in clear in Redis');
    }
    const seqCtor = (sequelize as any)?.constructor;
    this.baseModel = seqCtor?.Model;
    if (typeof this.baseModel !== 'function') throw new Error('QueryCache: first argument must be a Sequelize instance');
    this.keyMemoEntries = options.keyMemoEntries ?? DEFAULT_KEY_MEMO_ENTRIES;
    if (typeof this.keyMemoEntries !== 'number' || !Number.isInteger(this.keyMemoEntries) || this.keyMemoEntries < 0) {
      throw new Error(`QueryCache: option keyMemoEntries must be a non-negative integer, got ${String(options.keyMemoEntries)}`);
    }
    const readOnly = options.readOnlyFunctions ?? [];
    if (!Array.isArray(readOnly) || readOnly.some((f) => typeof f !== 'string' || f === '')) {
      throw new Error('QueryCache: option readOnlyFunctions must be an array of function names');
    }
    const deps = options.writeDependencies ?? {};
    if (typeof deps !== 'object' || deps === null) throw new Error('QueryCache: option writeDependencies must be an object');
    for (const [name, targets] of Object.entries(deps)) {
      if (!Array.isArray(targets) || targets.some((t) => typeof t !== 'string' || t === '')) {
        throw new Error(`QueryCache: option writeDependencies.${name} must be an array of model or table names`);
      }
    }
    const functions = readOnly.length ? new Set([...READ_ONLY_FUNCTIONS, ...readOnly.map((f) => f.toLowerCase())]) : READ_ONLY_FUNCTIONS;
    this.writes = new WriteInterceptor(sequelize, (all, tables) => this.bump(all, tables), functions, deps);
  }

  /**
   * Installs the cache on a Sequelize instance: wraps the finder statics (once, on the
   * base Model class) and `sequelize.query`. Throws on invalid options (naming the option)
   * or when a cache is already installed on this instance.
   */
  static install(sequelize: Sequelize, options: QueryCacheOptions): QueryCache {
    if (registry.has(sequelize)) throw new Error('QueryCache: already installed on this Sequelize instance (call uninstall() first)');
    const cache = new QueryCache(sequelize, options);
    patchModelClass(cache.baseModel);
    for (const m of (sequelize as any).modelManager?.models ?? []) patchModelChain(m, cache.baseModel);
    // Models defined later (sequelize-typescript addModels, lazy init) are patched as they come.
    sequelize.addHook('afterDefine', 'querylens-cache', (m: any) => patchModelChain(m, cache.baseModel));
    cache.writes.install();
    registry.set(sequelize, cache);
    return cache;
  }

  /** Counters since install (see {@link CacheStats}). */
  stats(): CacheStats {
    return this.metrics.stats(this.store.entryCount());
  }

  /** Invalidates every entry that read the given models or tables (O(1) per table). */
  async invalidate(target: ModelStatic<any> | string | ReadonlyArray<ModelStatic<any> | string>): Promise<void> {
    const list = Array.isArray(target) ? target : [target];
    await this.store.invalidateTables(list.map((t) => (typeof t === 'string' ? normalizeTableName(t) : tableOf(t))));
  }

  /** Invalidates every entry of this store (bumps the epoch). */
  async invalidateAll(): Promise<void> {
    await this.store.invalidateAll();
  }

  /** Stops caching and intercepting on this Sequelize instance. Idempotent. Entries stay in the store. */
  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    if (registry.get(this.sequelize) === this) registry.delete(this.sequelize);
    this.sequelize.removeHook('afterDefine', 'querylens-cache');
    this.writes.uninstall();
    this.keys.clear();
  }

  /** {@link uninstall} and release the store's listeners (the Redis client itself is the caller's). */
  async close(): Promise<void> {
    this.uninstall();
    await this.store.close();
  }

  /** @internal Called by the patched finder statics. */
  read(model: any, method: string, original: (...a: any[]) => Promise<any>, args: any[], optionsIndex: number): Promise<any> {
    const options = args[optionsIndex];
    const request = options?.cache;
    if (request === false) return original.apply(model, args);
    const cfg = this.models[model.name];
    if ((request === undefined || request === null) && !cfg?.cacheByDefault) return original.apply(model, args);
    const t0 = performance.now();
    const inner = new DatabaseRead(model, original, args, optionsIndex);
    const name: string = model.name;
    if (this.mustBypass(model, method, options, cfg)) return this.bypass(inner, name);
    const req: CacheReadOptions | undefined = typeof request === 'object' && request !== null ? request : undefined;
    let tables: readonly string[];
    let desc: string | undefined;
    try {
      tables = collectReadTables(model, options, req?.dependsOn);
      desc = describeQuery(method, model, this.baseModel, args, optionsIndex);
    } catch {
      desc = undefined;
      tables = [];
    }
    if (desc === undefined) return this.bypass(inner, name);
    const prefix = req?.keyPrefix ?? cfg?.keyPrefix ?? 'q';
    const memo = prefix.length + ':' + prefix + desc;
    let key = this.keyMemoEntries > 0 ? this.keys.get(memo) : undefined;
    if (key === undefined) {
      key = `${prefix}:${name}:${createHmac('sha256', this.secret).update(desc).digest('base64url')}`;
      if (this.keyMemoEntries > 0) {
        if (this.keys.size >= this.keyMemoEntries) this.keys.delete(this.keys.keys().next().value!);
        this.keys.set(memo, key);
      }
    }
    const ttl = req?.ttlSeconds ?? cfg?.ttlSeconds ?? this.defaultTtlSeconds;
    let look: StoreLookup | Promise<StoreLookup>;
    try {
      look = this.store.lookup(key, tables);
    } catch (err) {
      look = { hit: false, stamp: null, error: true };
      this.warnOnce('lookup', `QueryCache: lookup failed: ${errorText(err)}`);
    }
    if (look instanceof Promise) {
      return look.then(
        (l) => this.afterLookup(l, model, inner, options, key, tables, ttl, t0),
        (err) => {
          this.warnOnce('lookup', `QueryCache: lookup failed: ${errorText(err)}`);
          return this.afterLookup({ hit: false, stamp: null, error: true }, model, inner, options, key, tables, ttl, t0);
        },
      );
    }
    return this.afterLookup(look, model, inner, options, key, tables, ttl, t0);
  }

  private afterLookup(
    look: StoreLookup, model: any, inner: DatabaseRead, options: any,
    key: string, tables: readonly string[], ttl: number, t0: number,
  ): Promise<any> {
    const name: string = model.name;
    if (look.hit) {
      try {
        const result = this.materialize(look.entry, look.fresh, key, model, options);
        this.metrics.hit(name, performance.now() - t0);
        this.spanEvent('hit', name);
        return Promise.resolve(result);
      } catch (err) {
        this.metrics.count('error', name);
        this.warnOnce('decode', `QueryCache: cached ${name} entry could not be rebuilt: ${errorText(err)}`);
        return inner.run();
      }
    }
    if (look.stamp === null) {
      this.metrics.count(look.error ? 'error' : 'bypass', name);
      return inner.run();
    }
    const stamp = look.stamp;
    const flightKey = key + '\n' + (typeof stamp === 'string' ? stamp : stamp.join(','));
    const pending = this.flights.get(flightKey);
    if (pending !== undefined) return this.follow(pending, model, inner, t0, key, options);
    let settle!: (e: CacheEntry | undefined) => void;
    this.flights.set(flightKey, new Promise((r) => (settle = r)));
    const sink = new Set<string>();
    return inner.run(sink).then(
      (result) => {
        const enc = this.storable(sink, tables, name) ? this.entryOf(result) : undefined;
        if (enc !== undefined) {
          if (this.store.shared && enc.build !== undefined) this.remember(key, enc.build);
          this.save(key, tables, stamp, enc, ttl);
        }
        this.flights.delete(flightKey);
        settle(enc);
        this.metrics.miss(name, performance.now() - t0);
        this.spanEvent('miss', name);
        return result;
      },
      (err) => {
        this.flights.delete(flightKey);
        settle(undefined);
        throw err;
      },
    );
  }

  /** A private copy of a result for the store: a template (in-process) or a payload (shared). */
  private entryOf(result: unknown): CacheEntry | undefined {
    try {
      const template = cloneResult(result, this.baseModel);
      if (!this.store.shared) return { template };
      const encoded = encodeResult(result, this.baseModel);
      return encoded && { ...encoded, template };
    } catch {
      return undefined;
    }
  }

  /** A fresh result from an entry: clone of the template, or instances rebuilt from the payload. */
  private materialize(entry: CacheEntry, fresh: boolean, key: string, model: any, options: any): unknown {
    if (entry.template !== undefined) return cloneResult(entry.template, this.baseModel);
    const payload = entry.payload as Payload;
    let build = entry.build;
    if (build === undefined && payload.k !== 'p') build = this.sharedBuild(key, model, options);
    const result = decodeResult(payload, model, build, fresh, this.baseModel);
    if (entry.id !== undefined && this.store.adopt !== undefined) {
      this.store.adopt(key, { template: cloneResult(result, this.baseModel), build, id: entry.id, bytes: entry.bytes });
    }
    return result;
  }

  private follow(pending: Promise<CacheEntry | undefined>, model: any, inner: DatabaseRead, t0: number, key: string, options: any): Promise<any> {
    return pending.then((enc) => {
      if (enc === undefined) return inner.run();
      let result: unknown;
      try {
        result = this.materialize(enc, false, key, model, options);
      } catch (err) {
        this.warnOnce('decode', `QueryCache: cached ${model.name} entry could not be rebuilt: ${errorText(err)}`);
        return inner.run();
      }
      this.metrics.miss(model.name, performance.now() - t0);
      this.spanEvent('miss', model.name);
      return result;
    });
  }

  private save(key: string, tables: readonly string[], stamp: Stamp, enc: CacheEntry, ttl: number): void {
    try {
      const r = this.store.store(key, tables, stamp, enc, ttl);
      if (r instanceof Promise) r.catch((err) => this.warnOnce('store', `QueryCache: store failed: ${errorText(err)}`));
    } catch (err) {
      this.warnOnce('store', `QueryCache: store failed: ${errorText(err)}`);
    }
  }

  /**
   * A miss is stored only if its SQL read no table outside the generations it took, and
   * calls nothing time-dependent (NOW(), CURRENT_DATE, random(): the same query gives
   * another answer later with no write to invalidate it) or unknown (it may write).
   */
  private storable(sink: Set<string>, tables: readonly string[], name: string): boolean {
    if (sink.has(VOLATILE_READ)) {
      this.warnOnce(`volatile:${name}`, `QueryCache: a cached ${name} read calls a time-dependent or random function (e.g. NOW(), CURRENT_DATE, random()); it is run but not stored.`);
      return false;
    }
    if (sink.has(UNKNOWN_FUNCTION)) {
      this.warnOnce(`function:${name}`, `QueryCache: a cached ${name} read calls a function not known to be read-only; it is run but not stored, and invalidates everything. List it in readOnlyFunctions if it writes nothing.`);
      return false;
    }
    for (const t of sink) {
      if (!tables.includes(t)) {
        this.warnOnce(`tables:${name}`, `QueryCache: a cached ${name} read touched a table the cache cannot see (${t === UNKNOWN_TABLE ? 'unparsed SQL' : 'e.g. a literal subquery'}); it is not stored. Pass cache.dependsOn to cache it.`);
        return false;
      }
    }
    return true;
  }

  private mustBypass(model: any, method: string, options: any, cfg: ModelCacheOptions | undefined): boolean {
    if (!this.installed || this.writes.inTransaction(options) || options?.lock) return true;
    if (options?.rejectOnEmpty || (options?.rejectOnEmpty === undefined && model.options?.rejectOnEmpty)) return true;
    if (cfg?.allowFindHooks) return false;
    const hookNames = method === 'count' ? COUNT_HOOKS : method === 'aggregate' ? [] : method === 'findAndCountAll' ? [...FIND_HOOKS, ...COUNT_HOOKS] : FIND_HOOKS;
    const own = model.options?.hooks;
    const global = model.sequelize?.options?.hooks;
    for (const h of hookNames) if (own?.[h]?.length || global?.[h]?.length) return true;
    return false;
  }

  private bypass(inner: DatabaseRead, name: string): Promise<any> {
    this.metrics.count('bypass', name);
    return inner.run();
  }

  private sharedBuild(key: string, model: any, options: any): unknown {
    let b = this.builds.get(key);
    if (b === undefined) {
      b = buildOptionsFor(model, options);
      this.remember(key, b);
    }
    return b;
  }

  private remember(key: string, build: unknown): void {
    if (this.builds.size >= MAX_BUILDS && !this.builds.has(key)) this.builds.delete(this.builds.keys().next().value!);
    this.builds.set(key, build);
  }

  private async bump(all: boolean, tables: readonly string[]): Promise<void> {
    try {
      if (all) await this.store.invalidateAll();
      else if (tables.length) await this.store.invalidateTables(tables);
    } catch (err) {
      this.metrics.count('error', 'store');
      this.warnOnce('bump', `QueryCache: invalidation failed: ${errorText(err)}`);
    }
  }

  private spanEvent(result: 'hit' | 'miss', model: string): void {
    const span = trace.getActiveSpan();
    if (span !== undefined) span.addEvent('querylens.cache', { [CacheAttributeNames.CACHE_RESULT]: result, [CacheAttributeNames.CACHE_MODEL]: model });
  }

  private warnOnce(topic: string, message: string): void {
    if (this.warned.has(topic) || this.warned.size > 100) return;
    this.warned.add(topic);
    diag.warn(message);
  }
}

function positive(v: number, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`QueryCache: option ${name} must be a positive number, got ${String(v)}`);
  return v;
}
