import { CHAR_CLASS, DIGIT, IDENT_CONT, IDENT_START, OPERATOR, WHITESPACE } from './charClasses';
import { finishFingerprint, hashToken, hashToken2, LITERAL_TOKEN, mixA, mixB, ordinalToken, PUNCT_TOKEN, SEED_A, SEED_B, TOKEN_PRIME, TOKEN_PRIME2, TOKEN_SEED, TOKEN_SEED2 } from './fingerprint';
import { KF_BY, KF_CLAUSE, KF_SIGN, KF_STATEMENT, KF_SUMMARY, KF_VALUE, Kw, KW_CHARS, KW_FLAGS, KW_MASK, KW_TABLE, MAX_KEYWORD_LENGTH } from './keywords';
import * as scanners from './scanners';
import { AT_FROM, SummaryBuilder } from './SummaryBuilder';
import type { SanitizedSql } from './types';

// Every charCodeAt below is guarded against reading past the end (NaN there; the first such
// read in optimized code deoptimizes `run`, see scanners.at), and reads 0 instead.
// Every CLS[c] below is guarded by `c < 0x80`: charCodeAt past the end is NaN, and one
// out-of-bounds typed-array read makes V8 reoptimize every such load into a slower form.
// Module-local aliases: hot loops must not go through ES-module export getters (tsx/esbuild emit
// one per imported binding), so imports used per character or per token are read once here.
const K = Kw;
const FLAGS = KW_FLAGS;
const STATEMENT = KF_STATEMENT;
const SIGN = KF_SIGN;
const CLAUSE = KF_CLAUSE;
const SUMMARY = KF_SUMMARY;
const VALUE = KF_VALUE;
const BY = KF_BY;
const CLS = CHAR_CLASS;
const S_FROM = AT_FROM;
const F_WS = WHITESPACE;
const F_START = IDENT_START;
const F_DIGIT = DIGIT;
const F_CONT = IDENT_CONT;
const F_OP = OPERATOR;
const KWT = KW_TABLE;
const KWC = KW_CHARS;
const KWM = KW_MASK;
const KW_MAX = MAX_KEYWORD_LENGTH;
const tokenHash = hashToken;
const tokenHash2 = hashToken2;
const ordinalHash = ordinalToken;
const SEED_Q2 = TOKEN_SEED2;
const PRIME_Q2 = TOKEN_PRIME2;
const SEED_Q = TOKEN_SEED;
const PRIME_Q = TOKEN_PRIME;
const LITERAL = LITERAL_TOKEN;
const PUNCT = PUNCT_TOKEN;
const A0 = SEED_A;
const B0 = SEED_B;
const mixHashA = mixA;
const mixHashB = mixB;
const finishHash = finishFingerprint;
const {
  isWhitespace, endOfQuoted, endOfEscaped, startsNumber, endOfNumber, truncate, endOfLineComment,
  endOfBlockComment, endOfDollarQuote, NOT_DOLLAR_QUOTE, endsComparison, quotedIsOperand, endsListElement,
} = scanners;

/** The token-dependent half of {@link mixA} for a literal and for `,`: `fa ^= MIX_x` starts the step. */
const MIX_LITERAL = mixInput(LITERAL_TOKEN);
const MIX_COMMA = mixInput(PUNCT_TOKEN | 0x2c);
const MIX_DOT = mixInput(PUNCT_TOKEN | 0x2e);
function mixInput(t: number): number {
  const k = Math.imul(t, 0xcc9e2d51);
  return Math.imul((k << 15) | (k >>> 17), 0x1b873593);
}

/** Previous significant token allows a unary sign: start, operator, punctuation, most keywords. */
const PREV_START = 0;
/** Previous token ends an operand (identifier, `)`, `]`, parameter): `+`/`-` is binary. */
const PREV_OPERAND = 1;
/** Previous token was a literal: `99+100` becomes `??` (semantic-conventions test case). */
const PREV_LITERAL = 2;

/** Token kinds handled by the shared tail of the main loop. */
const T_LITERAL = 1;
const T_OPERAND = 2;
const T_PUNCT = 3;
const T_UNTERMINATED = 4;
const T_NOT_SQL = 5;

/** What `pend` holds back: nothing, the elements after the first of an IN-list, further VALUES rows. */
const P_NONE = 0;
const P_LIST = 1;
const P_ROWS = 2;

/** Bits of the lexer's `nextPos`: the next token is in a value position / may be an ORDER BY ordinal. */
const N_VALUE = 1;
const N_ORDINAL = 2;

/** VALUES collapse states. */
const V_NONE = 0;
const V_FIRST = 1; // after VALUES, expecting the first row
const V_IN_FIRST = 2; // inside the first row
const V_AFTER = 3; // after a row: `,` or the end of the VALUES list
const V_NEXT = 4; // after `,`: expecting another row
const V_IN_NEXT = 5; // inside a further row (dropped when collapsing)

/**
 * Longest input (in UTF-16 code units) lexed from the reused buffer; longer input gets a
 * buffer of its own for that call (one allocation of 2 bytes per code unit, then garbage).
 */
export const SHARED_UNITS = 16384;
/** Inputs up to this many code units are copied by a loop (measured: cheaper than the native copy below ~30). */
const SHORT_UNITS = 24;
/** Room for {@link SHARED_UNITS} code units and the two sentinels. */
const shared = new Uint16Array(SHARED_UNITS + 2);
const sharedBytes = Buffer.from(shared.buffer, shared.byteOffset, shared.byteLength);

/** Node's native `utf16le` writer behind `Buffer#write` (without its argument checks), when present. */
interface Ucs2Writer {
  ucs2Write?: (s: string, offset: number) => number;
}
const nativeUcs2 = typeof (sharedBytes as unknown as Ucs2Writer).ucs2Write === 'function';

/**
 * The code units of `s` in a Uint16Array (the reused one when `s` fits, see
 * {@link SHARED_UNITS}), copied by one native call (`utf16le` keeps every code unit, lone
 * surrogates included), followed by two sentinels: `"` at `s.length` and 0 after it. Reading
 * a typed array in the lexer's loops costs about half of `charCodeAt`, which re-dispatches
 * on the string's representation at every read; the sentinels end the identifier, number
 * and quoted-identifier loops without a bounds check per code unit (`"` is no identifier
 * character or digit, so those loops stop at the end as they would at a 0).
 */
function codeUnits(s: string): Uint16Array {
  const n = s.length;
  let u = shared;
  if (n <= SHORT_UNITS) {
    // BEGIN, COMMIT, SELECT 1: copying in JS costs less than the call into the runtime
    for (let k = 0; k < n; k++) u[k] = s.charCodeAt(k);
  } else if (n <= SHARED_UNITS) writeUnits(sharedBytes, s);
  else {
    u = new Uint16Array(n + 2);
    writeUnits(Buffer.from(u.buffer, u.byteOffset, u.byteLength), s);
  }
  u[n] = 0x22;
  u[n + 1] = 0;
  return u;
}

/** Writes all of `s` at the start of `b` (which has room for it) as UTF-16LE code units. */
function writeUnits(b: Buffer, s: string): void {
  if (nativeUcs2) (b as unknown as Required<Ucs2Writer>).ucs2Write(s, 0);
  else b.write(s, 0, 'utf16le');
}

/**
 * Literals read while a list or row is held back (`pend`), as (start, end) pairs: most such
 * lists collapse and their text is dropped, so it is built ({@link replay}) only if needed.
 * Bounded: when full, the logged text is built and the log starts over.
 */
const LOG_CAP = 1024;
const LOG = new Int32Array(LOG_CAP * 2);

/** The text of `s[from, end of the last logged literal)` with the `count` logged literals as `?`. */
function replay(s: string, log: Int32Array, count: number, from: number): string {
  let text = '';
  let p = from;
  for (let k = 0; k < count * 2; k += 2) {
    text += s.slice(p, log[k]) + '?';
    p = log[k + 1];
  }
  return text;
}

/**
 * The PostgreSQL lexer behind {@link sanitizeSql}: one pass that, per token, (1) appends
 * verbatim runs as slices, or `?` for a literal, (2) feeds the
 * {@link SummaryBuilder} (only while it can change), (3) mixes a token hash into the two
 * fingerprint lanes, and (4) tracks IN-lists and VALUES rows to collapse: in the text when
 * `collapse`, in the fingerprint always (by restoring the lanes saved after the first
 * element).
 *
 * All state lives in locals of {@link Lexer.run} so the JIT keeps it in registers; the
 * common token kinds share one tail at the bottom of the loop. One instance is reused
 * (for its summary builder); `run` is synchronous and not re-entrant.
 * @internal
 */
export class Lexer {
  private readonly summary = new SummaryBuilder();

  /**
   * Sanitizes `s`; returns null when it does not start like a SQL statement (the caller
   * redacts it whole).
   */
  /** Drops the lexer's references to the last statement (the summary builder keeps it while it works). */
  release(): void {
    this.summary.release();
  }

  run(s: string, scs: boolean, collapse: boolean, maxLength: number): SanitizedSql | null {
    const n = s.length;
    const u = codeUnits(s);
    const summary = this.summary;
    summary.reset(s);
    // The text is built by concatenation (V8 ropes: far cheaper than Array#join of many
    // small parts). While a collapsible IN-list or a further VALUES row is being read, its
    // text goes to `pend` instead, to be dropped or appended when the list/row ends.
    let out = '';
    let pend = '';
    let pending = P_NONE;
    // while pending, the held-back text is pend + replay(s, LOG, logged, logFrom)
    let logged = 0;
    let logFrom = 0;
    const log = LOG;
    let last = 0; // start of the verbatim run not yet emitted
    let i = 0;
    let depth = 0;
    let prev = PREV_START;
    let prevKw: Kw = K.None;
    let statementStart = true; // the next token must start a statement (checked: fail closed)
    let firstStatement = true; // no `;` seen yet: a statement that is not SQL is redacted whole
    // fingerprint lanes and token count
    let fa = A0;
    let fb = B0;
    let fc = 0;
    let k: number; // scratch of the inlined lane mixing
    // IN-list: inner depth, still only literals?, current element has one, text cut, saved lanes
    let listDepth = -1;
    let listOk = false;
    let listHasValue = false;
    let listSaved = false;
    let listA = 0;
    let listB = 0;
    let listC = 0;
    // VALUES rows
    let valState = V_NONE;
    let valDepth = -1;
    let valA = 0;
    let valB = 0;
    let valC = 0;
    // what the next token may be (N_* bits): in a value position (after `=`, `LIKE`, `IN (`,
    // ...) a double-quoted token is a string written MySQL-style, unless followed by `.`, `(`,
    // `+`, `-`; in an ORDER BY / GROUP BY list an integer is an ordinal (kept in the fingerprint)
    let nextPos = 0;
    // paren depth of the last ORDER BY / GROUP BY list, or -1; ends at its `)` or `;` only (a
    // clause keyword does not end it: no per-word check; a later `, 3` at that depth would at
    // worst split a fingerprint)
    let byDepth = -1;
    // fingerprint lanes and token count right before the last `;` and right after it
    let semiA = 0;
    let semiB = 0;
    let semiC = 0;
    let semiEnd = -1;

    while (i < n) {
      let c = u[i];
      const cls = c < 0x80 ? CLS[c] : F_START;
      if ((cls & F_WS) !== 0) {
        i++;
        continue;
      }
      if (pending !== P_NONE) {
        // the list or rows being held back turned out not to collapse: emit them
        if (pending === P_LIST ? listDepth < 0 || !listOk : valState !== V_NEXT && valState !== V_IN_NEXT && valState !== V_AFTER) {
          out += pend;
          if (logged !== 0) {
            out += replay(s, log, logged, logFrom);
            logged = 0;
          }
          pend = '';
          pending = P_NONE;
        }
      }
      const pos: number = nextPos;
      nextPos = 0;
      let kind = 0;
      let end = 0;
      let h = 0;
      let h2 = 0;

      if (c === 0x22) {
        // "quoted identifier": hashed exactly, the way hashToken does (one step per two
        // code units), while searching for the closing quote, so "id" and id are the
        // same token. A `""` inside (rare) takes the slow path.
        kind = T_OPERAND;
        let j = i + 1;
        let hq = SEED_Q;
        let hq2 = SEED_Q2;
        let slow = false;
        // no bounds checks: the sentinel `"` at n stops the loop (j >= n below: unterminated); a
        // closing quote at n - 1 sees the sentinel as a `""` and takes the slow path (same result)
        for (;;) {
          const a = u[j];
          if (a === 0x22) {
            slow = u[j + 1] === 0x22;
            break;
          }
          const b = u[j + 1];
          if (b === 0x22) {
            if (u[j + 2] === 0x22) {
              slow = true;
              break;
            }
            // a is the last code unit: a block on its own; j moves to the closing quote
            hq = Math.imul(((hq << 7) | (hq >>> 25)) ^ a, PRIME_Q);
            hq2 = Math.imul(((hq2 << 13) | (hq2 >>> 19)) ^ a, PRIME_Q2);
            j++;
            break;
          }
          const blk = a | (b << 16);
          hq = Math.imul(((hq << 7) | (hq >>> 25)) ^ blk, PRIME_Q);
          hq2 = Math.imul(((hq2 << 13) | (hq2 >>> 19)) ^ blk, PRIME_Q2);
          j += 2;
        }
        if (slow) {
          end = endOfQuoted(s, i + 1, '"');
          if (end >= 0) {
            h = tokenHash(s, i + 1, end - 1, false);
            h2 = tokenHash2(s, i + 1, end - 1, false);
          }
        } else if (j >= n) end = -1;
        else {
          end = j + 1;
          h = hq ^ (j - i - 1);
          h2 = Math.imul(hq2 ^ (j - i - 1), PRIME_Q);
        }
        // a value written in double quotes (`name = "Alice"`): redacted like a string
        if ((pos & N_VALUE) !== 0 && end >= 0 && !quotedIsOperand(s, end)) {
          kind = T_LITERAL;
          h = 0;
        }
        else if (end >= 0 && summary.busy && !statementStart) summary.quotedIdentifier(i, end, !slow);
      } else if ((cls & F_START) !== 0) {
        // ---- words: keywords, identifiers, and the prefixes of E'', B'', X'', N'', U&'' / U&""
        // scan and hash (case-folded, as hashToken: one step per two code units) at once
        let j = i;
        let hw = SEED_Q;
        let hw2 = SEED_Q2;
        let a = c;
        for (;;) {
          if (a - 0x41 >>> 0 < 26) a |= 0x20;
          const b0 = u[j + 1]; // j + 1 <= n: the sentinel `"` at n ends the word
          if (b0 < 0x80 ? (CLS[b0] & F_CONT) === 0 : !(b0 >= 0x80)) {
            hw = Math.imul(((hw << 7) | (hw >>> 25)) ^ a, PRIME_Q);
            hw2 = Math.imul(((hw2 << 13) | (hw2 >>> 19)) ^ a, PRIME_Q2);
            j++;
            break;
          }
          const blk = a | ((b0 - 0x41 >>> 0 < 26 ? b0 | 0x20 : b0) << 16);
          hw = Math.imul(((hw << 7) | (hw >>> 25)) ^ blk, PRIME_Q);
          hw2 = Math.imul(((hw2 << 13) | (hw2 >>> 19)) ^ blk, PRIME_Q2);
          j += 2;
          a = u[j];
          if (a < 0x80 ? (CLS[a] & F_CONT) === 0 : !(a >= 0x80)) break;
        }
        c = j < n ? u[j] : 0;
        if (j === i + 1 && j < n && (c === 0x27 || c === 0x26)) {
          const lower = u[i] | 0x20;
          if (c === 0x27) {
            if (lower === 0x65 || (lower === 0x6e && !scs)) {
              kind = T_LITERAL;
              end = endOfEscaped(s, j + 1);
            } else if (lower === 0x62 || lower === 0x78 || lower === 0x6e) {
              kind = T_LITERAL;
              end = endOfQuoted(s, j + 1, "'");
            }
          } else if (lower === 0x75) {
            const q = j + 1 < n ? u[j + 1] : 0;
            if (q === 0x27) {
              kind = T_LITERAL;
              end = endOfQuoted(s, j + 2, "'");
            } else if (q === 0x22) {
              // U&"..." identifier: kept as written
              kind = T_OPERAND;
              end = endOfQuoted(s, j + 2, '"');
              if (end >= 0) {
                h = tokenHash(s, i, end, false) ^ 0x55;
                h2 = tokenHash2(s, i, end, false) ^ 0x55;
                if (summary.busy) summary.quotedIdentifier(i, end, false);
              }
            }
          }
        }
        if (kind === 0) {
          h = hw ^ (j - i);
          h2 = Math.imul(hw2 ^ (j - i), PRIME_Q);
          // the keyword, if any (keywordAt, inlined: probe KW_TABLE with the word's hash)
          let kw: Kw = K.None;
          if (j - i >= 2 && j - i <= KW_MAX) {
            for (let slot = h & KWM; KWT[slot * 4 + 1] !== 0; slot = (slot + 1) & KWM) {
              if (KWT[slot * 4] !== h || KWT[slot * 4 + 2] !== j - i) continue;
              const offset = KWT[slot * 4 + 3] - i;
              let q = i;
              while (q < j && (u[q] | 0x20) === KWC[offset + q]) q++;
              if (q === j) {
                kw = KWT[slot * 4 + 1];
                break;
              }
            }
          }
          if (statementStart) {
            if ((FLAGS[kw] & STATEMENT) === 0) {
              if (firstStatement) return null;
              kind = T_NOT_SQL;
            }
            statementStart = false;
          }
          if (kind === 0) {
            if (kw === K.True || kw === K.False) {
              kind = T_LITERAL;
              end = j;
              h = 0;
            } else {
              const kf = FLAGS[kw];
              if (summary.busy || (kf & SUMMARY) !== 0) summary.word(kw, i, j, depth, prevKw);
              else if ((kf & CLAUSE) !== 0 && depth < summary.top && (summary.marks[depth] & S_FROM) !== 0) summary.endFrom(depth);
              if (depth === listDepth) listOk = false;
              if (depth === valDepth) valState = V_NONE;
              if (kw === K.Values) {
                valState = V_FIRST;
                valDepth = depth;
              }
              if ((kf & (VALUE | BY)) !== 0) {
                if ((kf & VALUE) !== 0) nextPos = N_VALUE;
                else if (prevKw === K.Order || prevKw === K.Group) {
                  nextPos = N_ORDINAL;
                  byDepth = depth;
                }
              }
              // mixA(fa, h), mixB(fb, h2), inlined (V8 runs out of inlining budget in `run`)
              k = Math.imul(h, 0xcc9e2d51);
              fa ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
              fa = (Math.imul((fa << 13) | (fa >>> 19), 5) + 0xe6546b64) | 0;
              fb = Math.imul(((fb << 5) | (fb >>> 27)) ^ h2, 0x5bd1e995);
              fc++;
              prev = (kf & SIGN) !== 0 ? PREV_START : PREV_OPERAND;
              prevKw = kw;
              i = c === 0x20 ? j + 1 : j; // a space after it: skipped here
              continue;
            }
          }
        }
      } else if (
        (cls & F_DIGIT) !== 0 ||
        (c === 0x2e && i + 1 < n && u[i + 1] - 0x30 >>> 0 < 10) ||
        ((c === 0x2d || c === 0x2b) && prev !== PREV_OPERAND && startsNumber(s, i + 1))
      ) {
        // ---- numbers, and signed numbers where the sign is unary
        kind = T_LITERAL;
        // fast path: an integer followed by neither `.` nor an identifier character
        let j = c === 0x2d || c === 0x2b ? i + 1 : i;
        let d = u[j];
        while (d >= 0x30 && d <= 0x39) d = u[++j]; // the sentinel at n is no digit
        end = d === 0x2e || (d < 0x80 ? (CLS[d] & F_CONT) !== 0 : d >= 0x80) ? endOfNumber(s, c === 0x2d || c === 0x2b ? i + 1 : i) : j;
        // `ORDER BY 2`: a plain integer that is a whole list element refers to a column
        if ((pos & N_ORDINAL) !== 0 && end === j && j - i <= 9 && c !== 0x2d && c !== 0x2b && endsListElement(s, j)) {
          let v = 0;
          for (let k = i; k < j; k++) v = v * 10 + u[k] - 0x30;
          h = ordinalHash(v);
        }
      } else {
        switch (c) {
          case 0x27: // '...'
            kind = T_LITERAL;
            end = scs ? endOfQuoted(s, i + 1, "'") : endOfEscaped(s, i + 1);
            break;
          case 0x24: {
            // $1 parameter, $$ / $tag$ dollar quote, or a lone $
            const d = i + 1 < n ? u[i + 1] : 0;
            if (d >= 0x30 && d <= 0x39) {
              kind = T_OPERAND;
              end = i + 2;
              let e = u[end];
              while (e >= 0x30 && e <= 0x39) e = u[++end]; // the sentinel at n is no digit
              // hashToken and hashToken2 of s[i, end), inlined (ORM statements have many)
              let hp = SEED_Q;
              let hp2 = SEED_Q2;
              for (let q = i; q < end; q += 2) {
                const blk = u[q] | (q + 1 < end ? u[q + 1] << 16 : 0);
                hp = Math.imul(((hp << 7) | (hp >>> 25)) ^ blk, PRIME_Q);
                hp2 = Math.imul(((hp2 << 13) | (hp2 >>> 19)) ^ blk, PRIME_Q2);
              }
              h = hp ^ (end - i);
              h2 = Math.imul(hp2 ^ (end - i), PRIME_Q);
            } else {
              end = endOfDollarQuote(s, i);
              if (end === NOT_DOLLAR_QUOTE) {
                kind = T_PUNCT;
                end = i + 1;
              } else kind = T_LITERAL;
            }
            break;
          }
          case 0x2d: // - : a comment, or an operator (below)
          case 0x2f: // / : likewise
            if (i + 1 < n && u[i + 1] === (c === 0x2d ? 0x2d : 0x2a)) {
              const j = c === 0x2d ? endOfLineComment(s, i) : endOfBlockComment(s, i);
              // keep tokens apart: `a/**/b` must not become `ab`
              const piece = s.slice(last, i) + (i > 0 && j < n && !isWhitespace(u[i - 1]) && !isWhitespace(u[j]) ? ' ' : '');
              if (pending === P_NONE) out += piece;
              else {
                if (logged !== 0) {
                  pend += replay(s, log, logged, logFrom);
                  logged = 0;
                }
                pend += piece;
              }
              last = j;
              i = j;
              nextPos = pos; // a comment is not a token
              continue;
            }
            kind = T_PUNCT;
            end = i + 1;
            break;
          case 0x28: {
            // ( : allowed before the first keyword, `(SELECT ...) UNION ...`
            // the summary calls below are skipped when they cannot change anything (not busy,
            // no mark at this depth): `run` is too big for V8 to inline them, and a real call
            // per `(`, `)` and `,` costs more than the check
            if (summary.busy || (depth + 1 < summary.top && summary.marks[depth + 1] !== 0)) summary.open(depth + 1);
            if (depth === valDepth) {
              if (valState === V_FIRST) {
                valState = V_IN_FIRST;
                nextPos = N_VALUE;
              } else if (valState === V_NEXT) {
                valState = V_IN_NEXT;
                nextPos = N_VALUE;
              } else valState = V_NONE;
            }
            if (prevKw === K.In) {
              nextPos = N_VALUE;
              listDepth = depth + 1;
              listOk = true;
              listHasValue = false;
              listSaved = false;
            } else if (listDepth >= 0 && depth >= listDepth) listOk = false;
            h = PUNCT | c;
            // mixA(fa, h), mixB(fb, h), inlined (V8 runs out of inlining budget in `run`)
            k = Math.imul(h, 0xcc9e2d51);
            fa ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
            fa = (Math.imul((fa << 13) | (fa >>> 19), 5) + 0xe6546b64) | 0;
            fb = Math.imul(((fb << 5) | (fb >>> 27)) ^ h, 0x5bd1e995);
            fc++;
            depth++;
            prev = PREV_START;
            prevKw = K.None;
            i++;
            continue;
          }
          case 0x29: {
            // )
            if (statementStart) {
              kind = T_NOT_SQL;
              break;
            }
            if (summary.busy || (depth < summary.top && summary.marks[depth] !== 0)) summary.close(depth);
            let mixIt = true;
            if (depth === listDepth) {
              if (listOk && listHasValue && listSaved) {
                fa = listA;
                fb = listB;
                fc = listC;
                if (pending === P_LIST) {
                  pend = '';
                  logged = 0;
                  pending = P_NONE;
                  last = i;
                }
              }
              listDepth = -1;
            }
            if (depth > 0) depth--;
            if (listDepth > depth) listDepth = -1;
            if (byDepth > depth) byDepth = -1;
            if (depth === valDepth) {
              if (valState === V_IN_FIRST) {
                h = PUNCT | c;
                fa = mixHashA(fa, h);
                fb = mixHashB(fb, h);
                fc++;
                mixIt = false;
                valA = fa;
                valB = fb;
                valC = fc;
                valState = V_AFTER;
              } else if (valState === V_IN_NEXT) {
                // a further row: drop it (the lanes go back to the end of the first row)
                fa = valA;
                fb = valB;
                fc = valC;
                mixIt = false;
                if (pending === P_ROWS) {
                  pend = '';
                  logged = 0;
                  last = i + 1;
                }
                valState = V_AFTER;
              } else valState = V_NONE;
            } else if (depth < valDepth) valState = V_NONE;
            if (mixIt) {
              h = PUNCT | c;
              // mixA(fa, h), mixB(fb, h), inlined (V8 runs out of inlining budget in `run`)
              k = Math.imul(h, 0xcc9e2d51);
              fa ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
              fa = (Math.imul((fa << 13) | (fa >>> 19), 5) + 0xe6546b64) | 0;
              fb = Math.imul(((fb << 5) | (fb >>> 27)) ^ h, 0x5bd1e995);
              fc++;
            }
            prev = PREV_OPERAND;
            prevKw = K.None;
            i++;
            continue;
          }
          case 0x2c: {
            // ,
            if (statementStart) {
              kind = T_NOT_SQL;
              break;
            }
            if (summary.busy || (depth < summary.top && (summary.marks[depth] & S_FROM) !== 0)) summary.comma(depth);
            if (depth === listDepth && listOk) {
              if (!listHasValue) listOk = false;
              else if (!listSaved) {
                listSaved = true;
                listA = fa;
                listB = fb;
                listC = fc;
                if (collapse && pending === P_NONE) {
                  out += s.slice(last, i);
                  last = i;
                  pending = P_LIST;
                }
              }
              listHasValue = false;
            }
            if (depth === listDepth || (depth === valDepth + 1 && (valState === V_IN_FIRST || valState === V_IN_NEXT))) nextPos = N_VALUE;
            else if (depth === byDepth) nextPos = N_ORDINAL;
            if (depth === valDepth) {
              if (valState === V_AFTER) {
                valState = V_NEXT;
                if (collapse && pending === P_NONE) {
                  out += s.slice(last, i);
                  last = i;
                  pending = P_ROWS;
                }
              } else valState = V_NONE;
            }
            h = PUNCT | c;
            // mixA(fa, h), mixB(fb, h), inlined (V8 runs out of inlining budget in `run`)
            k = Math.imul(h, 0xcc9e2d51);
            fa ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
            fa = (Math.imul((fa << 13) | (fa >>> 19), 5) + 0xe6546b64) | 0;
            fb = Math.imul(((fb << 5) | (fb >>> 27)) ^ h, 0x5bd1e995);
            fc++;
            prev = PREV_START;
            prevKw = K.None;
            i += u[i + 1] === 0x20 ? 2 : 1; // and a space after it (u[n] is a sentinel)
            // A collapsing IN-list (held back): its further `, literal` elements are read right
            // here while each is a plain integer or a '...' string (what ORMs generate, up to
            // hundreds of them), doing exactly what the loop does for those two tokens in this
            // state (which they cannot change: no summary, VALUES or ordinal work applies);
            // anything else goes back to the loop, at the token it stopped at.
            if (
              pending === P_LIST && depth === listDepth && listOk && depth !== valDepth && !summary.busy &&
              !(depth < summary.top && (summary.marks[depth] & S_FROM) !== 0)
            ) {
              for (;;) {
                let p = i;
                while (u[p] === 0x20) p++;
                const c0 = u[p];
                let e: number;
                if (c0 - 0x30 >>> 0 < 10) {
                  e = p + 1;
                  let d = u[e];
                  while (d - 0x30 >>> 0 < 10) d = u[++e]; // the sentinel at n is no digit
                  if (d === 0x2e || (d < 0x80 ? (CLS[d] & F_CONT) !== 0 : true)) break; // 1.5, 1e3, 0x1F, 1$a$...
                } else if (c0 === 0x27) {
                  e = scs ? endOfQuoted(s, p + 1, "'") : endOfEscaped(s, p + 1);
                  if (e < 0) break;
                } else break;
                // the literal (as the shared tail: logged, `?` in the fingerprint)
                if (logged === 0) logFrom = last;
                else if (logged === LOG_CAP) {
                  pend += replay(s, log, logged, logFrom);
                  logged = 0;
                  logFrom = last;
                }
                log[logged * 2] = p;
                log[logged * 2 + 1] = e;
                logged++;
                last = e;
                listHasValue = true;
                fa ^= MIX_LITERAL;
                fa = (Math.imul((fa << 13) | (fa >>> 19), 5) + 0xe6546b64) | 0;
                fb = Math.imul(((fb << 5) | (fb >>> 27)) ^ LITERAL, 0x5bd1e995);
                fc++;
                prev = PREV_LITERAL;
                nextPos = 0;
                p = e;
                while (u[p] === 0x20) p++;
                i = p;
                if (u[p] !== 0x2c) break;
                // the comma (as above, for a list element that had its one literal)
                listHasValue = false;
                nextPos = N_VALUE;
                fa ^= MIX_COMMA;
                fa = (Math.imul((fa << 13) | (fa >>> 19), 5) + 0xe6546b64) | 0;
                fb = Math.imul(((fb << 5) | (fb >>> 27)) ^ (PUNCT | 0x2c), 0x5bd1e995);
                fc++;
                prev = PREV_START;
                i = p + 1;
              }
            } else if (
              // A list of quoted names (`"t"."a", "t"."b", ...`: select lists, column lists of
              // INSERT and RETURNING) where none of them can matter to the summary, an IN-list,
              // VALUES rows or ORDER BY ordinals: read right here, doing exactly what the loop
              // does for these tokens in this state (`"name"`, `.`, `,`), until anything else.
              u[i] === 0x22 && pending === P_NONE && depth !== listDepth && depth !== byDepth &&
              (valState === V_NONE || (depth !== valDepth && depth !== valDepth + 1)) &&
              !summary.busy && !(depth < summary.top && (summary.marks[depth] & S_FROM) !== 0)
            ) {
              for (;;) {
                // "name" (hashed as in the quoted-identifier path; `""` inside or unterminated: left to the loop)
                let j = i + 1;
                let hq = SEED_Q;
                let hq2 = SEED_Q2;
                let a = u[j];
                let b = u[j + 1];
                while (a !== 0x22 && b !== 0x22) {
                  const blk = a | (b << 16);
                  hq = Math.imul(((hq << 7) | (hq >>> 25)) ^ blk, PRIME_Q);
                  hq2 = Math.imul(((hq2 << 13) | (hq2 >>> 19)) ^ blk, PRIME_Q2);
                  j += 2;
                  a = u[j];
                  b = u[j + 1];
                }
                if (a !== 0x22) {
                  // a is the last code unit: a block on its own
                  hq = Math.imul(((hq << 7) | (hq >>> 25)) ^ a, PRIME_Q);
                  hq2 = Math.imul(((hq2 << 13) | (hq2 >>> 19)) ^ a, PRIME_Q2);
                  j++;
                }
                // j at the closing quote: stop at a `""`, and at the sentinel (unterminated)
                if (j >= n || u[j + 1] === 0x22) break;
                h = hq ^ (j - i - 1);
                k = Math.imul(h, 0xcc9e2d51);
                fa ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
                fa = (Math.imul((fa << 13) | (fa >>> 19), 5) + 0xe6546b64) | 0;
                fb = Math.imul(((fb << 5) | (fb >>> 27)) ^ Math.imul(hq2 ^ (j - i - 1), PRIME_Q), 0x5bd1e995);
                fc++;
                prev = PREV_OPERAND;
                nextPos = 0;
                // then `.` or `,` (after spaces) and another "name", else back to the loop
                let p = j + 1;
                while (u[p] === 0x20) p++;
                i = p;
                const d = u[p];
                if (d === 0x2e) {
                  if (u[p + 1] - 0x30 >>> 0 < 10) break; // `.5`: a number
                  fa ^= MIX_DOT;
                } else if (d === 0x2c) fa ^= MIX_COMMA;
                else break;
                fa = (Math.imul((fa << 13) | (fa >>> 19), 5) + 0xe6546b64) | 0;
                fb = Math.imul(((fb << 5) | (fb >>> 27)) ^ (PUNCT | d), 0x5bd1e995);
                fc++;
                prev = PREV_START;
                p++;
                while (u[p] === 0x20) p++;
                i = p;
                if (u[p] !== 0x22) break;
              }
            }
            continue;
          }
          case 0x3b: // ;
            summary.semicolon();
            // a trailing `;` is not part of the fingerprint (restored at the end if nothing follows)
            semiA = fa;
            semiB = fb;
            semiC = fc;
            h = PUNCT | c;
            fa = mixHashA(fa, h);
            fb = mixHashB(fb, h);
            fc++;
            semiEnd = fc;
            byDepth = -1;
            depth = 0;
            listDepth = -1;
            valState = V_NONE;
            prev = PREV_START;
            prevKw = K.None;
            statementStart = true;
            firstStatement = false;
            i++;
            continue;
          case 0x2e: // . (not starting a number)
            if (statementStart) {
              kind = T_NOT_SQL;
              break;
            }
            if (summary.busy) summary.dot();
            if (depth === listDepth) listOk = false;
            h = PUNCT | c;
            // mixA(fa, h), mixB(fb, h), inlined (V8 runs out of inlining budget in `run`)
            k = Math.imul(h, 0xcc9e2d51);
            fa ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
            fa = (Math.imul((fa << 13) | (fa >>> 19), 5) + 0xe6546b64) | 0;
            fb = Math.imul(((fb << 5) | (fb >>> 27)) ^ h, 0x5bd1e995);
            fc++;
            prev = PREV_START;
            prevKw = K.None;
            i++;
            continue;
          default:
            // operators and other punctuation, kept
            kind = T_PUNCT;
            end = i + 1;
            if (c === 0x3d || c === 0x3c || c === 0x3e) {
              // a comparison: `=`, `<`, `>` alone (the common case, checked here), or `<>`, `!=`, `<=`, `>=`
              const nx = i + 1 < n ? u[i + 1] : 0;
              if (nx >= 0x80 || (CLS[nx] & F_OP) === 0) {
                const pv = i > 0 ? u[i - 1] : 0;
                if (pv >= 0x80 || (CLS[pv] & F_OP) === 0 || endsComparison(s, i)) nextPos = N_VALUE;
              }
            }
        }
      }

      // ---- shared tail for literals, operands (quoted identifiers, parameters), punctuation
      if (statementStart) {
        if (firstStatement) return null;
        kind = T_NOT_SQL;
      }
      if (end < 0) kind = T_UNTERMINATED;
      if (kind === T_LITERAL) {
        if (pending === P_NONE) out += s.slice(last, i) + '?';
        else {
          // held back: logged, its text built only if the list or row is kept
          if (logged === 0) logFrom = last;
          else if (logged === LOG_CAP) {
            pend += replay(s, log, logged, logFrom);
            logged = 0;
            logFrom = last;
          }
          log[logged * 2] = i;
          log[logged * 2 + 1] = end;
          logged++;
        }
        last = end;
        if (summary.busy) summary.other();
        if (depth === listDepth) {
          if (listHasValue) listOk = false;
          else listHasValue = true;
        }
        if (depth === valDepth) valState = V_NONE;
        if (h === 0) h = LITERAL;
        h2 = h;
        prev = PREV_LITERAL;
      } else if (kind === T_OPERAND) {
        if (depth === listDepth) listOk = false;
        if (depth === valDepth) valState = V_NONE;
        prev = PREV_OPERAND;
      } else if (kind === T_PUNCT) {
        if (summary.busy) summary.other();
        if (depth === listDepth) listOk = false;
        if (depth === valDepth) valState = V_NONE;
        h = PUNCT | c;
        h2 = h;
        prev = c === 0x5d ? PREV_OPERAND : PREV_START; // `a[1]-1`: binary after `]`
      } else {
        // unterminated string, quote, identifier or dollar quote, or a statement that is
        // not SQL after a `;`: redact everything from here to the end (fail closed)
        if (pending === P_NONE) out += s.slice(last, i) + '?';
        else {
          if (logged !== 0) {
            pend += replay(s, log, logged, logFrom);
            logged = 0;
          }
          pend += s.slice(last, i) + '?';
        }
        last = n;
        if (summary.busy) summary.other();
        fa = mixHashA(fa, LITERAL);
        fb = mixHashB(fb, LITERAL);
        fc++;
        break;
      }
      // mixA(fa, h), mixB(fb, h2), inlined (V8 runs out of inlining budget in `run`)
      k = Math.imul(h, 0xcc9e2d51);
      fa ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
      fa = (Math.imul((fa << 13) | (fa >>> 19), 5) + 0xe6546b64) | 0;
      fb = Math.imul(((fb << 5) | (fb >>> 27)) ^ h2, 0x5bd1e995);
      fc++;
      prevKw = K.None;
      i = u[end] === 0x20 ? end + 1 : end; // and a space after it (u[n] is a sentinel)
    }

    if (fc === semiEnd) {
      fa = semiA;
      fb = semiB;
      fc = semiC;
    }

    if (pending !== P_NONE) {
      out += pend;
      if (logged !== 0) out += replay(s, log, logged, logFrom);
    }
    const full = last === 0 ? s : last < n ? out + s.slice(last) : out;
    return { text: truncate(full, maxLength), summary: summary.finish(), fingerprint: finishHash(fa, fb, fc) };
  }
}
