import { metrics, type BatchObservableResult, type MeterProvider, type Observable } from '@opentelemetry/api';
import type { Sequelize } from 'sequelize';
import { VERSION } from '../version';
import { poolStatus, sequelizePools, type PoolStatus } from './poolStatus';

/** Options of {@link instrumentPool}. */
export interface InstrumentPoolOptions {
  /** Meter provider for the gauges. @default the global provider */
  meterProvider?: MeterProvider;
  /**
   * Value of `db.client.connection.pool.name`; under replication `:read` / `:write` is appended.
   * @default '<host>:<port>/<database>' from the Sequelize config
   */
  poolName?: string;
}

/** Handle returned by {@link instrumentPool}. */
export interface PoolInstrumentation {
  /** Same as {@link poolStatus} for the instrumented Sequelize. */
  status(): PoolStatus;
  /** Stops reporting (idempotent). */
  stop(): void;
}

/**
 * Reports Sequelize's own pool(s) as the OpenTelemetry database-client semantic
 * conventions define: `db.client.connection.count` (attribute `db.client.connection.state`
 * = idle | used), `db.client.connection.max` and `db.client.connection.pending_requests`,
 * each with `db.client.connection.pool.name`. Values are read at collection time only.
 */
export function instrumentPool(sequelize: Sequelize, options: InstrumentPoolOptions = {}): PoolInstrumentation {
  if (!sequelize || !(sequelize as any).connectionManager) throw new Error('instrumentPool: first argument must be a Sequelize instance');
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter('@querylens/sequelize', VERSION);
  const cfg = (sequelize as any).config ?? {};
  const baseName = options.poolName ?? `${cfg.host ?? 'localhost'}:${cfg.port ?? 5432}/${cfg.database ?? ''}`;
  const count = meter.createObservableUpDownCounter('db.client.connection.count', {
    unit: '{connection}',
    description: 'The number of connections that are currently in the state described by the state attribute.',
  });
  const max = meter.createObservableUpDownCounter('db.client.connection.max', {
    unit: '{connection}',
    description: 'The maximum number of open connections allowed.',
  });
  const pending = meter.createObservableUpDownCounter('db.client.connection.pending_requests', {
    unit: '{request}',
    description: 'The number of current pending requests for an open connection.',
  });
  const callback = (r: BatchObservableResult): void => {
    for (const [role, p] of sequelizePools(sequelize)) {
      const name = role === 'primary' ? baseName : `${baseName}:${role}`;
      const pool = { 'db.client.connection.pool.name': name };
      r.observe(count, p.using, { ...pool, 'db.client.connection.state': 'used' });
      r.observe(count, p.available, { ...pool, 'db.client.connection.state': 'idle' });
      r.observe(max, p.maxSize, pool);
      r.observe(pending, p.waiting, pool);
    }
  };
  const observables: Observable[] = [count, max, pending];
  meter.addBatchObservableCallback(callback, observables);
  let stopped = false;
  return {
    status: () => poolStatus(sequelize),
    stop: () => {
      if (stopped) return;
      stopped = true;
      meter.removeBatchObservableCallback(callback, observables);
    },
  };
}
