import { randomBytes } from 'node:crypto';
import { diag } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import type { CacheEntry, CacheStore, Stamp, StoreLookup, StoreSettings } from './CacheStore';
import { BUMP_SCRIPT, LOOKUP_SCRIPT } from './redisScripts';
import { decodeJson, decrypt, encodeJson, encrypt } from './valueCodec';

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /** An ioredis client (owned by the caller: {@link RedisStore.close} does not quit it). */
  client: Redis;
  /**
   * Namespace of every key this store writes (entries, generations, epoch).
   * @default 'querylens:cache'
   */
  namespace?: string;
  /**
   * Entries whose rebuilt result this process keeps as a template (oldest dropped beyond).
   * A hit still costs one round trip, in which Redis checks the generations and that the
   * entry is still the version held here; it then sends no payload. 0 disables.
   * @default 5000
   */
  maxLocalEntries?: number;
  /**
   * Upper bound of the local templates' size, in bytes (measured as the serialised entry
   * size); oldest dropped beyond.
   * @default 33554432 (32 MiB)
   */
  maxLocalBytes?: number;
}

const PLAIN = 0x4a; // 'J'
const SEALED = 0x47; // 'G'
const MISS_UNTRUSTED: StoreLookup = { hit: false, stamp: null, error: true };

/** Scripts defined without a fixed key count: the first argument is the number of keys. */
type ScriptClient = Redis & {
  qlLookupBuffer(numKeys: number, ...keysThenArgs: string[]): Promise<[number, Buffer]>;
  qlBump(numKeys: number, ...keys: string[]): Promise<number>;
};

/**
 * Redis store: entries and table generations live in Redis, so every app instance
 * sharing the Redis sees every invalidation. A lookup is one EVALSHA that reads the
 * entry and the generations it depends on together; entries carry a Redis TTL.
 *
 * Failure rules: a call slower than `redisTimeoutMillis`, or any error, falls through
 * to the database and is counted. After any lost contact (error, timeout, reconnect)
 * the store trusts nothing until it has bumped the shared epoch, which invalidates
 * every entry written while an invalidation may have been lost.
 */
export class RedisStore implements CacheStore {
  readonly kind = 'redis';
  readonly shared = true;
  private readonly client: ScriptClient;
  private readonly ns: string;
  private readonly seqKey: string;
  private readonly epochKey: string;
  private key?: Buffer;
  private timeoutMillis = 50;
  private onError: StoreSettings['onError'] = () => undefined;
  /** True from the first failure until the epoch bump after reconnect has succeeded. */
  private untrusted = false;
  private recovering?: Promise<void>;
  private readonly listeners: Array<[string, (...a: any[]) => void]> = [];
  private closed = false;
  /** Set once the client has been ready: a later disconnect means contact was lost. */
  private everReady: boolean;
  /** Local templates by key, each valid only for its entry id; capped by maxLocalEntries and maxLocalBytes (oldest dropped). */
  private readonly local = new Map<string, CacheEntry>();
  private readonly maxLocalEntries: number;
  private readonly maxLocalBytes: number;
  private localBytes = 0;

  constructor(options: RedisStoreOptions) {
    if (!options || !options.client || typeof (options.client as any).defineCommand !== 'function') {
      throw new Error('RedisStore: option client must be an ioredis client');
    }
    this.client = options.client as ScriptClient;
    this.ns = options.namespace ?? 'querylens:cache';
    if (typeof this.ns !== 'string' || this.ns.length === 0) throw new Error('RedisStore: option namespace must be a non-empty string');
    this.maxLocalEntries = options.maxLocalEntries ?? 5000;
    if (!Number.isInteger(this.maxLocalEntries) || this.maxLocalEntries < 0) {
      throw new Error('RedisStore: option maxLocalEntries must be a non-negative integer');
    }
    this.maxLocalBytes = options.maxLocalBytes ?? 32 * 1024 * 1024;
    if (typeof this.maxLocalBytes !== 'number' || !(this.maxLocalBytes >= 0)) {
      throw new Error('RedisStore: option maxLocalBytes must be a non-negative number');
    }
    this.seqKey = `${this.ns}:seq`;
    this.epochKey = `${this.ns}:epoch`;
    if (typeof this.client.qlLookupBuffer !== 'function') {
      this.client.defineCommand('qlLookup', { lua: LOOKUP_SCRIPT });
      this.client.defineCommand('qlBump', { lua: BUMP_SCRIPT });
    }
    this.everReady = this.client.status === 'ready';
    const lost = (): void => {
      if (this.everReady) this.untrusted = true;
      this.clearLocal();
    };
    const ready = (): void => {
      this.everReady = true;
      if (this.untrusted) this.recover();
    };
    for (const [ev, fn] of [['close', lost], ['reconnecting', lost], ['end', lost], ['error', lost], ['ready', ready]] as const) {
      this.client.on(ev, fn);
      this.listeners.push([ev, fn]);
    }
  }

  get encrypted(): boolean {
    return this.key !== undefined;
  }

  configure(settings: StoreSettings): void {
    this.key = settings.encryptionKey;
    this.timeoutMillis = settings.timeoutMillis;
    this.onError = settings.onError;
  }

  /** True while the store refuses to serve because an invalidation may have been lost. */
  get isUntrusted(): boolean {
    return this.untrusted;
  }

  async lookup(key: string, tables: readonly string[]): Promise<StoreLookup> {
    if (!this.usable()) return MISS_UNTRUSTED;
    const keys = new Array<string>(tables.length + 3);
    keys[0] = this.entryKey(key);
    keys[1] = this.seqKey;
    keys[2] = this.epochKey;
    for (let i = 0; i < tables.length; i++) keys[i + 3] = this.genKey(tables[i]);
    const known = this.local.get(key);
    let reply: [number, Buffer];
    try {
      reply = await this.timed(this.client.qlLookupBuffer(keys.length, ...keys, known?.id ?? ''));
    } catch (err) {
      // A slow or failed read loses no invalidation: count it, fall through, keep trusting.
      this.onError(err, 'lookup');
      return MISS_UNTRUSTED;
    }
    if (this.untrusted) return MISS_UNTRUSTED;
    if (reply[0] === 2 && known !== undefined) return { hit: true, entry: known, fresh: false };
    if (reply[0] === 1) {
      if (known !== undefined) this.dropLocal(key);
      try {
        const rest = reply[1];
        const nl = rest.indexOf(10);
        const id = rest.subarray(0, nl).toString();
        return { hit: true, entry: { payload: this.decodeValue(rest.subarray(nl + 1), keys[0]), id, bytes: rest.length }, fresh: true };
      } catch (err) {
        this.onError(err, 'lookup');
        return { hit: false, stamp: null, error: true };
      }
    }
    return { hit: false, stamp: reply[1].toString() };
  }

  async store(key: string, _tables: readonly string[], stamp: Stamp, entry: CacheEntry, ttlSeconds: number): Promise<void> {
    if (!this.usable() || typeof stamp !== 'string') return;
    const k = this.entryKey(key);
    try {
      const id = randomBytes(12).toString('base64url');
      const value = Buffer.concat([Buffer.from(`${stamp}\n${id}\n`), this.encodeValue(entry.payload, k)]);
      if (entry.template !== undefined) this.adopt(key, { template: entry.template, build: entry.build, id, bytes: value.length });
      await this.timed(this.client.set(k, value, 'EX', Math.max(1, Math.ceil(ttlSeconds))));
    } catch (err) {
      // A late or lost SET is harmless: the entry carries its stamp.
      this.onError(err, 'store');
    }
  }

  async invalidateTables(tables: readonly string[]): Promise<void> {
    if (tables.length === 0) return;
    await this.bump(tables.map((t) => this.genKey(t)));
  }

  async invalidateAll(): Promise<void> {
    await this.bump([this.epochKey]);
  }

  adopt(key: string, entry: CacheEntry): void {
    const bytes = entry.bytes ?? 1024;
    if (this.maxLocalEntries === 0 || entry.id === undefined || entry.template === undefined || bytes > this.maxLocalBytes) return;
    this.dropLocal(key);
    while (this.local.size > 0 && (this.local.size >= this.maxLocalEntries || this.localBytes + bytes > this.maxLocalBytes)) {
      this.dropLocal(this.local.keys().next().value!);
    }
    this.local.set(key, { ...entry, bytes });
    this.localBytes += bytes;
  }

  private dropLocal(key: string): void {
    const old = this.local.get(key);
    if (old === undefined) return;
    this.local.delete(key);
    this.localBytes -= old.bytes ?? 0;
  }

  private clearLocal(): void {
    this.local.clear();
    this.localBytes = 0;
  }

  entryCount(): number {
    return -1;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [ev, fn] of this.listeners) this.client.off(ev, fn);
    this.listeners.length = 0;
  }

  private async bump(keys: string[]): Promise<void> {
    if (this.client.status !== 'ready') {
      // The invalidation cannot be delivered: every instance must distrust entries until the epoch moves.
      this.fail(new Error(`RedisStore: Redis not ready (${this.client.status}), invalidation deferred to epoch bump`));
      return;
    }
    try {
      await this.timed(this.client.qlBump(keys.length + 1, this.seqKey, ...keys));
    } catch (err) {
      this.fail(err);
    }
  }

  private usable(): boolean {
    if (this.closed) return false;
    if (this.client.status !== 'ready') {
      if (this.everReady) this.untrusted = true;
      return false;
    }
    if (this.untrusted) {
      this.recover();
      return false;
    }
    return true;
  }

  private recover(): void {
    if (this.recovering || this.closed || this.client.status !== 'ready') return;
    this.recovering = this.timed(this.client.qlBump(2, this.seqKey, this.epochKey))
      .then(
        () => {
          this.untrusted = false;
          diag.info('RedisStore: contact restored, epoch bumped, cache trusted again');
        },
        (err) => this.onError(err, 'bump'),
      )
      .finally(() => {
        this.recovering = undefined;
      });
  }

  private fail(err: unknown): void {
    this.untrusted = true;
    this.clearLocal();
    this.onError(err, 'bump');
  }

  private timed<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`RedisStore: no reply within ${this.timeoutMillis} ms`)), this.timeoutMillis);
      timer.unref();
      p.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  private entryKey(key: string): string {
    return `${this.ns}:e:${key}`;
  }

  private genKey(table: string): string {
    return `${this.ns}:g:${table}`;
  }

  private encodeValue(payload: unknown, aad: string): Buffer {
    const json = Buffer.from(encodeJson(payload));
    if (!this.key) return Buffer.concat([Buffer.of(PLAIN), json]);
    return Buffer.concat([Buffer.of(SEALED), encrypt(this.key, json, aad)]);
  }

  private decodeValue(buf: Buffer, aad: string): unknown {
    const tag = buf[0];
    if (tag === SEALED) {
      if (!this.key) throw new Error('RedisStore: encrypted entry found but no encryptionKey configured');
      return decodeJson(decrypt(this.key, buf.subarray(1), aad).toString());
    }
    if (tag === PLAIN) {
      if (this.key) throw new Error('RedisStore: unencrypted entry found while encryptionKey is configured');
      return decodeJson(buf.subarray(1).toString());
    }
    throw new Error('RedisStore: unknown entry format');
  }
}
