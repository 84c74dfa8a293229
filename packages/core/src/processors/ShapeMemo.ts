import { sanitizeSql } from '../sql/sanitizeSql';
import { at, endOfEscaped, endOfNumber, endOfQuoted, isIdentCont, startsNumber } from '../sql/scanners';
import type { SanitizeSqlOptions } from '../sql/types';
import { detach } from '../util/detach';
import type { QueryInfo } from './queryInfo';
import { HitRateGate, MEMO_MAX_CHARS, statementMemos } from './memoLimits';

/** Characters of a statement that key its shapes: the shape's first verbatim piece must be at least this long. */
export const SHAPE_KEY_CHARS = 32;
/** Shapes held per generation (two generations, as in {@link StatementMemo}). */
export const SHAPE_ENTRIES = 512;
/** Shapes tried per key (statements sharing their first {@link SHAPE_KEY_CHARS} characters). */
export const SHAPES_PER_KEY = 8;
/** Literals per shape, at most (a longer list is sanitized by the lexer every time). */
const MAX_LITERALS = 64;

/**
 * Literal kinds a shape can hold, by their first character: `'...'`, a number starting with a
 * digit, one starting with `.` (`.5`), a signed number starting with `-`, one with `+`,
 * `true`/`false`, and a collapsed IN-list: one or more `'...'` strings or unsigned numbers,
 * each followed by `,` and spaces but the last (the lexer shows any such list as one `?`).
 * The first character is part of the kind because the lexer looks at it from the token
 * before: `-` after a `-` starts a comment, `.` after `"name"` makes it a column reference.
 */
const L_STRING = 0;
const L_DIGIT = 1;
const L_DOT = 2;
const L_MINUS = 3;
const L_PLUS = 4;
const L_BOOL = 5;
const L_LIST = 6;

/**
 * A statement's shape: the verbatim pieces of its sanitized text between the literals
 * (`SELECT ... WHERE "id" = ` and `;` around `4711`), the kinds of those literals, and the
 * {@link QueryInfo} every statement of this shape has. `info` undefined: a shape whose
 * sanitization depends on the literal values (an `ORDER BY 2` ordinal), never reused.
 */
interface Shape {
  /** Its first {@link SHAPE_KEY_CHARS} characters, cut from the sanitized text (never from a raw statement). */
  key: string;
  pieces: string[];
  kinds: Uint8Array;
  info: QueryInfo | undefined;
}

/**
 * The {@link QueryInfo} of statements of at least {@link SHAPE_KEY_CHARS} characters that
 * equal one seen before, or differ from it only in their literal values: an ORM with inlined
 * values (Sequelize's `WHERE "Student"."id" = 4711`, `LIMIT 20`) sends each query shape with
 * ever new values. Looked up by the first {@link SHAPE_KEY_CHARS} characters, then compared
 * piece by piece (memcmp): a Map keyed by whole statements would hash all of each one, and
 * ORMs build a new string per query (V8 caches a string's hash only on the string object;
 * measured: about 1 µs per 450-character statement). A statement matches a shape when it is,
 * character for character, the shape's
 * pieces with one literal of the recorded kind between each two; each literal's extent is
 * found by the lexer's own scanners (`endOfQuoted`, `endOfNumber`), so the lexer would read
 * the same tokens, the values aside, and sanitize it to the same text, summary and fingerprint.
 *
 * - PHI: a shape holds only pieces of the sanitized text (what the exported span shows); a
 *   matching statement's literals are skipped, never read into anything kept.
 * - Learning: a statement the lexer sanitized is split into pieces and literals by aligning
 *   its text with the raw statement (one piece and no literal when the lexer left it
 *   unchanged); anything the alignment cannot explain (a comment, a multi-row VALUES, a
 *   dollar quote, an `E'...'` string, a `?` operator) gives no shape. The
 *   shape is then checked by sanitizing a probe statement with other literal values: if its
 *   result differs (an `ORDER BY` ordinal is in the fingerprint), the shape is remembered as
 *   not reusable.
 * - Bounded: two generations of {@link SHAPE_ENTRIES} shapes of statements of at most
 *   {@link MEMO_MAX_CHARS} characters, at most {@link SHAPES_PER_KEY} per key; self-limiting
 *   like {@link StatementMemo} (bypassed while fewer than 16 of 1024 lookups hit).
 * @internal
 */
export class ShapeMemo {
  private young = new Map<string, Shape[]>();
  private old = new Map<string, Shape[]>();
  private youngShapes = 0;
  private readonly gate = new HitRateGate();
  private readonly scs: boolean;

  constructor(private readonly options: SanitizeSqlOptions | undefined) {
    this.scs = options?.standardConformingStrings !== false;
  }

  /** The info of a statement matching a known shape, or undefined (no match, or bypassed). */
  get(raw: string): QueryInfo | undefined {
    if (!statementMemos.enabled || raw.length > MEMO_MAX_CHARS || raw.length < SHAPE_KEY_CHARS || !this.gate.admit()) return undefined;
    const shape = this.find(raw);
    if (shape === undefined || shape.info === undefined) return undefined;
    this.gate.hit();
    return shape.info;
  }

  /**
   * Learns the shape of `raw`, which the lexer sanitized to `info` (called after a miss).
   * Does nothing when the statement has no usable shape or one is known already.
   */
  learn(raw: string, info: QueryInfo): void {
    if (!statementMemos.enabled || this.gate.bypassed || raw.length > MEMO_MAX_CHARS || raw.length < SHAPE_KEY_CHARS) return;
    // a known shape first (one marked not reusable misses on every span): cheaper than aligning
    if (this.find(raw) !== undefined) return;
    const split = align(raw, info.text, this.scs);
    if (split === undefined || split.pieces[0].length < SHAPE_KEY_CHARS) return;
    // no literal (the lexer returned the statement unchanged): nothing can vary, nothing to probe
    const ok = split.kinds.length === 0 || reusable(raw, split, info, this.options, this.scs);
    // the key is cut from a piece, not from `raw`: a slice of `raw` would keep all of it alive
    const key = detach(split.pieces[0].slice(0, SHAPE_KEY_CHARS));
    const list = this.young.get(key);
    if (list === undefined && this.youngShapes >= SHAPE_ENTRIES) {
      this.old = this.young;
      this.young = new Map();
      this.youngShapes = 0;
    }
    this.addYoung({ key, pieces: split.pieces, kinds: split.kinds, info: ok ? info : undefined }, list);
  }

  /** Shapes held (both generations). */
  get size(): number {
    let n = 0;
    for (const list of this.young.values()) n += list.length;
    for (const list of this.old.values()) n += list.length;
    return n;
  }

  /** The pieces of every shape held (for tests). */
  pieces(): string[][] {
    return [...this.old.values(), ...this.young.values()].flat().map((s) => s.pieces);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
    this.youngShapes = 0;
    this.gate.reset();
  }

  private find(raw: string): Shape | undefined {
    const key = raw.slice(0, SHAPE_KEY_CHARS);
    const young = this.young.get(key);
    if (young !== undefined) {
      for (const shape of young) if (matches(raw, shape, this.scs)) return shape;
    }
    const old = this.old.get(key);
    if (old === undefined) return undefined;
    for (let k = 0; k < old.length; k++) {
      const shape = old[k];
      if (!matches(raw, shape, this.scs)) continue;
      // move it to the young generation (a hit keeps a shape alive, as in StatementMemo)
      old.splice(k, 1);
      if (old.length === 0) this.old.delete(key);
      this.addYoung(shape, young);
      return shape;
    }
    return undefined;
  }

  /** Puts `shape` first in its young list (`list`, created when undefined), dropping the last beyond {@link SHAPES_PER_KEY}. */
  private addYoung(shape: Shape, list: Shape[] | undefined): void {
    if (list === undefined) {
      list = [];
      this.young.set(shape.key, list);
    }
    if (list.length >= SHAPES_PER_KEY) list.pop();
    else this.youngShapes++;
    list.unshift(shape);
  }
}

/** Whether `raw` is the pieces of `shape` with one literal of the recorded kind between each two. */
function matches(raw: string, shape: Shape, scs: boolean): boolean {
  const { pieces, kinds } = shape;
  let p = 0;
  for (let k = 0; k < kinds.length; k++) {
    const piece = pieces[k];
    if (!has(raw, piece, p)) return false;
    p = endOfLiteral(raw, p + piece.length, kinds[k], scs);
    if (p < 0) return false;
  }
  const last = pieces[kinds.length];
  return raw.length - p === last.length && has(raw, last, p);
}

/**
 * Whether `piece` stands in `s` at `p`. A slice compared with `===` (V8 compares flat strings
 * with memcmp): `startsWith` with a position compares code unit by code unit, 5-20 times slower
 * on the pieces of ORM statements (hundreds of characters).
 */
function has(s: string, piece: string, p: number): boolean {
  return s.slice(p, p + piece.length) === piece;
}

/**
 * End of a literal of `kind` starting at `p`, as the lexer reads it, or -1 if there is none
 * (the statement then does not have this shape).
 */
function endOfLiteral(s: string, p: number, kind: number, scs: boolean): number {
  const c = at(s, p);
  switch (kind) {
    case L_STRING:
      if (c !== 0x27) return -1;
      return scs ? endOfQuoted(s, p + 1, "'") : endOfEscaped(s, p + 1);
    case L_DIGIT:
      return c - 0x30 >>> 0 < 10 ? endOfNumber(s, p) : -1;
    case L_DOT:
      return c === 0x2e && startsNumber(s, p) ? endOfNumber(s, p) : -1;
    case L_MINUS:
    case L_PLUS:
      return c === (kind === L_MINUS ? 0x2d : 0x2b) && startsNumber(s, p + 1) ? endOfNumber(s, p + 1) : -1;
    case L_LIST:
      return endOfList(s, p, scs);
    default: {
      // true / false, any letter case, as a whole word
      const lower = c | 0x20;
      const word = lower === 0x74 ? 'true' : lower === 0x66 ? 'false' : undefined;
      if (word === undefined || s.slice(p, p + word.length).toLowerCase() !== word) return -1;
      return isIdentCont(at(s, p + word.length)) ? -1 : p + word.length;
    }
  }
}

/** End of a list element (a `'...'` string or an unsigned number) at `p`, or -1. */
function endOfElement(s: string, p: number, scs: boolean): number {
  const c = at(s, p);
  if (c === 0x27) return scs ? endOfQuoted(s, p + 1, "'") : endOfEscaped(s, p + 1);
  return startsNumber(s, p) ? endOfNumber(s, p) : -1;
}

/**
 * End of the elements of a list starting at `p` (see {@link L_LIST}), or -1 if none starts
 * there. A `,` must follow its element at once (spaces may follow the `,`): the lexer keeps
 * what stands between the first element and the first `,` in the text.
 */
function endOfList(s: string, p: number, scs: boolean): number {
  const n = s.length;
  let end = endOfElement(s, p, scs);
  while (end >= 0) {
    let x = end;
    if (at(s, x) !== 0x2c) break;
    x++;
    while (at(s, x) === 0x20) x++;
    // a plain integer followed by `,`, `)` or a space (most ORM lists): where endOfNumber ends it too
    let y = x;
    while (y < n && s.charCodeAt(y) - 0x30 >>> 0 < 10) y++;
    if (y > x && y < n) {
      const c = s.charCodeAt(y);
      if (c === 0x2c || c === 0x29 || c === 0x20) {
        end = y;
        continue;
      }
    }
    const next = endOfElement(s, x, scs);
    if (next < 0) break;
    end = next;
  }
  return end;
}

/**
 * Splits `raw` into the verbatim pieces of its sanitized `text` and the literals the text
 * shows as `?`, or undefined when the text is not exactly that (anything else was removed
 * or rewritten, or a `?` in the text is no literal).
 */
function align(raw: string, text: string, scs: boolean): { pieces: string[]; kinds: Uint8Array } | undefined {
  const pieces: string[] = [];
  const kinds: number[] = [];
  let p = 0;
  let t = 0;
  for (;;) {
    const q = text.indexOf('?', t);
    const piece = q < 0 ? text.slice(t) : text.slice(t, q);
    if (!has(raw, piece, p)) return undefined;
    p += piece.length;
    pieces.push(piece);
    if (q < 0) return p === raw.length ? { pieces, kinds: Uint8Array.from(kinds) } : undefined;
    const c = at(raw, p);
    let kind = c === 0x27 ? L_STRING : c === 0x2d ? L_MINUS : c === 0x2b ? L_PLUS : c === 0x2e ? L_DOT : c - 0x30 >>> 0 < 10 ? L_DIGIT : L_BOOL;
    let end = endOfLiteral(raw, p, kind, scs);
    if (end < 0 || kinds.length === MAX_LITERALS) return undefined;
    if ((kind === L_STRING || kind === L_DIGIT || kind === L_DOT) && raw.charCodeAt(end) !== text.charCodeAt(q + 1)) {
      // more of the statement than the text shows: an IN-list the lexer collapsed?
      const listEnd = endOfList(raw, p, scs);
      if (listEnd > end) {
        kind = L_LIST;
        end = listEnd;
      }
    }
    kinds.push(kind);
    p = end;
    t = q + 1;
  }
}

/**
 * Whether statements of this shape sanitize alike whatever their literal values: a probe
 * with other values (`''`, `0` or `1`, `.0`, `-0`, the other boolean; a one-element list) must
 * give the same result.
 */
function reusable(
  raw: string,
  split: { pieces: string[]; kinds: Uint8Array },
  info: QueryInfo,
  options: SanitizeSqlOptions | undefined,
  scs: boolean,
): boolean {
  const { pieces, kinds } = split;
  let probe = '';
  let p = 0;
  for (let k = 0; k < kinds.length; k++) {
    p += pieces[k].length;
    const end = endOfLiteral(raw, p, kinds[k], scs);
    const value = raw.slice(p, end);
    let other: string;
    const kind = kinds[k];
    if (kind === L_STRING) other = value === "''" ? "'x'" : "''";
    else if (kind === L_BOOL) other = value.toLowerCase() === 'true' ? 'false' : 'true';
    else if (kind === L_LIST) other = '0'; // one element (the statement had several)
    else {
      // the same first character, then a number of another value: 1 if the value was zero
      // (`0`, `00`: an `ORDER BY 00` probed with `0` would be the same ordinal), else 0
      const head = kind === L_DIGIT ? '' : value[0];
      other = /^[-+.]?0+$/.test(value) ? `${head}1` : `${head}0`;
    }
    probe += pieces[k] + other;
    p = end;
  }
  probe += pieces[kinds.length];
  const s = sanitizeSql(probe, options);
  return s.text === info.text && s.summary === info.summary && s.fingerprint === info.fingerprint;
}
