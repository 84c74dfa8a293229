/** Injection token of the {@link AppConfig} read at boot. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Injection token of the backpressure options applied to every bulk operation. */
export const BULK_BACKPRESSURE = Symbol('BULK_BACKPRESSURE');

/** Options given to `withPoolBackpressure` by the bulk operations. */
export interface BulkBackpressureOptions {
  /** Waiting acquires above which a bulk operation backs off. @default 5 */
  maxWaiting: number;
  /** Pool utilization (%) above which a bulk operation backs off. @default 90 */
  maxUtilizationPercent: number;
  /** How long to wait for the pool to calm down before giving up with 503. @default 2000 */
  waitMillis: number;
  /** `wait`: wait up to waitMillis, then fail; `fail`: fail at once. @default 'wait' */
  mode: 'wait' | 'fail';
}

export const DEFAULT_BULK_BACKPRESSURE: BulkBackpressureOptions = {
  maxWaiting: 5,
  maxUtilizationPercent: 90,
  waitMillis: 2000,
  mode: 'wait',
};
