import type { Redis } from 'ioredis';
import { Client } from 'pg';

/** This example's own test database (other suites use theirs). */
export const TEST_DATABASE = 'ql_app_test';

/** DATABASE_URL with its database name replaced by {@link TEST_DATABASE}. */
export function testDatabaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test');
  url.pathname = `/${TEST_DATABASE}`;
  return url.toString();
}

/** Creates {@link TEST_DATABASE} when it does not exist. */
export async function ensureTestDatabase(): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEST_DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${TEST_DATABASE}`);
  } finally {
    await client.end();
  }
}

/** Redis URL for the Redis-backed variants. */
export function testRedisUrl(): string {
  return process.env.REDIS_URL || 'redis://127.0.0.1:6379';
}

/** Key prefix of every Redis key these tests write (never FLUSHDB: other suites share the server). */
export function testRedisPrefix(): string {
  return `ql_app_test:${process.pid}:`;
}

/** Every key under `prefix` (SCAN, never KEYS: the server is shared). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}
