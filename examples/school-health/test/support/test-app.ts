import type { INestApplication, LoggerService } from '@nestjs/common';
import { Sequelize } from 'sequelize-typescript';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/create-app';
import type { AppConfig } from '../../src/database/app-config';
import { testDatabaseUrl, testRedisPrefix, testRedisUrl } from './database';

/** A running app on a free port, for HTTP tests. */
export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  sequelize: Sequelize;
  /** JSON request helper: returns status and parsed body. */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Options of {@link startTestApp}. */
export interface TestAppOptions {
  /** Use the Redis cache store instead of memory. @default false */
  redis?: boolean;
  config?: Partial<AppConfig>;
  /** Nest logger (e.g. one that records lines). @default false (silent) */
  logger?: LoggerService | false;
}

/**
 * Starts the real app (real PostgreSQL, memory or Redis cache) on port 0. Only one app should be
 * alive at a time in a process: sequelize-typescript binds the model classes to the latest instance.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const app = await createApp({
    logger: options.logger ?? false,
    config: {
      databaseUrl: testDatabaseUrl(),
      redisUrl: options.redis ? testRedisUrl() : undefined,
      redisKeyPrefix: testRedisPrefix(),
      cacheKeySecret: 'test-secret-test-secret-test-secret',
      cacheKeySecretGenerated: false,
      syncSchema: false,
      ...options.config,
    },
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    baseUrl,
    sequelize: app.get(Sequelize),
    async request(method, path, body) {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed };
    },
    close: () => app.close(),
  };
}
