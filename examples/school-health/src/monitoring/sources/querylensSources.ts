import { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/sequelize';
import { report } from '@querylens/node';
import { poolStatus, QueryCache } from '@querylens/sequelize';
import type { Sequelize } from 'sequelize';
import type { CacheStatsView, MonitoringSources, PerformanceReportView, PoolStatusView } from './MonitoringSources';

/** Resolves a provider on first success and remembers it (`undefined` until the app registered it). */
function lazyProvider<T>(moduleRef: ModuleRef, token: unknown): () => T | undefined {
  let instance: T | undefined;
  return () => (instance ??= lookup(moduleRef, token) as T | undefined);
}

/** Looks up a provider anywhere in the app; `undefined` when it is not registered. */
function lookup(moduleRef: ModuleRef, token: unknown): unknown {
  if (!token) return undefined;
  try {
    return moduleRef.get(token as never, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * {@link MonitoringSources} backed by the public APIs of the querylens packages:
 * `report()` of `@querylens/node` (the register's live report), the app's
 * `QueryCache` provider (`stats()`) and `poolStatus()` of `@querylens/sequelize`
 * over the app's Sequelize connection. Providers are resolved on first use
 * (then remembered), so the module works whatever order the app's modules start in. Readers
 * never throw: a failure is logged once per source and reads as `undefined`.
 */
export function querylensSources(moduleRef: ModuleRef): MonitoringSources {
  const logger = new Logger('MonitoringSources');
  const warned = new Set<string>();
  const safe = <T>(name: string, read: () => T | undefined): T | undefined => {
    try {
      return read();
    } catch (err) {
      if (!warned.has(name)) {
        warned.add(name);
        // The error class only: messages of database errors can carry row values.
        logger.warn(`${name} unavailable (${(err as Error)?.name ?? 'error'})`);
      }
      return undefined;
    }
  };
  const cache = lazyProvider<QueryCache>(moduleRef, QueryCache);
  const sequelize = lazyProvider<Sequelize>(moduleRef, getConnectionToken());
  return {
    report: () => safe<PerformanceReportView>('report', () => report()),
    cacheStats: () =>
      safe<CacheStatsView>('cache', () => cache()?.stats()),
    poolStatus: () =>
      safe<PoolStatusView>('pool', () => {
        const s = sequelize();
        return s ? poolStatus(s) : undefined;
      }),
  };
}
