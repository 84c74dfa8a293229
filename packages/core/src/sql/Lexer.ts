import { CHAR_CLASS, DIGIT, IDENT_CONT, IDENT_START, WHITESPACE } from './charClasses';
import { finishFingerprint, hashToken, LITERAL_TOKEN, mixA, mixB, PUNCT_TOKEN, SEED_A, SEED_B } from './fingerprint';
import { KF_SIGN, KF_STATEMENT, Kw, keywordAt, KW_FLAGS } from './keywords';
import * as scanners from './scanners';
import { SummaryBuilder } from './SummaryBuilder';
import type { SanitizedSql } from './types';

// Module-local aliases: hot loops must not go through ES-module export getters (tsx/esbuild emit
// one per imported binding), so imports used per character or per token are read once here.
const K = Kw;
const FLAGS = KW_FLAGS;
const STATEMENT = KF_STATEMENT;
const SIGN = KF_SIGN;
const CLS = CHAR_CLASS;
const F_WS = WHITESPACE;
const F_START = IDENT_START;
const F_DIGIT = DIGIT;
const F_CONT = IDENT_CONT;
const kwAt = keywordAt;
const tokenHash = hashToken;
const LITERAL = LITERAL_TOKEN;
const PUNCT = PUNCT_TOKEN;
const A0 = SEED_A;
const B0 = SEED_B;
const mixHashA = mixA;
const mixHashB = mixB;
const finishHash = finishFingerprint;
const { isWhitespace, isIdentCont, endOfQuoted, endOfEscaped, startsNumber, endOfNumber, truncate } = scanners;

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

/**
 * The PostgreSQL lexer behind {@link sanitizeSql}: one pass that, per token, (1) copies
 * verbatim runs to `parts` as slices or pushes `?` for a literal, (2) feeds the
 * {@link SummaryBuilder}, (3) mixes a token hash into the two fingerprint lanes, and
 * (4) tracks IN-lists and VALUES rows to collapse: in the text when `collapse`, in the
 * fingerprint always (by restoring the lanes saved after the first element).
 *
 * One instance is reused for every statement (no per-call allocation besides the
 * result); {@link Lexer.run} is synchronous and not re-entrant, so that is safe.
 * @internal
 */
export class Lexer {
  private s = '';
  private parts: string[] = [];
  /** Start of the verbatim run not yet pushed to parts. */
  private last = 0;
  private depth = 0;
  private prev = PREV_START;
  private prevKw: Kw = K.None;
  /** The next token must start a statement (checked: fail closed). */
  private statementStart = true;
  /** No `;` seen yet: a statement that is not SQL is redacted whole. */
  private firstStatement = true;
  private fa = A0;
  private fb = B0;
  private fc = 0;
  // IN-list: inner depth, still only literals?, current element has one, text cut, saved lanes
  private listDepth = -1;
  private listOk = false;
  private listHasValue = false;
  private listSaved = false;
  private listCut = -1;
  private listA = 0;
  private listB = 0;
  private listC = 0;
  // VALUES rows
  private valState = V_NONE;
  private valDepth = -1;
  private valCut = -1;
  private valA = 0;
  private valB = 0;
  private valC = 0;
  private scs = true;
  private collapse = true;
  private maxLength = 0;
  private readonly summary = new SummaryBuilder();

  /**
   * Sanitizes `s`; returns null when it does not start like a SQL statement (the caller
   * redacts it whole).
   */
  run(s: string, scs: boolean, collapse: boolean, maxLength: number): SanitizedSql | null {
    this.s = s;
    this.parts.length = 0;
    this.last = 0;
    this.depth = 0;
    this.prev = PREV_START;
    this.prevKw = K.None;
    this.statementStart = true;
    this.firstStatement = true;
    this.fa = A0;
    this.fb = B0;
    this.fc = 0;
    this.listDepth = -1;
    this.listOk = false;
    this.valState = V_NONE;
    this.valDepth = -1;
    this.scs = scs;
    this.collapse = collapse;
    this.maxLength = maxLength;
    this.summary.reset(s);
    const n = s.length;
    let i = 0;

    while (i < n) {
      let c = s.charCodeAt(i);
      const cls = c < 0x80 ? CLS[c] : F_START;

      if ((cls & F_WS) !== 0) {
        i++;
        continue;
      }

      // ---- words: keywords, identifiers, and the prefixes of E'', B'', X'', N'', U&'' / U&""
      if ((cls & F_START) !== 0) {
        let j = i + 1;
        for (; j < n; j++) {
          c = s.charCodeAt(j);
          if (c < 0x80 && (CLS[c] & F_CONT) === 0) break;
        }
        if (j === i + 1 && j < n) {
          const lower = s.charCodeAt(i) | 0x20;
          let end = 0;
          let isString = false;
          if (c === 0x27) {
            if (lower === 0x65 || (lower === 0x6e && !this.scs)) {
              end = endOfEscaped(s, j + 1);
              isString = true;
            } else if (lower === 0x62 || lower === 0x78 || lower === 0x6e) {
              end = endOfQuoted(s, j + 1, "'");
              isString = true;
            }
          } else if (lower === 0x75 && c === 0x26) {
            const q = s.charCodeAt(j + 1);
            if (q === 0x27) {
              end = endOfQuoted(s, j + 2, "'");
              isString = true;
            } else if (q === 0x22) {
              // U&"..." identifier: kept as written
              if (this.statementStart) return this.bail(i);
              end = endOfQuoted(s, j + 2, '"');
              if (end < 0) {
                this.redactToEnd(i);
                break;
              }
              if (this.summary.busy) this.summary.quotedIdentifier(i, end);
              this.operandToken(tokenHash(s, i, end, false) ^ 0x55);
              i = end;
              continue;
            }
          }
          if (isString) {
            if (this.statementStart) return this.bail(i);
            if (end < 0) {
              this.redactToEnd(i);
              break;
            }
            this.literal(i, end);
            i = end;
            continue;
          }
        }
        const h = tokenHash(s, i, j, true);
        const kw = kwAt(s, i, j, h);
        if (this.statementStart) {
          if ((FLAGS[kw] & STATEMENT) === 0) return this.bail(i);
          this.statementStart = false;
        }
        if (kw === K.True || kw === K.False) {
          this.literal(i, j);
          i = j;
          continue;
        }
        this.summary.word(kw, i, j, this.depth, this.prevKw);
        if (this.depth === this.listDepth) this.listOk = false;
        if (this.depth === this.valDepth) this.valState = V_NONE;
        if (kw === K.Values) {
          this.valState = V_FIRST;
          this.valDepth = this.depth;
        }
        this.fa = mixHashA(this.fa, h);
        this.fb = mixHashB(this.fb, h);
        this.fc++;
        this.prev = (FLAGS[kw] & SIGN) !== 0 ? PREV_START : PREV_OPERAND;
        this.prevKw = kw;
        i = j;
        continue;
      }

      // ---- numbers, and signed numbers where the sign is unary
      if (
        (cls & F_DIGIT) !== 0 ||
        (c === 0x2e && startsNumber(s, i)) ||
        ((c === 0x2d || c === 0x2b) && this.prev !== PREV_OPERAND && startsNumber(s, i + 1))
      ) {
        if (this.statementStart) return this.bail(i);
        const end = endOfNumber(s, c === 0x2d || c === 0x2b ? i + 1 : i);
        this.literal(i, end);
        i = end;
        continue;
      }

      switch (c) {
        case 0x22: {
          // "quoted identifier": hashed exactly, so "id" and id are the same token
          if (this.statementStart) return this.bail(i);
          const end = endOfQuoted(s, i + 1, '"');
          if (end < 0) {
            this.redactToEnd(i);
            i = n;
            break;
          }
          if (this.summary.busy) this.summary.quotedIdentifier(i, end);
          this.operandToken(tokenHash(s, i + 1, end - 1, false));
          i = end;
          continue;
        }
        case 0x27: {
          // '...'
          if (this.statementStart) return this.bail(i);
          const end = this.scs ? endOfQuoted(s, i + 1, "'") : endOfEscaped(s, i + 1);
          if (end < 0) {
            this.redactToEnd(i);
            i = n;
            break;
          }
          this.literal(i, end);
          i = end;
          continue;
        }
        case 0x24: {
          // $1 parameter, $$ / $tag$ dollar quote, or a lone $
          if (this.statementStart) return this.bail(i);
          const d = s.charCodeAt(i + 1);
          if (d >= 0x30 && d <= 0x39) {
            let j = i + 2;
            while (j < n && (CLS[s.charCodeAt(j)] & F_DIGIT) !== 0) j++;
            this.operandToken(tokenHash(s, i, j, false));
            i = j;
            continue;
          }
          let tagEnd = -1;
          if (d === 0x24) tagEnd = i + 1;
          else if (d >= 0x80 || (CLS[d] & F_START) !== 0) {
            let k = i + 2;
            for (; k < n; k++) {
              const e = s.charCodeAt(k);
              if (e === 0x24 || !isIdentCont(e)) break;
            }
            if (s.charCodeAt(k) === 0x24) tagEnd = k;
          }
          if (tagEnd < 0) {
            this.punct(c);
            this.prev = PREV_START;
            i++;
            continue;
          }
          const close = s.indexOf(s.slice(i, tagEnd + 1), tagEnd + 1);
          if (close < 0) {
            this.redactToEnd(i);
            i = n;
            break;
          }
          const end = close + tagEnd + 1 - i;
          this.literal(i, end);
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
            this.removeComment(i, j);
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
            this.removeComment(i, j);
            i = j;
            continue;
          }
          break;
        case 0x28: {
          // ( : allowed before the first keyword, `(SELECT ...) UNION ...`
          this.summary.open(this.depth + 1);
          if (this.depth === this.valDepth) {
            if (this.valState === V_FIRST) this.valState = V_IN_FIRST;
            else if (this.valState === V_NEXT) this.valState = V_IN_NEXT;
            else this.valState = V_NONE;
          }
          if (this.prevKw === K.In) {
            this.listDepth = this.depth + 1;
            this.listOk = true;
            this.listHasValue = false;
            this.listSaved = false;
          } else if (this.listDepth >= 0 && this.depth >= this.listDepth) this.listOk = false;
          this.mix(PUNCT | c);
          this.depth++;
          this.prev = PREV_START;
          this.prevKw = K.None;
          i++;
          continue;
        }
        case 0x29: {
          // )
          if (this.statementStart) return this.bail(i);
          this.summary.close(this.depth);
          let dropped = false;
          if (this.depth === this.listDepth) {
            if (this.listOk && this.listHasValue && this.listSaved) {
              this.fa = this.listA;
              this.fb = this.listB;
              this.fc = this.listC;
              if (this.collapse && this.listCut <= this.parts.length) {
                this.parts.length = this.listCut;
                this.last = i;
              }
            }
            this.listDepth = -1;
          }
          if (this.depth > 0) this.depth--;
          if (this.listDepth > this.depth) this.listDepth = -1;
          if (this.depth === this.valDepth) {
            if (this.valState === V_IN_FIRST) {
              this.mix(PUNCT | c);
              dropped = true; // mixed already
              this.valA = this.fa;
              this.valB = this.fb;
              this.valC = this.fc;
              if (this.collapse) {
                this.parts.push(s.slice(this.last, i + 1));
                this.last = i + 1;
                this.valCut = this.parts.length;
              }
              this.valState = V_AFTER;
            } else if (this.valState === V_IN_NEXT) {
              this.fa = this.valA;
              this.fb = this.valB;
              this.fc = this.valC;
              dropped = true;
              if (this.collapse && this.valCut <= this.parts.length) {
                this.parts.length = this.valCut;
                this.last = i + 1;
              }
              this.valState = V_AFTER;
            } else this.valState = V_NONE;
          } else if (this.depth < this.valDepth) this.valState = V_NONE;
          if (!dropped) this.mix(PUNCT | c);
          this.prev = PREV_OPERAND;
          this.prevKw = K.None;
          i++;
          continue;
        }
        case 0x2c: {
          // ,
          if (this.statementStart) return this.bail(i);
          this.summary.comma(this.depth);
          if (this.depth === this.listDepth && this.listOk) {
            if (!this.listHasValue) this.listOk = false;
            else if (!this.listSaved) {
              this.listSaved = true;
              this.listA = this.fa;
              this.listB = this.fb;
              this.listC = this.fc;
              if (this.collapse) {
                if (i > this.last) this.parts.push(s.slice(this.last, i));
                this.last = i;
                this.listCut = this.parts.length;
              }
            }
            this.listHasValue = false;
          }
          if (this.depth === this.valDepth) this.valState = this.valState === V_AFTER ? V_NEXT : V_NONE;
          this.mix(PUNCT | c);
          this.prev = PREV_START;
          this.prevKw = K.None;
          i++;
          continue;
        }
        case 0x3b: // ;
          this.summary.semicolon();
          this.mix(PUNCT | c);
          this.depth = 0;
          this.listDepth = -1;
          this.valState = V_NONE;
          this.prev = PREV_START;
          this.prevKw = K.None;
          this.statementStart = true;
          this.firstStatement = false;
          i++;
          continue;
        case 0x2e: // . (not starting a number)
          if (this.statementStart) return this.bail(i);
          if (this.summary.busy) this.summary.dot();
          if (this.depth === this.listDepth) this.listOk = false;
          this.mix(PUNCT | c);
          this.prev = PREV_START;
          this.prevKw = K.None;
          i++;
          continue;
        case 0x5d: // ]
          if (this.statementStart) return this.bail(i);
          this.punct(c);
          this.prev = PREV_OPERAND;
          i++;
          continue;
      }
      if (i >= n) break;

      // ---- any other character: operators and punctuation, kept
      if (this.statementStart) return this.bail(i);
      this.punct(c);
      this.prev = PREV_START;
      i++;
    }

    return this.finish();
  }

  private finish(): SanitizedSql {
    const s = this.s;
    const parts = this.parts;
    if (this.last < s.length) parts.push(this.last === 0 ? s : s.slice(this.last));
    const full = parts.length === 1 ? parts[0] : parts.join('');
    const result = {
      text: truncate(full, this.maxLength),
      summary: this.summary.finish(),
      fingerprint: finishHash(this.fa, this.fb, this.fc),
    };
    this.s = '';
    parts.length = 0;
    return result;
  }

  private mix(t: number): void {
    this.fa = mixHashA(this.fa, t);
    this.fb = mixHashB(this.fb, t);
    this.fc++;
  }

  private literal(start: number, end: number): void {
    if (start > this.last) this.parts.push(this.s.slice(this.last, start));
    this.parts.push('?');
    this.last = end;
    if (this.summary.busy) this.summary.other();
    if (this.depth === this.listDepth) {
      if (this.listHasValue) this.listOk = false;
      else this.listHasValue = true;
    }
    if (this.depth === this.valDepth) this.valState = V_NONE;
    this.mix(LITERAL);
    this.prev = PREV_LITERAL;
    this.prevKw = K.None;
  }

  /** An identifier-like token (quoted identifier, parameter) with token hash `h`. */
  private operandToken(h: number): void {
    if (this.depth === this.listDepth) this.listOk = false;
    if (this.depth === this.valDepth) this.valState = V_NONE;
    this.mix(h);
    this.prev = PREV_OPERAND;
    this.prevKw = K.None;
  }

  private punct(ch: number): void {
    if (this.summary.busy) this.summary.other();
    if (this.depth === this.listDepth) this.listOk = false;
    if (this.depth === this.valDepth) this.valState = V_NONE;
    this.mix(PUNCT | ch);
    this.prevKw = K.None;
  }

  private redactToEnd(start: number): void {
    if (start > this.last) this.parts.push(this.s.slice(this.last, start));
    this.parts.push('?');
    this.last = this.s.length;
    if (this.summary.busy) this.summary.other();
    this.mix(LITERAL);
  }

  private removeComment(start: number, end: number): void {
    const s = this.s;
    if (start > this.last) this.parts.push(s.slice(this.last, start));
    this.last = end;
    // keep tokens apart: `a/**/b` must not become `ab`
    if (start > 0 && end < s.length && !isWhitespace(s.charCodeAt(start - 1)) && !isWhitespace(s.charCodeAt(end))) {
      this.parts.push(' ');
    }
  }

  /** A statement starts with something other than a statement keyword: not SQL, redact. */
  private bail(start: number): SanitizedSql | null {
    if (this.firstStatement) {
      this.s = '';
      this.parts.length = 0;
      return null;
    }
    this.redactToEnd(start);
    return this.finish();
  }
}
