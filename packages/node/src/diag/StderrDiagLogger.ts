import type { DiagLogger } from '@opentelemetry/api';
import { scrubErrorText } from '@querylens/core';

/** Messages written by querylens itself: composed of configuration and sanitized data, kept as they are. */
const OWN_MESSAGE = /^(?:@querylens\/|querylens|sanitizeSql|PhiScrubbingSpanProcessor|SlowQuerySpanProcessor|NPlusOneSpanProcessor|QueryStatsSpanProcessor|QueryLensSpanProcessor|QueryCache|RedisStore|MemoryStore)\b/;

function format(level: string, message: string, args: unknown[]): string {
  const extra = args
    .map((a) => (a instanceof Error ? a.name : typeof a === 'string' ? a : ''))
    .filter((s) => s !== '')
    .join(' ');
  const line = `${message}${extra ? ` ${extra}` : ''}`;
  return `[querylens] ${level} ${OWN_MESSAGE.test(message) ? line : scrubLine(line)}\n`;
}

/** Fields of a logged error whose token-shaped values are kept (system codes, not data). */
const CODE_FIELDS = new Set(['name', 'code', 'errno', 'syscall', 'address', 'port', 'status', 'statusCode', 'type']);
const TOKEN = /^[\w.:/-]{1,64}$/;
const KEY = /^[A-Za-z_][\w.-]{0,63}$/;
const MAX_JSON_CHARS = 65_536;

/**
 * A log line from the SDK or an instrumentation, with nothing left in clear that could be a
 * row value. Text: the error-text rules (quoted values, long digit runs, e-mails). A JSON
 * object ending the line (the SDK's global error handler logs whole errors as JSON;
 * instrumentations log objects): identifier-shaped keys, numbers and booleans are kept, a
 * `message` is scrubbed as error text, token-shaped system fields (`name`, `code`, `errno`,
 * `syscall`, `address`, `port`, ...) are kept, every other string becomes `?`, and a logged
 * error loses its stack (which repeats the message).
 */
export function scrubLine(line: string): string {
  const brace = line.indexOf('{');
  if (brace >= 0 && line.length - brace <= MAX_JSON_CHARS && line.endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(line.slice(brace));
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const head = brace > 0 ? scrubErrorText(line.slice(0, brace)) : '';
        return head + JSON.stringify(scrubJson(parsed, undefined, 0));
      }
    } catch {
      // not JSON: scrubbed as text below
    }
  }
  return scrubErrorText(line);
}

function scrubJson(value: unknown, key: string | undefined, depth: number): unknown {
  if (typeof value === 'string') {
    if (key === 'message') return scrubErrorText(value);
    return key !== undefined && CODE_FIELDS.has(key) && TOKEN.test(value) ? value : '?';
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (depth >= 4 || typeof value !== 'object') return '?';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => scrubJson(v, undefined, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).slice(0, 50)) {
    if (k === 'stack') continue;
    out[KEY.test(k) ? k : '?'] = scrubJson((value as Record<string, unknown>)[k], k, depth + 1);
  }
  return out;
}

/**
 * A {@link DiagLogger} writing one line per message to stderr (never stdout, which
 * belongs to the app), at info, or at the level of `OTEL_LOG_LEVEL` (replacing the SDK's
 * console logger, which prints errors whole). Error arguments are reduced to their name:
 * their message may carry row values (PHI) from PostgreSQL. Lines not written by querylens
 * itself go through {@link scrubLine}.
 */
export class StderrDiagLogger implements DiagLogger {
  error(message: string, ...args: unknown[]): void {
    this.write('error', message, args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.write('warn', message, args);
  }
  info(message: string, ...args: unknown[]): void {
    this.write('info', message, args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.write('debug', message, args);
  }
  verbose(message: string, ...args: unknown[]): void {
    this.write('verbose', message, args);
  }

  private write(level: string, message: string, args: unknown[]): void {
    try {
      process.stderr.write(format(level, message, args));
    } catch {
      // stderr closed: nothing sensible left to do
    }
  }
}
