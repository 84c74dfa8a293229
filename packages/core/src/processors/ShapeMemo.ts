import { sanitizeSql } from '../sql/sanitizeSql';
import { at, endOfEscaped, endOfNumber, endOfQuoted, isIdentCont, startsNumber } from '../sql/scanners';
import type { SanitizeSqlOptions } from '../sql/types';
import type { QueryInfo } from './queryInfo';
import { HitRateGate, MEMO_MAX_CHARS, statementMemos } from './memoLimits';

/** Characters of a statement that key its shapes: the shape's first verbatim piece must be at least this long. */
export const SHAPE_KEY_CHARS = 32;
/** Shapes held per generation (two generations, as in {@link StatementMemo}). */
export const SHAPE_ENTRIES = 512;
/** Shapes tried per key (statements whose first {@link SHAPE_KEY_CHARS} characters hash alike). */
export const SHAPES_PER_KEY = 8;
/** Longest statement looked up or learned (a shape's own size is bounded by its text's, at most {@link MEMO_MAX_CHARS}). */
export const SHAPE_MAX_RAW_CHARS = 16_384;
/** Literals per shape, at most (a longer list is sanitized by the lexer every time). */
const MAX_LITERALS = 64;

/**
 * Literal kinds a shape can hold, by their first character: `'...'`, a number starting with a
 * digit, one starting with `.` (`.5`), a signed number starting with `-`, one with `+`,
 * `true`/`false`, and a collapsed IN-list: one or more `'...'` strings or unsigned numbers,
 * each followed by `,` and spaces but the last (the lexer shows any such list as one `?`).
 * The first character is part of the kind because the lexer looks at it from the token
 * before: `-` after a `-` starts a comment, `.` after `"name"` makes it a column reference.
 * Last, the further rows of a multi-row VALUES (`,(DEFAULT,'b',2)` repeated), which the
 * lexer drops from the text: each must be the first row's text with literals of the same
 * kinds (see {@link Row}).
 */
const L_STRING = 0;
const L_DIGIT = 1;
const L_DOT = 2;
const L_MINUS = 3;
const L_PLUS = 4;
const L_BOOL = 5;
const L_LIST = 6;
const L_ROWS = 7;

/**
 * The first row of a multi-row VALUES as its text shows it (`(DEFAULT,`, `,`, `)` around
 * two literals): further rows must have these pieces, with literals of these kinds.
 */
interface Row {
  pieces: string[];
  kinds: Uint8Array;
}

/**
 * A statement's shape: the verbatim pieces of its sanitized text between the literals
 * (`SELECT ... WHERE "id" = ` and `;` around `4711`), the kinds of those literals, and the
 * {@link QueryInfo} every statement of this shape has. `info` undefined: a shape whose
 * sanitization depends on the literal values (an `ORDER BY 2` ordinal), never reused.
 */
interface Shape {
  /** {@link keyOf} its first piece (a number: nothing of the statement is kept in it). */
  key: number;
  pieces: string[];
  kinds: Uint8Array;
  /** The row template of its {@link L_ROWS} literal (at most one per shape). */
  row: Row | undefined;
  info: QueryInfo | undefined;
}

/**
 * Bucket of a statement of at least {@link SHAPE_KEY_CHARS} characters: a hash of every third
 * of its first {@link SHAPE_KEY_CHARS} characters. A number, not the 32-character prefix: a Map
 * hashes a new string key in the runtime (measured here: 250-500 ns per lookup of a slice of a
 * fresh statement, against 60-100 ns for this key). Statements that share a bucket are told
 * apart by {@link matches}, which compares the whole first piece.
 */
function keyOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 1; i < SHAPE_KEY_CHARS; i += 3) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * The {@link QueryInfo} of statements of at least {@link SHAPE_KEY_CHARS} characters that
 * equal one seen before, or differ from it only in their literal values: an ORM with inlined
 * values (Sequelize's `WHERE "Student"."id" = 4711`, `LIMIT 20`) sends each query shape with
 * ever new values. Looked up by a hash of some of the first {@link SHAPE_KEY_CHARS} characters
 * ({@link keyOf}), then compared piece by piece (memcmp): a Map keyed by whole statements would
 * hash all of each one, and ORMs build a new string per query (V8 caches a string's hash only
 * on the string object; measured: about 1 µs per 450-character statement). A statement matches a shape when it is,
 * character for character, the shape's
 * pieces with one literal of the recorded kind between each two; each literal's extent is
 * found by the lexer's own scanners (`endOfQuoted`, `endOfNumber`), so the lexer would read
 * the same tokens, the values aside, and sanitize it to the same text, summary and fingerprint.
 *
 * - PHI: a shape holds only pieces of the sanitized text (what the exported span shows); a
 *   matching statement's literals are skipped, never read into anything kept.
 * - Learning: a statement the lexer sanitized is split into pieces and literals by aligning
 *   its text with the raw statement (one piece and no literal when the lexer left it
 *   unchanged); anything the alignment cannot explain (a comment, a dollar quote, an
 *   `E'...'` string, a `?` operator, VALUES rows unlike the first) gives no shape. The
 *   shape is then checked by sanitizing a probe statement with other literal values (and
 *   another count of VALUES rows): if its result differs (an `ORDER BY` ordinal is in the
 *   fingerprint), the shape is remembered as not reusable.
 * - Bounded: two generations of {@link SHAPE_ENTRIES} shapes whose text has at most
 *   {@link MEMO_MAX_CHARS} characters, at most {@link SHAPES_PER_KEY} per key; self-limiting
 *   like {@link StatementMemo} (bypassed while fewer than 16 of 1024 lookups hit). The
 *   statements matched may be longer (up to {@link SHAPE_MAX_RAW_CHARS}: a 300-element IN-list).
 * @internal
 */
export class ShapeMemo {
  private young = new Map<number, Shape[]>();
  private old = new Map<number, Shape[]>();
  private youngShapes = 0;
  private readonly gate = new HitRateGate();
  private readonly scs: boolean;

  constructor(private readonly options: SanitizeSqlOptions | undefined) {
    this.scs = options?.standardConformingStrings !== false;
  }

  /** The info of a statement matching a known shape, or undefined (no match, or bypassed). */
  get(raw: string): QueryInfo | undefined {
    if (!statementMemos.enabled || raw.length > SHAPE_MAX_RAW_CHARS || raw.length < SHAPE_KEY_CHARS || !this.gate.admit()) return undefined;
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
    if (!statementMemos.enabled || this.gate.bypassed || raw.length > SHAPE_MAX_RAW_CHARS || raw.length < SHAPE_KEY_CHARS) return;
    if (info.text.length > MEMO_MAX_CHARS) return;
    // a known shape first (one marked not reusable misses on every span): cheaper than aligning
    if (this.find(raw) !== undefined) return;
    const split = align(raw, info.text, this.scs);
    if (split === undefined || split.pieces[0].length < SHAPE_KEY_CHARS) return;
    // no literal (the lexer returned the statement unchanged): nothing can vary, nothing to probe
    const ok = split.kinds.length === 0 || reusable(raw, split, info, this.options, this.scs);
    const key = keyOf(split.pieces[0]);
    const list = this.young.get(key);
    if (list === undefined && this.youngShapes >= SHAPE_ENTRIES) {
      this.old = this.young;
      this.young = new Map();
      this.youngShapes = 0;
    }
    this.addYoung({ key, pieces: split.pieces, kinds: split.kinds, row: split.row, info: ok ? info : undefined }, list);
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
    const key = keyOf(raw);
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
  return endOfPieces(raw, 0, shape.pieces, shape.kinds, scs, shape.row) === raw.length;
}

/**
 * End of `pieces` standing in `s` from `p` with one literal of `kinds[k]` between each two
 * (`row`: the template of an {@link L_ROWS} literal among them), or -1.
 */
function endOfPieces(s: string, p: number, pieces: string[], kinds: Uint8Array, scs: boolean, row: Row | undefined): number {
  for (let k = 0; k < kinds.length; k++) {
    const piece = pieces[k];
    if (!has(s, piece, p)) return -1;
    p = endOfLiteral(s, p + piece.length, kinds[k], scs, row);
    if (p < 0) return -1;
  }
  const last = pieces[kinds.length];
  return has(s, last, p) ? p + last.length : -1;
}

/**
 * End of further VALUES rows at `p`: one or more times `,`, spaces, and a row of `row`'s
 * shape (at most `max`); -1 if none starts there.
 */
function endOfRows(s: string, p: number, row: Row, scs: boolean, max = Infinity): number {
  let end = -1;
  for (let n = 0; n < max; n++) {
    if (at(s, p) !== 0x2c) return end;
    let x = p + 1;
    while (at(s, x) === 0x20) x++;
    const next = endOfPieces(s, x, row.pieces, row.kinds, scs, undefined);
    if (next < 0) return end;
    end = p = next;
  }
  return end;
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
function endOfLiteral(s: string, p: number, kind: number, scs: boolean, row: Row | undefined): number {
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
    case L_ROWS:
      return row === undefined ? -1 : endOfRows(s, p, row, scs);
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
 * Further plain integers of a list: `, 12` repeated, each followed by `,`, `)` or a space,
 * where {@link endOfNumber} ends it too (most ORM lists). Sticky: matches at `lastIndex` only.
 * Irregexp code: three to four times faster than a loop over `charCodeAt` on long lists.
 */
const INTEGER_TAIL = /(?:, *\d+(?=[,) ]))*/y;

/**
 * End of the elements of a list starting at `p` (see {@link L_LIST}), or -1 if none starts
 * there. A `,` must follow its element at once (spaces may follow the `,`): the lexer keeps
 * what stands between the first element and the first `,` in the text.
 */
function endOfList(s: string, p: number, scs: boolean): number {
  let end = endOfElement(s, p, scs);
  while (end >= 0) {
    INTEGER_TAIL.lastIndex = end;
    if (INTEGER_TAIL.test(s)) end = INTEGER_TAIL.lastIndex;
    if (at(s, end) !== 0x2c) break;
    let x = end + 1;
    while (at(s, x) === 0x20) x++;
    const next = endOfElement(s, x, scs);
    if (next < 0) break;
    end = next;
  }
  return end;
}

/** A statement split into the pieces of its text and its literals, as a {@link Shape} holds it. */
interface Split {
  pieces: string[];
  kinds: Uint8Array;
  row: Row | undefined;
}

/**
 * Splits `raw` into the verbatim pieces of its sanitized `text` and the literals the text
 * shows as `?`, or undefined when the text is not exactly that (anything else was removed
 * or rewritten, or a `?` in the text is no literal). Further VALUES rows the text dropped
 * become one {@link L_ROWS} literal after the first row's `)` when each is the first row's
 * text with literals of the same kinds.
 */
function align(raw: string, text: string, scs: boolean): Split | undefined {
  const pieces: string[] = [];
  const kinds: number[] = [];
  let row: Row | undefined;
  let p = 0;
  let t = 0;
  for (;;) {
    const q = text.indexOf('?', t);
    const piece = q < 0 ? text.slice(t) : text.slice(t, q);
    if (!has(raw, piece, p)) {
      // the first row's `)` followed by rows the text does not show?
      if (row !== undefined || piece.charCodeAt(0) !== 0x29 || at(raw, p) !== 0x29 || at(raw, p + 1) !== 0x2c) return undefined;
      row = rowEndingAt(text, t, kinds);
      const end = row === undefined ? -1 : endOfRows(raw, p + 1, row, scs);
      if (end < 0 || kinds.length === MAX_LITERALS) return undefined;
      pieces.push(')');
      kinds.push(L_ROWS);
      p = end;
      t++;
      continue;
    }
    p += piece.length;
    pieces.push(piece);
    if (q < 0) return p === raw.length ? { pieces, kinds: Uint8Array.from(kinds), row } : undefined;
    const c = at(raw, p);
    let kind = c === 0x27 ? L_STRING : c === 0x2d ? L_MINUS : c === 0x2b ? L_PLUS : c === 0x2e ? L_DOT : c - 0x30 >>> 0 < 10 ? L_DIGIT : L_BOOL;
    let end = endOfLiteral(raw, p, kind, scs, undefined);
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
 * The row of a multi-row VALUES whose `)` is at `close` in `text` (the statement's sanitized
 * text, aligned up to there, `kinds` its literals so far), or undefined when the `(` before it
 * does not follow `VALUES` or the text there holds a quote.
 */
function rowEndingAt(text: string, close: number, kinds: number[]): Row | undefined {
  let depth = 0;
  let quoted = false;
  let open = -1;
  for (let j = close - 1; j >= 0 && open < 0; j--) {
    const c = text.charCodeAt(j);
    if (c === 0x22) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 0x27) return undefined;
    else if (c === 0x29) depth++;
    else if (c === 0x28 && depth-- === 0) open = j;
  }
  if (open < 0 || !/VALUES\s*$/i.test(text.slice(Math.max(0, open - 16), open))) return undefined;
  const pieces = text.slice(open, close + 1).split('?');
  const n = pieces.length - 1;
  if (n > kinds.length || kinds.lastIndexOf(L_ROWS) >= kinds.length - n) return undefined;
  return { pieces, kinds: Uint8Array.from(kinds.slice(kinds.length - n)) };
}

/** A value of `kind` (its first character is what the kind says): for probes. */
function valueOf(kind: number): string {
  return kind === L_STRING ? "''" : kind === L_DOT ? '.0' : kind === L_MINUS ? '-0' : kind === L_PLUS ? '+0' : kind === L_BOOL ? 'true' : '0';
}

/** `count` further rows of `row`'s shape, with probe values. */
function probeRows(row: Row, count: number): string {
  let one = ',';
  for (let k = 0; k < row.kinds.length; k++) one += row.pieces[k] + valueOf(row.kinds[k]);
  one += row.pieces[row.kinds.length];
  return one.repeat(count);
}

/**
 * Whether statements of this shape sanitize alike whatever their literal values: a probe
 * with other values (`''`, `0` or `1`, `.0`, `-0`, the other boolean; a one-element list;
 * two further VALUES rows for one, one for several) must give the same result.
 */
function reusable(raw: string, split: Split, info: QueryInfo, options: SanitizeSqlOptions | undefined, scs: boolean): boolean {
  const { pieces, kinds, row } = split;
  let probe = '';
  let p = 0;
  for (let k = 0; k < kinds.length; k++) {
    p += pieces[k].length;
    const end = endOfLiteral(raw, p, kinds[k], scs, row);
    const value = raw.slice(p, end);
    let other: string;
    const kind = kinds[k];
    if (kind === L_ROWS) other = probeRows(row!, endOfRows(raw, p, row!, scs, 1) === end ? 2 : 1);
    else if (kind === L_STRING) other = value === "''" ? "'x'" : "''";
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
