import { diag } from '@opentelemetry/api';
import { CHAR_CLASS, DIGIT, IDENT_CONT, IDENT_START, WHITESPACE } from './charClasses';
import { fingerprintSanitized } from './fingerprint';
import { Kw, keywordAt, STATEMENT_KEYWORDS } from './keywords';
import { SummaryBuilder } from './SummaryBuilder';
import type { SanitizedSql, SanitizeSqlOptions } from './types';

/** Default of {@link SanitizeSqlOptions.maxLength}, in characters. */
export const DEFAULT_MAX_SQL_LENGTH = 32768;

/** Previous significant token allows a unary sign: start, operator, punctuation, most keywords. */
const PREV_START = 0;
/** Previous token ends an operand (identifier, `)`, `]`, parameter): `+`/`-` is binary. */
const PREV_OPERAND = 1;
/** Previous token was a literal: `99+100` becomes `??` (semantic-conventions test case). */
const PREV_LITERAL = 2;

/** VALUES collapse states. */
const V_NONE = 0;
const V_FIRST = 1; // after VALUES, expecting the first row
const V_IN_FIRST = 2; // inside the first row
const V_AFTER = 3; // after a row: `,` or the end of the VALUES list
const V_NEXT = 4; // after `,`: expecting another row
const V_IN_NEXT = 5; // inside a further row (dropped when collapsing)

const REDACTED_TEXT = '?';
let redactedFingerprint: string | undefined;
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
 * - One linear pass (no regular expressions on the input) plus a linear hash pass over
 *   the sanitized text.
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
    return lex(sql, scs, collapse, maxLength);
  } catch (err) {
    // Unreachable by design; if it ever happens, leak nothing and keep the app running.
    diag.error('sanitizeSql: internal error, statement redacted', err);
    return redacted();
  }
}

function redacted(): SanitizedSql {
  redactedFingerprint ??= fingerprintSanitized(REDACTED_TEXT);
  return { text: REDACTED_TEXT, summary: '', fingerprint: redactedFingerprint };
}

function warnOptions(message: string): void {
  if (warnedOptions) return;
  warnedOptions = true;
  diag.warn(`sanitizeSql: ${message}`);
}

/** True for keywords after which `-1` is a signed literal (`WHERE -1`, `SELECT -1`). */
function signFollows(kw: Kw): boolean {
  switch (kw) {
    case Kw.Select: case Kw.Where: case Kw.And: case Kw.Or: case Kw.Not: case Kw.When: case Kw.Then:
    case Kw.Else: case Kw.Case: case Kw.Between: case Kw.Like: case Kw.Ilike: case Kw.Return:
    case Kw.Limit: case Kw.Offset: case Kw.Having: case Kw.Distinct: case Kw.On: case Kw.Default:
    case Kw.Escape: case Kw.Similar: case Kw.Values: case Kw.By: case Kw.Is: case Kw.In:
      return true;
    default:
      return false;
  }
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isIdentCont(c: number): boolean {
  return c >= 0x80 || (CHAR_CLASS[c] & IDENT_CONT) !== 0;
}

/** End (exclusive) of a `'...'` body starting after the opening quote at `j`, with `''` doubling; -1 if unterminated. */
function endOfQuoted(s: string, j: number, quote: string): number {
  for (;;) {
    const k = s.indexOf(quote, j);
    if (k < 0) return -1;
    if (s.charCodeAt(k + 1) !== quote.charCodeAt(0)) return k + 1;
    j = k + 2;
  }
}

/** Like {@link endOfQuoted} for `'` but a backslash escapes the next character (`E'...'`). */
function endOfEscaped(s: string, j: number): number {
  const n = s.length;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) j += 2;
    else if (c === 0x27) {
      if (s.charCodeAt(j + 1) === 0x27) j += 2;
      else return j + 1;
    } else j++;
  }
  return -1;
}

function lex(s: string, scs: boolean, collapse: boolean, maxLength: number): SanitizedSql {
  const n = s.length;
  const parts: string[] = [];
  const summary = new SummaryBuilder(s);
  let last = 0; // start of the verbatim run not yet pushed to parts
  let i = 0;
  let depth = 0;
  let prev = PREV_START;
  let prevKw: Kw = Kw.None;
  let statementStart = true; // the next token must start a statement (checked: fail closed)
  let firstStatement = true; // no `;` seen yet: a non-statement is redacted whole
  // IN-list collapse: the list's inner depth, whether it still holds only literals, where to cut
  let listDepth = -1;
  let listOk = false;
  let listHasValue = false;
  let listCut = -1;
  // VALUES collapse
  let valState = V_NONE;
  let valDepth = -1;
  let valCut = -1;

  while (i < n) {
    const c = s.charCodeAt(i);
    const cls = c < 0x80 ? CHAR_CLASS[c] : IDENT_START;

    if ((cls & WHITESPACE) !== 0) {
      i++;
      continue;
    }

    // ---- words: keywords, identifiers, and the prefixes of E'', B'', X'', N'', U&'' / U&""
    if ((cls & IDENT_START) !== 0) {
      let j = i + 1;
      while (j < n && isIdentCont(s.charCodeAt(j))) j++;
      const next = s.charCodeAt(j);
      if (j === i + 1) {
        const lower = c | 0x20;
        let end = 0;
        let isString = false;
        if (next === 0x27) {
          if (lower === 0x65 || (lower === 0x6e && !scs)) end = endOfEscaped(s, j + 1);
          else if (lower === 0x62 || lower === 0x78 || lower === 0x6e) end = endOfQuoted(s, j + 1, "'");
          isString = lower === 0x65 || lower === 0x62 || lower === 0x78 || lower === 0x6e;
        } else if (lower === 0x75 && next === 0x26) {
          const q = s.charCodeAt(j + 1);
          if (q === 0x27) {
            end = endOfQuoted(s, j + 2, "'");
            isString = true;
          } else if (q === 0x22) {
            if (statementStart) return redacted();
            end = endOfQuoted(s, j + 2, '"');
            if (end < 0) {
              redactToEnd(i);
              break;
            }
            // U&"..." identifier: kept as written
            summary.quotedIdentifier(i, end);
            if (depth === listDepth) listOk = false;
            if (depth === valDepth && valState !== V_NONE) valState = V_NONE;
            prev = PREV_OPERAND;
            prevKw = Kw.None;
            i = end;
            continue;
          }
        }
        if (isString) {
          if (statementStart) return redacted();
          if (end < 0) {
            redactToEnd(i);
            break;
          }
          literal(i, end);
          i = end;
          continue;
        }
      }
      const kw = keywordAt(s, i, j);
      if (statementStart) {
        if (!STATEMENT_KEYWORDS.has(s.slice(i, j).toLowerCase())) {
          if (firstStatement) return redacted();
          redactToEnd(i);
          break;
        }
        statementStart = false;
      }
      if (kw === Kw.True || kw === Kw.False) {
        literal(i, j);
        i = j;
        continue;
      }
      summary.word(kw, i, j, depth);
      if (depth === listDepth) listOk = false;
      if (depth === valDepth && valState !== V_NONE) valState = V_NONE;
      if (kw === Kw.Values) {
        valState = V_FIRST;
        valDepth = depth;
      }
      prev = signFollows(kw) ? PREV_START : PREV_OPERAND;
      prevKw = kw;
      i = j;
      continue;
    }

    // ---- numbers, and signed numbers where the sign is unary
    if (
      (cls & DIGIT) !== 0 ||
      (c === 0x2e && (CHAR_CLASS[s.charCodeAt(i + 1)] & DIGIT) !== 0) ||
      ((c === 0x2d || c === 0x2b) && prev !== PREV_OPERAND && startsNumber(s, i + 1))
    ) {
      if (statementStart) return bail(i);
      const end = endOfNumber(s, c === 0x2d || c === 0x2b ? i + 1 : i);
      literal(i, end);
      i = end;
      continue;
    }

    switch (c) {
      case 0x27: {
        // '...'
        if (statementStart) return bail(i);
        const end = scs ? endOfQuoted(s, i + 1, "'") : endOfEscaped(s, i + 1);
        if (end < 0) {
          redactToEnd(i);
          i = n;
          break;
        }
        literal(i, end);
        i = end;
        continue;
      }
      case 0x22: {
        // "quoted identifier"
        if (statementStart) return bail(i);
        const end = endOfQuoted(s, i + 1, '"');
        if (end < 0) {
          redactToEnd(i);
          i = n;
          break;
        }
        summary.quotedIdentifier(i, end);
        if (depth === listDepth) listOk = false;
        if (depth === valDepth && valState !== V_NONE) valState = V_NONE;
        prev = PREV_OPERAND;
        prevKw = Kw.None;
        i = end;
        continue;
      }
      case 0x24: {
        // $1 parameter, $$ / $tag$ dollar quote, or a lone $
        if (statementStart) return bail(i);
        const d = s.charCodeAt(i + 1);
        if (d >= 0x30 && d <= 0x39) {
          let j = i + 2;
          while (j < n && (CHAR_CLASS[s.charCodeAt(j)] & DIGIT) !== 0) j++;
          token();
          prev = PREV_OPERAND;
          i = j;
          continue;
        }
        let tagEnd = -1;
        if (d === 0x24) tagEnd = i + 1;
        else if (d >= 0x80 || (CHAR_CLASS[d] & IDENT_START) !== 0) {
          let k = i + 2;
          for (; k < n; k++) {
            const e = s.charCodeAt(k);
            if (e === 0x24 || !isIdentCont(e)) break;
          }
          if (s.charCodeAt(k) === 0x24) tagEnd = k;
        }
        if (tagEnd < 0) {
          token();
          prev = PREV_START;
          i++;
          continue;
        }
        const close = s.indexOf(s.slice(i, tagEnd + 1), tagEnd + 1);
        if (close < 0) {
          redactToEnd(i);
          i = n;
          break;
        }
        const end = close + tagEnd + 1 - i;
        literal(i, end);
        i = end;
        continue;
      }
      case 0x2d: // -
        if (s.charCodeAt(i + 1) === 0x2d) {
          let j = i + 2;
          while (j < n) {
            const e = s.charCodeAt(j);
            if (e === 0x0a || e === 0x0d) break;
            j++;
          }
          removeComment(i, j);
          i = j;
          continue;
        }
        break;
      case 0x2f: // /
        if (s.charCodeAt(i + 1) === 0x2a) {
          let nest = 1;
          let j = i + 2;
          while (j < n) {
            const e = s.charCodeAt(j);
            if (e === 0x2a && s.charCodeAt(j + 1) === 0x2f) {
              j += 2;
              if (--nest === 0) break;
            } else if (e === 0x2f && s.charCodeAt(j + 1) === 0x2a) {
              j += 2;
              nest++;
            } else j++;
          }
          if (nest > 0) j = n; // unterminated: everything to the end was comment
          removeComment(i, j);
          i = j;
          continue;
        }
        break;
      case 0x28: {
        // (
        summary.open(depth + 1);
        if (depth === valDepth && (valState === V_FIRST || valState === V_NEXT)) {
          valState = valState === V_FIRST ? V_IN_FIRST : V_IN_NEXT;
        } else if (depth === valDepth && valState !== V_NONE) valState = V_NONE;
        if (prevKw === Kw.In && collapse) {
          listDepth = depth + 1;
          listOk = true;
          listHasValue = false;
          listCut = -1;
        } else if (listDepth >= 0 && depth >= listDepth) listOk = false;
        depth++;
        prev = PREV_START;
        prevKw = Kw.None;
        i++;
        continue;
      }
      case 0x29: {
        // )
        if (statementStart) return bail(i);
        summary.close(depth);
        if (depth === listDepth) {
          if (listOk && listHasValue && listCut >= 0 && listCut <= parts.length) {
            parts.length = listCut;
            last = i;
          }
          listDepth = -1;
        }
        if (depth > 0) depth--;
        if (listDepth > depth) listDepth = -1;
        if (depth === valDepth) {
          if (valState === V_IN_FIRST) {
            if (collapse) {
              parts.push(s.slice(last, i + 1));
              last = i + 1;
              valCut = parts.length;
            }
            valState = V_AFTER;
          } else if (valState === V_IN_NEXT) {
            if (collapse && valCut >= 0 && valCut <= parts.length) {
              parts.length = valCut;
              last = i + 1;
            }
            valState = V_AFTER;
          } else valState = V_NONE;
        } else if (depth < valDepth) valState = V_NONE;
        prev = PREV_OPERAND;
        prevKw = Kw.None;
        i++;
        continue;
      }
      case 0x2c: {
        // ,
        if (statementStart) return bail(i);
        summary.comma(depth);
        if (depth === listDepth && listOk) {
          if (!listHasValue) listOk = false;
          else if (listCut < 0) {
            if (i > last) parts.push(s.slice(last, i));
            last = i;
            listCut = parts.length;
          }
          listHasValue = false;
        }
        if (depth === valDepth) valState = valState === V_AFTER ? V_NEXT : V_NONE;
        prev = PREV_START;
        prevKw = Kw.None;
        i++;
        continue;
      }
      case 0x3b: // ;
        summary.semicolon();
        depth = 0;
        listDepth = -1;
        valState = V_NONE;
        prev = PREV_START;
        prevKw = Kw.None;
        statementStart = true;
        firstStatement = false;
        i++;
        continue;
      case 0x2e: // . (not followed by a digit)
        if (statementStart) return bail(i);
        summary.dot();
        if (depth === listDepth) listOk = false;
        prev = PREV_START;
        prevKw = Kw.None;
        i++;
        continue;
      case 0x5d: // ]
        if (statementStart) return bail(i);
        token();
        prev = PREV_OPERAND;
        i++;
        continue;
    }
    if (i >= n) break;

    // ---- any other character: operators and punctuation, kept
    if (statementStart) return bail(i);
    token();
    prev = PREV_START;
    i++;
  }

  if (last < n) parts.push(s.slice(last, n));
  const full = parts.join('');
  const text = full.length > maxLength ? truncate(full, maxLength) : full;
  return { text, summary: summary.finish(), fingerprint: fingerprintSanitized(full) };

  // ---- helpers (hoisted; they close over the lexer state)

  function literal(start: number, end: number): void {
    if (start > last) parts.push(s.slice(last, start));
    parts.push('?');
    last = end;
    summary.other();
    if (depth === listDepth) {
      if (listHasValue) listOk = false;
      else listHasValue = true;
    }
    if (depth === valDepth && valState !== V_NONE) valState = V_NONE;
    prev = PREV_LITERAL;
    prevKw = Kw.None;
  }

  function token(): void {
    summary.other();
    if (depth === listDepth) listOk = false;
    if (depth === valDepth && valState !== V_NONE) valState = V_NONE;
    prevKw = Kw.None;
  }

  function redactToEnd(start: number): void {
    if (start > last) parts.push(s.slice(last, start));
    parts.push('?');
    last = n;
    summary.other();
  }

  function removeComment(start: number, end: number): void {
    if (start > last) parts.push(s.slice(last, start));
    last = end;
    // keep tokens apart: `a/**/b` must not become `ab`
    if (start > 0 && end < n && !isWhitespace(s.charCodeAt(start - 1)) && !isWhitespace(s.charCodeAt(end))) {
      parts.push(' ');
    }
  }

  /** A statement starts with something other than a keyword: redact from there on. */
  function bail(start: number): SanitizedSql {
    if (firstStatement) return redacted();
    redactToEnd(start);
    const full2 = parts.join('');
    const text2 = full2.length > maxLength ? truncate(full2, maxLength) : full2;
    return { text: text2, summary: summary.finish(), fingerprint: fingerprintSanitized(full2) };
  }
}

/** `s[i]` starts an unsigned number: a digit, or `.` and a digit. */
function startsNumber(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c >= 0x30 && c <= 0x39) return true;
  if (c !== 0x2e) return false;
  const d = s.charCodeAt(i + 1);
  return d >= 0x30 && d <= 0x39;
}

/**
 * End of a numeric literal starting at `i` (a digit or `.`): digits and `_`, a fraction,
 * an exponent with optional sign, then any identifier characters glued to it (hex
 * `0xFF`, `0o17`, `0b101`, or junk PostgreSQL would reject): all of it is redacted.
 */
function endOfNumber(s: string, i: number): number {
  const n = s.length;
  let j = i;
  while (j < n && isIdentCont(s.charCodeAt(j)) && !isExponentStart(s, j)) j++;
  if (s.charCodeAt(j) === 0x2e) {
    j++;
    while (j < n && (CHAR_CLASS[s.charCodeAt(j)] & DIGIT) !== 0) j++;
  }
  if (isExponentStart(s, j)) {
    j++;
    const sign = s.charCodeAt(j);
    if (sign === 0x2b || sign === 0x2d) j++;
  }
  while (j < n && isIdentCont(s.charCodeAt(j))) j++;
  return j;
}

/** `e`/`E` followed by a digit, or by a sign and a digit, after a mantissa digit. */
function isExponentStart(s: string, j: number): boolean {
  const c = s.charCodeAt(j) | 0x20;
  if (c !== 0x65) return false;
  const prevC = s.charCodeAt(j - 1);
  if (!((prevC >= 0x30 && prevC <= 0x39) || prevC === 0x2e)) return false;
  let k = j + 1;
  const d = s.charCodeAt(k);
  if (d === 0x2b || d === 0x2d) k++;
  const e = s.charCodeAt(k);
  return e >= 0x30 && e <= 0x39;
}

/** Cuts `text` to at most `max` characters without splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end);
}
