// Helpers shared by the growth benches (run by `pnpm bench` through tsx; not a test).
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** Repository root. */
export const root = path.resolve(__dirname, '..', '..');

/**
 * `require` as seen from a workspace package, so the growth benches load the packages'
 * dependencies (OpenTelemetry, Sequelize, pg) exactly as the packages do.
 */
export function requireFrom(pkgDir: string): NodeJS.Require {
  return createRequire(path.join(root, pkgDir, 'package.json'));
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const records = require(path.join(root, 'bench/lib/records.js'));

/** A benchmark record ({@link records.makeRecord}). */
export interface BenchRecord {
  name: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  target: number | null;
  met: boolean | null;
}

export const makeRecord: (r: {
  name: string;
  value: number | null;
  unit: string;
  baseline?: number | null;
  ratio?: number | null;
  target?: number | null;
  direction?: 'min' | 'max';
  met?: boolean | null;
}) => BenchRecord = records.makeRecord;
export const emit: (r: BenchRecord[]) => void = records.emit;
export const printTable: (title: string, r: BenchRecord[]) => void = records.printTable;

/** Forces a full garbage collection (the benches run with --expose-gc) and returns heapUsed in bytes. */
export function settledHeapBytes(): number {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
  return process.memoryUsage().heapUsed;
}

/** Number from an environment variable, or the fallback. */
export function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export const MiB = 1024 * 1024;
