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
 * Statements run once through the lexer at load (results discarded) so that every branch
 * has type feedback before V8 optimizes {@link Lexer.run}. Without it the first optimized
 * code deoptimizes as soon as traffic reaches an IN-list or a second VALUES row, and in
 * about one process in four the recompile loses the race with on-stack replacement and
 * only the slower OSR code remains (measured: 2.8-3.0 µs instead of 1.8 µs per statement).
 * V8 allocates feedback after 8 calls, hence two rounds (16 calls each). Costs a few ms of
 * CPU at import (measured 3-6 ms under load; most of it is compiling the lexer, which the
 * first real call would otherwise pay).
 */
const PRIMING = [
  `SELECT "a"."b" AS "c", x.y, -1, +2.5e3, .5, 0xFF, 1_000, $1::uuid, $$d$$, $t$d$t$, E'e\\'', U&'u', U&"u", B'1', X'f', N'n', true, FALSE, NULL, a[1]-1 FROM ONLY "t" AS "a" LEFT JOIN u ON u.id = a.id WHERE a.id IN (1, 2, 3) AND b IN ($1, $2) AND c IN (SELECT 1) /* c /* n */ */ -- l\n ORDER BY 1 LIMIT 10;`,
  `INSERT INTO "t" ("a","b") VALUES (1,'x'),(2,'y'),(3,'z') ON CONFLICT (a) DO UPDATE SET b = 1 RETURNING "id";`,
  `UPDATE "t" SET "a"=$1 WHERE "id" IN ('a','b') AND "x""y" = 1`,
  `DELETE FROM t WHERE x = 'unterminated`,
  `CREATE TABLE IF NOT EXISTS "s"."t" ("id" SERIAL); DROP MATERIALIZED VIEW v`,
  `WITH r AS (SELECT * FROM v) SELECT * FROM r, "s" WHERE x = $1`,
  `SELECT a, count(*) FROM t WHERE n = "v" AND m LIKE "w" AND k IN ("x", "y") AND "t"."c" = "u"."d" AND o <> p GROUP BY 1, 2 ORDER BY 2 DESC, a + 1 LIMIT 1$a$b$a$;`,
  `INSERT INTO t VALUES ("a", 1), ("b", 2); UPDATE t SET "n"="n"+ 1 WHERE x >= 1 AND y != "z"`,
  `SELECT * FROM t WHERE a IN (1, 'b', /* c */ 3, x) AND b IN (1.5, 2, -3) AND c IN (4, 5\n, 6) AND d IN (7 , 8 , 9 )`,
  `DELETE FROM t WHERE a IN (1, 2, 3`,
  `UPDATE t SET a = 1 WHERE b IN (1, 2, 'x`,
  `SELECT 1; garbage`,
  `not sql`,
];
try {
  for (let round = 0; round < 2; round++) {
    for (const sql of PRIMING) {
      lexer.run(sql, true, true, DEFAULT_MAX_SQL_LENGTH);
      lexer.run(sql, false, false, 40);
    }
  }
} catch (err) {
  // never fail the import over a warm-up (run does not throw by design)
  diag.error('sanitizeSql: lexer warm-up failed', err);
}

/**
 * Sanitizes one PostgreSQL statement for telemetry: every literal becomes `?`, comments
 * are removed, and the statement gets a low-cardinality summary and a shape fingerprint.
 *
 * - Lexing follows PostgreSQL's `scan.l`: `'...'` with `''` (backslash escapes only when
 *   {@link SanitizeSqlOptions.standardConformingStrings} is false), `E'...'`, `U&'...'`,
 *   `B'...'`, `X'...'`, `N'...'`, `$$...$$` / `$tag$...$tag$`, numbers (with a unary sign,
 *   hex, exponent, `_` separators), `true`/`false`, nested block comments and `--` comments.
 *   Positional parameters (`$1::uuid`) and identifiers (`"quoted ""x"""`, `a$b1`) are kept,
 *   except a double-quoted token in a value position (after `=`, `<>`, `!=`, `<`, `>`, `<=`,
 *   `>=`, `LIKE`, `ILIKE`, in `IN (...)` lists and `VALUES` rows) that is not followed by
 *   `.`, `(`, `+` or `-`: a string written MySQL-style (`name = "Alice"`) becomes `?`.
 *   `"t"."col"` stays; an unqualified `"col"` there shows as `?` (over-redaction).
 * - Fails closed: anything unterminated is redacted to the end; input that does not start
 *   like a PostgreSQL statement (after a `;` too) is redacted whole. Never throws.
 * - One linear pass (no regular expressions) over the input's UTF-16 code units, copied
 *   once by a native call into a reused Uint16Array (capped at 16384 code units; longer
 *   input gets a buffer of its own for that call), read with a class lookup table, emitting
 *   slices; the fingerprint is hashed per token in the same pass. Two tight loops take
 *   the bulk of ORM statements, with the same effect as the main loop: the further elements
 *   of an IN-list being collapsed while they are plain integers or strings (their text is
 *   never built: positions are logged, in case the list turns out not to collapse), and
 *   lists of quoted names (`"t"."a", "t"."b"`) where nothing depends on them.
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
    const result = lexer.run(sql, scs, collapse, maxLength);
    lexer.release(); // a module-level lexer must not keep the last raw statement alive
    return result ?? redacted();
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
