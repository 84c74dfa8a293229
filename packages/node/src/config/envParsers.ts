import type { EsmHookMode } from '../types';

/** Reports a rejected variable; the caller falls back to the default. */
export type ConfigWarn = (message: string) => void;

/** The environment as read by the parsers (a plain record, so tests pass their own). */
export type Env = Readonly<Record<string, string | undefined>>;

function present(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  return value === '' ? undefined : value;
}

/**
 * A number of `name`, or `undefined` when the variable is unset or invalid (then
 * `warn` names the variable, the value and the default that applies).
 */
export function numberFromEnv(
  env: Env,
  name: string,
  fallback: number,
  warn: ConfigWarn,
  opts: { min?: number; integer?: boolean } = {},
): number | undefined {
  const value = present(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  const min = opts.min ?? 0;
  if (!Number.isFinite(n) || n < min || (opts.integer && !Number.isInteger(n))) {
    const kind = opts.integer ? 'an integer' : 'a number';
    warn(`${name}=${JSON.stringify(value)} is not ${kind} >= ${min}; using the default ${fallback}`);
    return undefined;
  }
  return n;
}

/** true/false/1/0/yes/no/on/off (any case), or `undefined`. */
function parseBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return undefined;
}

/** A boolean of `name` (true/false/1/0/yes/no/on/off), or `undefined` when unset or invalid. */
export function booleanFromEnv(env: Env, name: string, fallback: boolean, warn: ConfigWarn): boolean | undefined {
  const value = present(env, name);
  if (value === undefined) return undefined;
  const b = parseBoolean(value);
  if (b === undefined) warn(`${name}=${JSON.stringify(value)} is not a boolean (true/false); using the default ${fallback}`);
  return b;
}

/** `QUERYLENS_ESM_HOOK`: a boolean or `auto`; `undefined` when unset or invalid. */
export function esmHookFromEnv(env: Env, warn: ConfigWarn): EsmHookMode | undefined {
  const name = 'QUERYLENS_ESM_HOOK';
  const value = present(env, name);
  if (value === undefined) return undefined;
  if (value.toLowerCase() === 'auto') return 'auto';
  const b = parseBoolean(value);
  if (b === undefined) warn(`${name}=${JSON.stringify(value)} is not a boolean (true/false/auto); using the default auto`);
  return b;
}

/** A comma-separated list of `name`, trimmed, empty items removed; `undefined` when unset. */
export function listFromEnv(env: Env, name: string): string[] | undefined {
  const value = present(env, name);
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * A list of `name` restricted to `allowed` (lower-cased). Unknown entries are dropped
 * with a warning; when nothing valid is left, `undefined` (the default applies).
 */
export function enumListFromEnv<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: readonly T[],
  warn: ConfigWarn,
): T[] | undefined {
  const list = listFromEnv(env, name);
  if (list === undefined) return undefined;
  const valid: T[] = [];
  for (const item of list.map((s) => s.toLowerCase())) {
    if ((allowed as readonly string[]).includes(item)) {
      if (!valid.includes(item as T)) valid.push(item as T);
    } else {
      warn(`${name} contains unknown exporter ${JSON.stringify(item)} (known: ${allowed.join(', ')}); ignoring it`);
    }
  }
  if (valid.length === 0) {
    warn(`${name} names no known exporter; using the default ${fallback.join(',')}`);
    return undefined;
  }
  return valid;
}

/** A non-empty string of `name`, or `undefined`. */
export function stringFromEnv(env: Env, name: string): string | undefined {
  return present(env, name);
}
