import { randomBytes } from 'node:crypto';

/** Runtime configuration of the app, read once from the environment by {@link loadConfig}. */
export interface AppConfig {
  /** `DATABASE_URL`. @default postgres://postgres@127.0.0.1:5432/school_health */
  databaseUrl: string;
  /** `REDIS_URL`: when set, the query cache lives in Redis; otherwise in memory. @default undefined */
  redisUrl?: string;
  /** `REDIS_KEY_PREFIX`: prefix of every Redis key the app writes (the cache namespace is `<prefix>cache`). @default 'school-health:' */
  redisKeyPrefix: string;
  /** `NODE_ENV`. @default 'development' */
  nodeEnv: string;
  /** `PORT`. @default 3000 */
  port: number;
  /** Create missing tables at boot (`sequelize.sync()`); never in production. `DB_SYNC=false` turns it off. @default nodeEnv !== 'production' */
  syncSchema: boolean;
  /** `DB_POOL_MAX`: Sequelize pool size. @default 10 */
  poolMax: number;
  /** `CACHE_KEY_SECRET`: HMAC secret of cache keys. @default a random secret generated at boot (with a warning) */
  cacheKeySecret: string;
  /** True when {@link cacheKeySecret} was generated because `CACHE_KEY_SECRET` was unset. */
  cacheKeySecretGenerated: boolean;
  /** `CACHE_ENCRYPTION_KEY` (32 bytes, hex or base64): encrypts cached rows at rest. @default undefined (not encrypted) */
  cacheEncryptionKey?: Buffer;
  /** `DEMO_ENDPOINTS=false` removes the deliberate N+1 and slow-query endpoints under `/demo`. @default true */
  demoEndpoints: boolean;
  /** `CACHE_MAX_ENTRIES`: capacity of the memory store (LRU). @default 5000 */
  cacheMaxEntries: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Decodes a 32-byte key given as 64 hex characters or as base64. */
export function parseEncryptionKey(raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new Error('CACHE_ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64');
  return key;
}

/**
 * Reads the configuration from environment variables.
 * @throws Error naming the variable when a value is malformed.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV || 'development';
  const secret = env.CACHE_KEY_SECRET;
  if (secret !== undefined && secret !== '' && secret.length < 16) {
    throw new Error('CACHE_KEY_SECRET must be at least 16 characters');
  }
  return {
    databaseUrl: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/school_health',
    redisUrl: env.REDIS_URL || undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX || 'school-health:',
    nodeEnv,
    port: positiveInt(env, 'PORT', 3000),
    syncSchema: nodeEnv !== 'production' && env.DB_SYNC !== 'false',
    poolMax: positiveInt(env, 'DB_POOL_MAX', 10),
    cacheKeySecret: secret || randomBytes(32).toString('hex'),
    cacheKeySecretGenerated: !secret,
    cacheEncryptionKey: env.CACHE_ENCRYPTION_KEY ? parseEncryptionKey(env.CACHE_ENCRYPTION_KEY) : undefined,
    cacheMaxEntries: positiveInt(env, 'CACHE_MAX_ENTRIES', 5000),
    demoEndpoints: env.DEMO_ENDPOINTS !== 'false',
  };
}
