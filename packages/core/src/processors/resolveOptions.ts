import type { DurationRecorder } from '../metrics/DurationHistogram';
import { randomBytes } from 'node:crypto';
import type { MeterProvider } from '@opentelemetry/api';
import type { SanitizeSqlOptions } from '../sql/types';
import type { QueryLensOptions, SlowQueryStackTraces } from '../types';

/** {@link QueryLensOptions} with every default applied and validated. */
export interface ResolvedOptions {
  slowQueryMillis: number;
  nPlusOneThreshold: number;
  nPlusOneWindowMillis: number;
  nPlusOneMinTotalMillis: number;
  nPlusOneAllowList: ReadonlySet<string>;
  targets: { p50Millis: number; p95Millis: number; p99Millis: number; maxNPlusOne: number; minSampleCount: number };
  redactAttributes: readonly string[];
  hashAttributes: readonly string[];
  hashSecret: string;
  topQueriesLimit: number;
  topQueriesReportSize: number;
  reportWindowMillis: number;
  slowQueryStackTraces: SlowQueryStackTraces;
  maxTrackedParents: number;
  alertEvaluationIntervalMillis: number;
  meterProvider: MeterProvider | undefined;
  durationRecorder: DurationRecorder | undefined;
  sanitize: SanitizeSqlOptions | undefined;
}

function num(name: string, v: number | undefined, def: number, min: number, integer = false): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw new Error(`querylens: option ${name} must be a${integer ? 'n integer' : ' finite number'} >= ${min}, got ${String(v)}`);
  }
  return v;
}

function strings(name: string, v: string[] | undefined): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
    throw new Error(`querylens: option ${name} must be an array of strings`);
  }
  return [...v];
}

const PROCESS_SECRET = randomBytes(32).toString('hex');

/** Applies defaults and validates; throws an Error naming the first bad option. */
export function resolveOptions(options: QueryLensOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new Error('querylens: options must be an object');
  const t = options.targets ?? {};
  const stacks = options.slowQueryStackTraces ?? 'adaptive';
  if (stacks !== 'adaptive' && stacks !== 'always' && stacks !== 'off') {
    throw new Error(`querylens: option slowQueryStackTraces must be 'adaptive', 'always' or 'off', got ${String(stacks)}`);
  }
  if (options.hashSecret !== undefined && (typeof options.hashSecret !== 'string' || options.hashSecret.length === 0)) {
    throw new Error('querylens: option hashSecret must be a non-empty string');
  }
  return {
    slowQueryMillis: num('slowQueryMillis', options.slowQueryMillis, 1000, 0),
    nPlusOneThreshold: num('nPlusOneThreshold', options.nPlusOneThreshold, 5, 2, true),
    nPlusOneWindowMillis: num('nPlusOneWindowMillis', options.nPlusOneWindowMillis, 1000, 0),
    nPlusOneMinTotalMillis: num('nPlusOneMinTotalMillis', options.nPlusOneMinTotalMillis, 0, 0),
    nPlusOneAllowList: new Set(strings('nPlusOneAllowList', options.nPlusOneAllowList)),
    targets: {
      p50Millis: num('targets.p50Millis', t.p50Millis, 100, 0),
      p95Millis: num('targets.p95Millis', t.p95Millis, 500, 0),
      p99Millis: num('targets.p99Millis', t.p99Millis, 1000, 0),
      maxNPlusOne: num('targets.maxNPlusOne', t.maxNPlusOne, 0, 0, true),
      minSampleCount: num('targets.minSampleCount', t.minSampleCount, 10, 1, true),
    },
    redactAttributes: strings('redactAttributes', options.redactAttributes),
    hashAttributes: strings('hashAttributes', options.hashAttributes),
    hashSecret: options.hashSecret ?? PROCESS_SECRET,
    topQueriesLimit: num('topQueriesLimit', options.topQueriesLimit, 1000, 1, true),
    topQueriesReportSize: num('topQueriesReportSize', options.topQueriesReportSize, 10, 0, true),
    reportWindowMillis: num('reportWindowMillis', options.reportWindowMillis, 300_000, 10, true),
    slowQueryStackTraces: stacks,
    maxTrackedParents: num('maxTrackedParents', options.maxTrackedParents, 4096, 1, true),
    alertEvaluationIntervalMillis: num('alertEvaluationIntervalMillis', options.alertEvaluationIntervalMillis, 10_000, 10, true),
    meterProvider: options.meterProvider,
    durationRecorder: options.durationRecorder,
    sanitize: options.sanitize,
  };
}
