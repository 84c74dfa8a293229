import { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/sequelize';
import { report } from '@querylens/node';
import * as querylensSequelize from '@querylens/sequelize';
import type { CacheStatsView, MonitoringSources, PerformanceReportView, PoolStatusView } from './MonitoringSources';

type Fn<R> = (...args: any[]) => R;

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
 * over the app's Sequelize connection. Providers are resolved lazily on first
 * use, so the module works whatever order the app's modules start in. Readers
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
  const seq = querylensSequelize as Record<string, unknown>;
  return {
    report: () => safe<PerformanceReportView>('report', () => report()),
    cacheStats: () =>
      safe('cache', () => {
        const cache = lookup(moduleRef, seq.QueryCache) as { stats?: Fn<CacheStatsView> } | undefined;
        return cache?.stats?.();
      }),
    poolStatus: () =>
      safe('pool', () => {
        const poolStatus = seq.poolStatus as Fn<PoolStatusView> | undefined;
        const sequelize = lookup(moduleRef, getConnectionToken());
        return poolStatus && sequelize ? poolStatus(sequelize) : undefined;
      }),
  };
}
