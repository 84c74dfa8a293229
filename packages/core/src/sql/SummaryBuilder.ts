import { KF_CLAUSE, KF_DDL_MODIFIER, KF_DDL_TYPE, KF_SUMMARY, Kw, KW_FLAGS } from './keywords';

// Module-local aliases: hot loops must not go through ES-module export getters (tsx/esbuild emit
// one per imported binding), so imports used per character or per token are read once here.
const K = Kw;
const FLAGS = KW_FLAGS;
const CLAUSE = KF_CLAUSE;
const DDL_MODIFIER = KF_DDL_MODIFIER;
const DDL_TYPE = KF_DDL_TYPE;
const SUMMARY = KF_SUMMARY;

/** `db.query.summary` is capped at this many characters (semantic conventions). */
export const MAX_SUMMARY_LENGTH = 255;

/** Bits of SummaryBuilder's per-depth marks. */
const AT_OP = 1;
/** @internal Exported for the lexer, which checks `marks[depth]` before calling {@link SummaryBuilder.comma}. */
export const AT_FROM = 2;

const EXPECT_NONE = 0;
/** After FROM / JOIN / INTO / UPDATE: the next identifier is a collection. */
const EXPECT_TABLE = 1;
/** After CREATE / ALTER / DROP / TRUNCATE: object-type words, then the object's name. */
const EXPECT_DDL = 2;

/** GRANT / REVOKE: reading the privileges (`SELECT`, `UPDATE (col)`: not operations), until `ON`. */
const GRANT_PRIVILEGES = 1;
/** GRANT / REVOKE after `ON`: object-type words (`TABLE`), then the object's name. */
const GRANT_OBJECT = 2;

/**
 * Builds `db.query.summary` from the sanitizer's token stream: each operation
 * (`SELECT`, `INSERT`, ..., `CREATE TABLE`) and each collection it names, in order,
 * as written, separated by one space. It only ever sees keywords and identifiers, never
 * literal content. Internal to {@link sanitizeSql}, which reuses one instance
 * ({@link SummaryBuilder.reset} per statement; the work is synchronous, so never shared).
 * @internal
 */
export class SummaryBuilder {
  /**
   * True while a token other than a plain word can change the summary (a statement is
   * starting, a name is being read or expected). The lexer calls {@link quotedIdentifier},
   * {@link dot} and {@link other} only while it is set: most tokens cost nothing here.
   */
  busy = true;
  private out = '';
  private full = false;
  private expect = EXPECT_NONE;
  private name: string | null = null;
  private nameDot = false;
  private statementStart = true;
  /** 0, {@link GRANT_PRIVILEGES} or {@link GRANT_OBJECT}: `GRANT SELECT ON patients` is `GRANT patients`. */
  private grant = 0;
  /**
   * marks[d]: bit {@link AT_OP}: a SELECT/INSERT/UPDATE/DELETE/MERGE was seen at paren
   * depth d; bit {@link AT_FROM}: a FROM list is being read there (commas separate
   * collections). Grows with depth (bounded by the input length: one slot per `(`).
   * Read by the lexer (below {@link top} only) to skip calls that would change nothing.
   */
  marks = new Uint8Array(16);
  /**
   * Every marks[d] with d >= top is 0, so `(`, `)`, `,` and clause keywords deeper than any
   * mark cost one comparison (the lexer checks it before calling).
   */
  top = 0;
  private firstWord = '';
  private sql = '';

  /** Drops the references to the last statement (its text and the words cut from it). */
  release(): void {
    this.sql = '';
    this.out = '';
    this.firstWord = '';
    this.name = null;
  }

  /** Starts a new statement. */
  reset(sql: string): void {
    this.sql = sql;
    this.out = '';
    this.full = false;
    this.expect = EXPECT_NONE;
    this.name = null;
    this.nameDot = false;
    this.statementStart = true;
    this.grant = 0;
    this.busy = true;
    this.clearMarks();
    this.firstWord = '';
  }

  /**
   * An unquoted word (keyword or identifier) `sql[start, end)` at paren depth `depth`;
   * `prevKw` is the keyword of the previous token, if it was one.
   */
  word(kw: Kw, start: number, end: number, depth: number, prevKw: Kw): void {
    // fast path (the lexer skips the call for these; see KF_SUMMARY): most words change nothing
    if (!this.busy && (FLAGS[kw] & SUMMARY) === 0) {
      if ((FLAGS[kw] & CLAUSE) !== 0) this.endFrom(depth);
      return;
    }
    let first: string | null = null; // the word, when already sliced
    if (this.statementStart) {
      this.statementStart = false;
      first = this.sql.slice(start, end);
      if (this.firstWord === '') this.firstWord = first;
      if (kw === K.Create || kw === K.Alter || kw === K.Drop || kw === K.Truncate) {
        this.append(first);
        this.expect = EXPECT_DDL;
        this.update();
        return;
      }
      if (kw === K.Grant || kw === K.Revoke) {
        this.append(first);
        this.grant = GRANT_PRIVILEGES;
        this.update();
        return;
      }
    }
    if (this.grant !== 0) {
      if (this.grant === GRANT_PRIVILEGES) {
        if (kw === K.On) this.grant = GRANT_OBJECT;
        return;
      }
      if ((FLAGS[kw] & DDL_TYPE) !== 0) return;
      this.grant = 0;
      // `ON ALL TABLES IN SCHEMA s`: no single object
      if (kw !== K.All) this.name = this.sql.slice(start, end);
      this.update();
      return;
    }
    if (this.name !== null) {
      if (this.nameDot) {
        this.name += '.' + this.sql.slice(start, end);
        this.nameDot = false;
        return;
      }
      this.flushName();
    }
    if (this.expect === EXPECT_TABLE) {
      if (kw === K.Only || kw === K.Lateral) return;
      this.expect = EXPECT_NONE;
      if ((FLAGS[kw] & CLAUSE) === 0) {
        this.name = this.sql.slice(start, end);
        this.update();
        return;
      }
    } else if (this.expect === EXPECT_DDL) {
      if ((FLAGS[kw] & DDL_MODIFIER) !== 0) return;
      // MATERIALIZED VIEW, FOREIGN TABLE: more type words may follow
      if ((FLAGS[kw] & DDL_TYPE) !== 0) this.append(this.sql.slice(start, end));
      else {
        this.expect = EXPECT_NONE;
        this.name = this.sql.slice(start, end);
      }
      this.update();
      return;
    }
    switch (kw) {
      case K.Select:
      case K.Insert:
      case K.Merge:
        this.op(first ?? this.sql.slice(start, end), depth);
        break;
      case K.Delete:
        if (prevKw !== K.On) this.op(first ?? this.sql.slice(start, end), depth);
        break;
      case K.Update:
        if (prevKw !== K.For && prevKw !== K.Do && prevKw !== K.On && prevKw !== K.Key) {
          this.op(first ?? this.sql.slice(start, end), depth);
          this.expect = EXPECT_TABLE;
        }
        break;
      case K.From:
        if (depth < this.top && (this.marks[depth] & AT_OP) !== 0 && prevKw !== K.Distinct) {
          this.expect = EXPECT_TABLE;
          this.marks[depth] |= AT_FROM;
        }
        break;
      case K.Join:
        this.expect = EXPECT_TABLE;
        break;
      case K.Into:
        if (depth < this.top && (this.marks[depth] & AT_OP) !== 0) this.expect = EXPECT_TABLE;
        break;
      default:
        if ((FLAGS[kw] & CLAUSE) !== 0) this.endFrom(depth);
    }
    this.update();
  }

  /**
   * A clause keyword that ends a FROM list at `depth`: what {@link word} does for it while
   * not {@link busy} (the lexer calls this instead when `depth < top`).
   */
  endFrom(depth: number): void {
    if (depth < this.top) this.marks[depth] &= ~AT_FROM;
  }

  /**
   * A quoted identifier `sql[start, end)` (including its quotes); `undoubled`: the lexer saw
   * no `""` in it. Only called while {@link busy}.
   */
  quotedIdentifier(start: number, end: number, undoubled: boolean): void {
    this.statementStart = false;
    const s = this.sql;
    let text = s.charCodeAt(start) === 0x22 ? s.slice(start + 1, end - 1) : s.slice(start, end);
    if (!undoubled && text.indexOf('""') >= 0) text = text.replace(/""/g, '"');
    if (this.grant !== 0) {
      // a quoted column among the privileges is skipped; after ON it is the object
      if (this.grant === GRANT_OBJECT) {
        this.grant = 0;
        this.name = text;
        this.update();
      }
      return;
    }
    if (this.name !== null) {
      if (this.nameDot) {
        this.name += '.' + text;
        this.nameDot = false;
        return;
      }
      this.flushName();
    }
    if (this.expect !== EXPECT_NONE) {
      this.expect = EXPECT_NONE;
      this.name = text;
    }
    this.update();
  }

  /** A `.` between identifiers. Only called while {@link busy}. */
  dot(): void {
    if (this.name !== null && !this.nameDot) this.nameDot = true;
    else this.other();
  }

  /** A `,` at paren depth `depth`. */
  comma(depth: number): void {
    if (this.busy) this.other();
    if (depth < this.top && (this.marks[depth] & AT_FROM) !== 0) {
      this.expect = EXPECT_TABLE;
      this.busy = true;
    }
  }

  /** A `(`; `depth` is the depth inside it. */
  open(depth: number): void {
    if (this.busy) this.other();
    if (depth < this.top) this.marks[depth] = 0;
  }

  /** A `)`; `depth` is the depth it closed (the inner one). */
  close(depth: number): void {
    if (this.busy) this.other();
    if (depth < this.top) this.marks[depth] = 0;
  }

  /** A `;`: the next word starts a statement. */
  semicolon(): void {
    if (this.busy) this.other();
    this.grant = 0;
    this.clearMarks();
    this.statementStart = true;
    this.busy = true;
  }

  /** Any other token (literal, parameter, operator). Only called while {@link busy}. */
  other(): void {
    this.statementStart = false;
    if (this.name !== null) this.flushName();
    this.expect = EXPECT_NONE;
    if (this.grant === GRANT_OBJECT) this.grant = 0;
    this.busy = this.grant !== 0; // `GRANT UPDATE (a, b) ON t`: still reading privileges
  }

  /** The summary; for statements without a recognized operation, their first word. */
  finish(): string {
    if (this.name !== null) this.flushName();
    if (this.out === '' && this.firstWord !== '' && this.firstWord.length <= MAX_SUMMARY_LENGTH) return this.firstWord;
    return this.out;
  }

  private update(): void {
    this.busy = this.statementStart || this.name !== null || this.expect !== EXPECT_NONE || this.grant !== 0;
  }

  private op(word: string, depth: number): void {
    this.append(word);
    if (depth >= this.marks.length) {
      const grown = new Uint8Array(Math.max(depth + 1, this.marks.length * 2));
      grown.set(this.marks);
      this.marks = grown;
    }
    this.marks[depth] |= AT_OP;
    if (depth >= this.top) this.top = depth + 1;
    this.expect = EXPECT_NONE;
  }

  private clearMarks(): void {
    if (this.top !== 0) {
      // a loop: top is small, and TypedArray#fill is a call into the runtime
      const marks = this.marks;
      for (let d = 0; d < this.top; d++) marks[d] = 0;
      this.top = 0;
    }
  }

  private flushName(): void {
    const name = this.name as string;
    this.name = null;
    this.nameDot = false;
    this.append(name);
  }

  private append(piece: string): void {
    if (this.full || piece === '') return;
    const len = this.out.length === 0 ? piece.length : this.out.length + 1 + piece.length;
    if (len > MAX_SUMMARY_LENGTH) {
      this.full = true;
      return;
    }
    this.out = this.out.length === 0 ? piece : this.out + ' ' + piece;
  }
}
