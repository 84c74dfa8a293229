import { diag } from '@opentelemetry/api';
import { finishFingerprint, LITERAL_TOKEN, mixA, mixB, SEED_A, SEED_B } from './fingerprint';
import { Lexer } from './Lexer';
import type { SanitizedSql, SanitizeSqlOptions } from './types';

/** Default of {@link SanitizeSqlOptions.maxLength}, in characters. */
export const DEFAULT_MAX_SQL_LENGTH = 32768;

const REDACTED_TEXT = '?';
const REDACTED_FINGERPRINT = finishFingerprint(mixA(SEED_A, LITERAL_TOKEN), mixB(SEED_B, LITERAL_TOKEN), 1);
/** Reused for every call: sanitizing is synchronous and never re-entrant. */
const lexer = new Lexer();
let warnedOptions = false;

/**
 * Sanitizes one PostgreSQL statement for telemetry: every literal becomes `?`, comments
 * are removed, and the statement gets a low-cardinality summary and a shape fingerprint.
 *
 * - Lexing follows PostgreSQL's `scan.l`: `'...'` with `''` (backslash escapes only when
 *   {@link SanitizeSqlOptions.standardConformingStrings} is false), `E'...'`, `U&'...'`,
 *   `B'...'`, `X'...'`, `N'...'`, `$$...$$` / `$tag$...$tag$`, numbers (with a unary sign,
 *   hex, exponent, `_` separators), `true`/`false`, nested block comments and `--` comments.
 *   Positional parameters (`$1::uuid`) and identifiers (`"quoted ""x"""`, `a$b1`) are kept.
 * - Fails closed: anything unterminated is redacted to the end; input that does not start
 *   like a PostgreSQL statement (after a `;` too) is redacted whole. Never throws.
 * - One linear pass over the input with `charCodeAt` and a lookup table (no regular
 *   expressions), emitting slices; the fingerprint is hashed per token in the same pass.
 *
 * @param sql raw statement text, as found in `db.query.text`
 * @returns `text` (`db.query.text`), `summary` (`db.query.summary`) and `fingerprint`
 *   (16 hex characters; equal for statements differing only in literal values,
 *   whitespace, comments, keyword case, IN-list length or VALUES row count)
 */
export function sanitizeSql(sql: string, options?: SanitizeSqlOptions): SanitizedSql {
  try {
    if (typeof sql !== 'string') return redacted();
    let scs = true;
    let maxLength = DEFAULT_MAX_SQL_LENGTH;
    let collapse = true;
    if (options !== undefined) {
      scs = options.standardConformingStrings !== false;
      collapse = options.collapseLists !== false;
      const m = options.maxLength;
      if (m !== undefined) {
        if (typeof m === 'number' && m >= 1) maxLength = Math.floor(m);
        else warnOptions(`maxLength must be a number >= 1, got ${String(m)}; using ${DEFAULT_MAX_SQL_LENGTH}`);
      }
    }
    return lexer.run(sql, scs, collapse, maxLength) ?? redacted();
  } catch (err) {
    // Unreachable by design; if it ever happens, leak nothing and keep the app running.
    diag.error('sanitizeSql: internal error, statement redacted', err);
    return redacted();
  }
}

function redacted(): SanitizedSql {
  return { text: REDACTED_TEXT, summary: '', fingerprint: REDACTED_FINGERPRINT };
}

function warnOptions(message: string): void {
  if (warnedOptions) return;
  warnedOptions = true;
  diag.warn(`sanitizeSql: ${message}`);
}
