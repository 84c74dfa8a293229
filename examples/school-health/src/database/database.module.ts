import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { SequelizeModule } from '@nestjs/sequelize';
import { Redis } from 'ioredis';
import { QueryCache } from '@querylens/sequelize';
import { Sequelize } from 'sequelize-typescript';
import type { AppConfig } from './app-config';
import { APP_CONFIG, BULK_BACKPRESSURE, DEFAULT_BULK_BACKPRESSURE } from './database.tokens';
import { createQueryCache } from './query-cache.factory';

/** Injection token of the ioredis client (null when the cache is in memory). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Uninstalls the cache and closes the Redis client when the app shuts down. */
class CacheLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly cache: QueryCache,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close().catch(() => undefined);
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

/**
 * The database layer, global: the Sequelize connection (`@nestjs/sequelize`, models auto-loaded,
 * `sync` only outside production), and for every module the installed {@link QueryCache}
 * (inject it by its class), the {@link AppConfig} (`APP_CONFIG`) and the bulk backpressure options.
 * The Sequelize instance itself is injectable by the `Sequelize` class.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        SequelizeModule.forRoot({
          dialect: 'postgres',
          uri: config.databaseUrl,
          autoLoadModels: true,
          synchronize: config.syncSchema,
          // Sequelize's default logger prints every SQL statement with its values: PHI. Never enable it.
          logging: false,
          // No per-connection `SET client_min_messages` / `SET TIME ZONE` round trip: a new pool
          // connection costs no query (timestamps are timestamptz and Sequelize sends explicit offsets).
          dialectOptions: { clientMinMessages: 'ignore' },
          ...({ keepDefaultTimezone: true } as object), // a Sequelize option missing from its typings
          retryAttempts: 3,
          retryDelay: 1000,
          pool: { max: config.poolMax, min: 0, acquire: 10_000, idle: 10_000 },
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: BULK_BACKPRESSURE, useValue: DEFAULT_BULK_BACKPRESSURE },
        {
          provide: REDIS_CLIENT,
          useFactory: () =>
            config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, connectionName: 'school-health' }) : null,
        },
        {
          provide: QueryCache,
          useFactory: (sequelize: Sequelize, redis: Redis | null) => createQueryCache(sequelize, config, redis),
          inject: [Sequelize, REDIS_CLIENT],
        },
        CacheLifecycle,
      ],
      exports: [APP_CONFIG, BULK_BACKPRESSURE, REDIS_CLIENT, QueryCache],
    };
  }
}
