import { CHAR_CLASS, IDENT_CONT } from './charClasses';

/**
 * Pure scanning helpers of the lexer, each linear in what it consumes.
 * @internal
 */

const CLS = CHAR_CLASS;
const F_CONT = IDENT_CONT;

/**
 * `s.charCodeAt(k)`, or 0 past the end. Reading past the end with charCodeAt returns NaN,
 * but the first time optimized code does it V8 deoptimizes the whole lexer (and the
 * recompile can lose the race with on-stack replacement, leaving only the slower OSR code:
 * the "5x in a quarter of processes" mode). 0 behaves like NaN in every test here: it is no
 * quote, digit, letter or whitespace, and CLS[0] is 0.
 */
export function at(s: string, k: number): number {
  return k < s.length ? s.charCodeAt(k) : 0;
}

export function isWhitespace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** `[A-Za-z0-9_$]` or any code unit >= 0x80; false for NaN (past the end). Never reads CLS out of bounds. */
export function isIdentCont(c: number): boolean {
  return c < 0x80 ? (CLS[c] & F_CONT) !== 0 : c >= 0x80;
}

/**
 * End (exclusive) of a quoted body that starts at `j` (after the opening quote) and
 * ends at an unpaired `quote`, with the quote doubled inside; -1 if unterminated.
 */
export function endOfQuoted(s: string, j: number, quote: string): number {
  const q = quote.charCodeAt(0);
  for (;;) {
    const k = s.indexOf(quote, j);
    if (k < 0) return -1;
    if (at(s, k + 1) !== q) return k + 1;
    j = k + 2;
  }
}

/** Like {@link endOfQuoted} for `'`, where a backslash also escapes the next character (`E'...'`). */
export function endOfEscaped(s: string, j: number): number {
  const n = s.length;
  while (j < n) {
    const c = at(s, j);
    if (c === 0x5c) j += 2;
    else if (c === 0x27) {
      if (at(s, j + 1) === 0x27) j += 2;
      else return j + 1;
    } else j++;
  }
  return -1;
}

/** End of a `--` comment starting at `i`: the next `\n` or `\r` (kept), or the end. */
export function endOfLineComment(s: string, i: number): number {
  const n = s.length;
  let j = i + 2;
  while (j < n) {
    const e = at(s, j);
    if (e === 0x0a || e === 0x0d) break;
    j++;
  }
  return j;
}

/** End of a block comment starting at `i` (`/*`); block comments nest. Unterminated: the end. */
export function endOfBlockComment(s: string, i: number): number {
  const n = s.length;
  let nest = 1;
  let j = i + 2;
  while (j < n) {
    const e = at(s, j);
    if (e === 0x2a && at(s, j + 1) === 0x2f) {
      j += 2;
      if (--nest === 0) return j;
    } else if (e === 0x2f && at(s, j + 1) === 0x2a) {
      j += 2;
      nest++;
    } else j++;
  }
  return n;
}

/** Result of {@link endOfDollarQuote} when `s[i]` does not start `$$` or `$tag$`. */
export const NOT_DOLLAR_QUOTE = -2;

/**
 * End of a dollar-quoted string starting at `i` (`$`): `$$...$$` or `$tag$...$tag$`, the
 * tag being an identifier without `$`; -1 if unterminated; {@link NOT_DOLLAR_QUOTE} if
 * `s[i]` is a lone `$` (a `$1` parameter is checked by the caller first).
 */
export function endOfDollarQuote(s: string, i: number): number {
  const tagEnd = dollarTagEnd(s, i);
  if (tagEnd < 0) return NOT_DOLLAR_QUOTE;
  const close = s.indexOf(s.slice(i, tagEnd + 1), tagEnd + 1);
  return close < 0 ? -1 : close + tagEnd + 1 - i;
}

/**
 * Index of the `$` closing the opening delimiter of a dollar quote at `i` (`$$` or
 * `$tag$`), or -1 if `s[i]` starts none. Looks only at the delimiter, never for the end.
 */
export function dollarTagEnd(s: string, i: number): number {
  const n = s.length;
  const d = at(s, i + 1);
  if (d === 0x24) return i + 1;
  if (d >= 0x80 || (d < 0x80 && (CLS[d] & F_CONT) !== 0 && !(d >= 0x30 && d <= 0x39))) {
    let k = i + 2;
    for (; k < n; k++) {
      const e = at(s, k);
      if (e === 0x24 || !isIdentCont(e)) break;
    }
    if (at(s, k) === 0x24) return k;
  }
  return -1;
}

/** `s[i]` starts an unsigned number: a digit, or `.` and a digit. */
export function startsNumber(s: string, i: number): boolean {
  const c = at(s, i);
  if (c >= 0x30 && c <= 0x39) return true;
  if (c !== 0x2e) return false;
  const d = at(s, i + 1);
  return d >= 0x30 && d <= 0x39;
}

/**
 * End of a numeric literal starting at `i` (a digit or `.`): digits and `_`, a fraction,
 * an exponent with optional sign, then any identifier characters glued to it (hex
 * `0xFF`, `0o17`, `0b101`, or junk PostgreSQL would reject): all of it is redacted.
 * A `$` never continues a number where it could start something else: right after the
 * number (PostgreSQL reads `1$a$ x $a$` as `1` and a dollar quote, `1$2` as `1` and `$2`)
 * and anywhere in the junk if it opens a dollar quote (`1x$a$ x $a$`: PostgreSQL rejects it
 * as junk `1x$a$`; we redact the quote as a string, so its content never shows).
 */
export function endOfNumber(s: string, i: number): number {
  const n = s.length;
  let j = i;
  let c = at(s, j);
  while (c >= 0x30 && c <= 0x39) c = at(s, ++j);
  // common case: a plain integer followed by a non-identifier character, or by a `$`
  if ((c !== 0x2e && !isIdentCont(c)) || c === 0x24) return j;
  for (; j < n; j++) {
    const e = at(s, j);
    if (!isIdentCont(e) || isExponentStart(s, j) || (e === 0x24 && dollarTagEnd(s, j) >= 0)) break;
  }
  if (at(s, j) === 0x2e) {
    j++;
    let d = at(s, j);
    while (d >= 0x30 && d <= 0x39) d = at(s, ++j);
  }
  if (isExponentStart(s, j)) {
    j++;
    const sign = at(s, j);
    if (sign === 0x2b || sign === 0x2d) j++;
  }
  if (at(s, j) === 0x24) return j;
  for (; j < n; j++) {
    const e = at(s, j);
    if (!isIdentCont(e) || (e === 0x24 && dollarTagEnd(s, j) >= 0)) break;
  }
  return j;
}

/** `e`/`E` after a mantissa digit or `.`, followed by a digit or by a sign and a digit. */
function isExponentStart(s: string, j: number): boolean {
  if ((at(s, j) | 0x20) !== 0x65) return false;
  const before = at(s, j - 1);
  if (!((before >= 0x30 && before <= 0x39) || before === 0x2e)) return false;
  let k = j + 1;
  const d = at(s, k);
  if (d === 0x2b || d === 0x2d) k++;
  const e = at(s, k);
  return e >= 0x30 && e <= 0x39;
}

/** PostgreSQL operator characters: `+ - * / < > = ~ ! @ # % ^ & | \` ?`. */
function isOperatorChar(c: number): boolean {
  switch (c) {
    case 0x2b: case 0x2d: case 0x2a: case 0x2f: case 0x3c: case 0x3e: case 0x3d: case 0x7e: case 0x21:
    case 0x40: case 0x23: case 0x25: case 0x5e: case 0x26: case 0x7c: case 0x60: case 0x3f:
      return true;
    default:
      return false;
  }
}

/**
 * `s[i]` ends an operator that is a comparison: `=`, `<>`, `!=`, `<`, `>`, `<=`, `>=` (and
 * not `->`, `=>`, `@>`, `<<`, ...). The operator is the run of operator characters around `i`.
 */
export function endsComparison(s: string, i: number): boolean {
  if (isOperatorChar(at(s, i + 1))) return false;
  const c = at(s, i);
  const p = i > 0 ? at(s, i - 1) : 0;
  if (!isOperatorChar(p)) return true; // `=`, `<`, `>`
  if (i > 1 && isOperatorChar(at(s, i - 2))) return false;
  return c === 0x3d ? p === 0x21 || p === 0x3c || p === 0x3e : c === 0x3e && p === 0x3c;
}

/**
 * A double-quoted token ending at `end` (exclusive) in a value position is an identifier
 * after all when the next character (after spaces) is `.` (`"t"."col"`), `(` (a quoted
 * function name) or a `+`/`-` operator (Sequelize increments: `"n"="n"+ 1`); otherwise it is
 * a string written in double quotes (MySQL habit) and is redacted. The trade-off: an
 * unqualified column on the right of a comparison (`"a" = "b"`) is also shown as `?`
 * (over-redaction, never a leak); `"t"."col"` (what Sequelize generates) is kept.
 */
export function quotedIsOperand(s: string, end: number): boolean {
  const n = s.length;
  let k = end;
  while (k < n && isWhitespace(at(s, k))) k++;
  const c = at(s, k);
  if (c === 0x2e || c === 0x28 || c === 0x2b) return true;
  return c === 0x2d && at(s, k + 1) !== 0x2d;
}

/**
 * The number ending at `end` is a whole ORDER BY / GROUP BY element: what follows (after
 * spaces) is the end, `,`, `)`, `;` or a word (`DESC`, `NULLS`, `LIMIT`, ...), not an operator.
 */
export function endsListElement(s: string, end: number): boolean {
  const n = s.length;
  let k = end;
  while (k < n && isWhitespace(at(s, k))) k++;
  if (k >= n) return true;
  const c = at(s, k);
  if (c === 0x2c || c === 0x29 || c === 0x3b) return true;
  return c >= 0x80 || (c < 0x80 && (CLS[c] & F_CONT) !== 0 && c !== 0x24 && !(c >= 0x30 && c <= 0x39));
}

/** Cuts `text` to at most `max` characters without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end);
}
