import type { Sequelize } from 'sequelize';

/** Snapshot of Sequelize's connection pool(s). */
export interface PoolStatus {
  /** Connections checked out by queries. */
  active: number;
  /** Open connections waiting in the pool. */
  idle: number;
  /** Acquire requests queued because every connection is busy. */
  waiting: number;
  /** Configured maximum number of connections. */
  max: number;
  /** active / max x 100 (0 when max is 0). */
  utilizationPercent: number;
}

/** The sequelize-pool counters we read. */
export interface PoolLike {
  readonly using: number;
  readonly available: number;
  readonly waiting: number;
  readonly maxSize: number;
}

/**
 * The pools behind a Sequelize instance, by role: one `primary` pool, or `read` and
 * `write` under replication. Empty when the connection manager has no pool (closed).
 */
export function sequelizePools(sequelize: Sequelize): Array<[role: string, pool: PoolLike]> {
  const pool = (sequelize as any)?.connectionManager?.pool;
  if (!pool) return [];
  if (isPool(pool)) return [['primary', pool]];
  const out: Array<[string, PoolLike]> = [];
  if (isPool(pool.read)) out.push(['read', pool.read]);
  if (isPool(pool.write)) out.push(['write', pool.write]);
  return out;
}

/**
 * Current pool status. Under read replication the read and write pools are summed
 * (active, idle, waiting and max), so utilization is over all connections.
 */
export function poolStatus(sequelize: Sequelize): PoolStatus {
  let active = 0;
  let idle = 0;
  let waiting = 0;
  let max = 0;
  for (const [, p] of sequelizePools(sequelize)) {
    active += p.using;
    idle += p.available;
    waiting += p.waiting;
    max += p.maxSize;
  }
  return { active, idle, waiting, max, utilizationPercent: max > 0 ? (active / max) * 100 : 0 };
}

function isPool(p: any): p is PoolLike {
  return !!p && typeof p.using === 'number' && typeof p.available === 'number' && typeof p.maxSize === 'number';
}
