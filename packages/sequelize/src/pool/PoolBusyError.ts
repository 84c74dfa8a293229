import type { PoolStatus } from './poolStatus';

/** Thrown by {@link withPoolBackpressure} when the pool stays under pressure. Carries the last status seen. */
export class PoolBusyError extends Error {
  readonly status: PoolStatus;

  constructor(message: string, status: PoolStatus) {
    super(message);
    this.name = 'PoolBusyError';
    this.status = status;
  }
}
