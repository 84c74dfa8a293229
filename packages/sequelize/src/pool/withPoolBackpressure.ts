import type { Sequelize } from 'sequelize';
import { PoolBusyError } from './PoolBusyError';
import { poolStatus, type PoolStatus } from './poolStatus';

/** Options of {@link withPoolBackpressure}. */
export interface PoolBackpressureOptions {
  /** The pool is under pressure when more acquire requests than this are queued. @default 5 */
  maxWaiting?: number;
  /** ...or when at least this share of connections is in use, in percent. @default 90 */
  maxUtilizationPercent?: number;
  /** In `wait` mode, the longest wait for the pressure to drop, in milliseconds. @default 2000 */
  waitMillis?: number;
  /** `wait`: wait (bounded) then throw; `fail`: throw {@link PoolBusyError} at once. @default 'wait' */
  mode?: 'wait' | 'fail';
  /** Interval between two pool checks while waiting, in milliseconds. @default 25 */
  pollMillis?: number;
}

/**
 * Runs `operation` (typically a bulk write) only when the connection pool is not under
 * pressure. Under pressure it waits up to `waitMillis` for it to drop (`wait`) or throws
 * {@link PoolBusyError} immediately (`fail`). Invalid options throw an Error naming the option.
 */
export async function withPoolBackpressure<T>(
  sequelize: Sequelize,
  operation: () => Promise<T>,
  options: PoolBackpressureOptions = {},
): Promise<T> {
  const maxWaiting = nonNegative(options.maxWaiting ?? 5, 'maxWaiting');
  const maxUtil = nonNegative(options.maxUtilizationPercent ?? 90, 'maxUtilizationPercent');
  const waitMillis = nonNegative(options.waitMillis ?? 2000, 'waitMillis');
  const pollMillis = Math.max(1, nonNegative(options.pollMillis ?? 25, 'pollMillis'));
  const mode = options.mode ?? 'wait';
  if (mode !== 'wait' && mode !== 'fail') throw new Error(`withPoolBackpressure: option mode must be 'wait' or 'fail', got ${String(mode)}`);
  if (typeof operation !== 'function') throw new Error('withPoolBackpressure: operation must be a function');
  const pressured = (s: PoolStatus): boolean => s.waiting > maxWaiting || s.utilizationPercent >= maxUtil;
  let status = poolStatus(sequelize);
  if (pressured(status)) {
    if (mode === 'fail') throw busy(status, 0);
    const deadline = Date.now() + waitMillis;
    while (pressured(status)) {
      const left = deadline - Date.now();
      if (left <= 0) throw busy(status, waitMillis);
      await new Promise((r) => setTimeout(r, Math.min(pollMillis, left)));
      status = poolStatus(sequelize);
    }
  }
  return operation();
}

function busy(s: PoolStatus, waited: number): PoolBusyError {
  return new PoolBusyError(
    `Connection pool under pressure after ${waited} ms: ${s.active}/${s.max} in use (${s.utilizationPercent.toFixed(0)}%), ${s.waiting} waiting`,
    s,
  );
}

function nonNegative(v: number, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`withPoolBackpressure: option ${name} must be a non-negative number, got ${String(v)}`);
  return v;
}
