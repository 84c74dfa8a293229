import { Logger } from '@nestjs/common';
import type { Redis as RedisClient } from 'ioredis';
import { MemoryStore, QueryCache, RedisStore, instrumentPool } from '@querylens/sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { AppConfig } from './app-config';
import { CacheTtlSeconds } from './cache-policy';

/**
 * Installs the querylens query cache on the app's Sequelize instance: Redis when `REDIS_URL`
 * is set (the client is passed in so its lifetime stays with the module), memory otherwise.
 * Also instruments the pool so `poolStatus()` and the pool metrics work.
 */
export function createQueryCache(sequelize: Sequelize, config: AppConfig, redis: RedisClient | null): QueryCache {
  const logger = new Logger('QueryCache');
  if (config.cacheKeySecretGenerated) {
    logger.warn('CACHE_KEY_SECRET is not set: generated a random one for this process (cache keys will not survive a restart or be shared between instances)');
  }
  instrumentPool(sequelize);
  const store = redis ? new RedisStore({ client: redis, namespace: `${config.redisKeyPrefix}cache` }) : new MemoryStore({ maxEntries: config.cacheMaxEntries });
  logger.log(`Query cache store: ${redis ? 'redis' : 'memory'}${config.cacheEncryptionKey ? ' (encrypted)' : ''}`);
  return QueryCache.install(sequelize, {
    store,
    defaultTtlSeconds: CacheTtlSeconds.studentList,
    models: {
      Student: { ttlSeconds: CacheTtlSeconds.studentDetail },
      Medication: { ttlSeconds: CacheTtlSeconds.medicationCatalog },
      User: { ttlSeconds: CacheTtlSeconds.userProfile },
      HealthRecord: { ttlSeconds: CacheTtlSeconds.healthSummary },
      Appointment: { ttlSeconds: CacheTtlSeconds.appointmentCalendar },
      EmergencyContact: { ttlSeconds: CacheTtlSeconds.emergencyContacts },
    },
    keySecret: config.cacheKeySecret,
    encryptionKey: config.cacheEncryptionKey,
  });
}
