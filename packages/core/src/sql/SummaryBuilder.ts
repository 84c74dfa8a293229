import { KF_CLAUSE, KF_DDL_MODIFIER, KF_DDL_TYPE, Kw, KW_FLAGS } from './keywords';

// Module-local aliases: hot loops must not go through ES-module export getters (tsx/esbuild emit
// one per imported binding), so imports used per character or per token are read once here.
const K = Kw;
const FLAGS = KW_FLAGS;
const CLAUSE = KF_CLAUSE;
const DDL_MODIFIER = KF_DDL_MODIFIER;
const DDL_TYPE = KF_DDL_TYPE;

/** `db.query.summary` is capped at this many characters (semantic conventions). */
export const MAX_SUMMARY_LENGTH = 255;

const EXPECT_NONE = 0;
/** After FROM / JOIN / INTO / UPDATE: the next identifier is a collection. */
const EXPECT_TABLE = 1;
/** After CREATE / ALTER / DROP / TRUNCATE: object-type words, then the object's name. */
const EXPECT_DDL = 2;

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
  /** fromAt[d]: a FROM list is being read at paren depth d (commas separate collections). Grows with depth (bounded by the input length). */
  private readonly fromAt: boolean[] = [];
  /** opAt[d]: a SELECT/INSERT/UPDATE/DELETE/MERGE was seen at paren depth d. Same bound. */
  private readonly opAt: boolean[] = [];
  private firstWord = '';
  private sql = '';

  /** Starts a new statement. */
  reset(sql: string): void {
    this.sql = sql;
    this.out = '';
    this.full = false;
    this.expect = EXPECT_NONE;
    this.name = null;
    this.nameDot = false;
    this.statementStart = true;
    this.busy = true;
    if (this.fromAt.length !== 0) this.fromAt.length = 0;
    if (this.opAt.length !== 0) this.opAt.length = 0;
    this.firstWord = '';
  }

  /**
   * An unquoted word (keyword or identifier) `sql[start, end)` at paren depth `depth`;
   * `prevKw` is the keyword of the previous token, if it was one.
   */
  word(kw: Kw, start: number, end: number, depth: number, prevKw: Kw): void {
    // fast path: most words (columns, aliases) change nothing
    if (!this.busy && (kw === K.None || (FLAGS[kw] & CLAUSE) !== 0) && kw !== K.Select && kw !== K.Insert && kw !== K.Update && kw !== K.Delete) {
      if (kw !== K.None) this.fromAt[depth] = false;
      return;
    }
    const text = this.sql.slice(start, end);
    if (this.statementStart) {
      this.statementStart = false;
      if (this.firstWord === '') this.firstWord = text;
      if (kw === K.Create || kw === K.Alter || kw === K.Drop || kw === K.Truncate) {
        this.append(text);
        this.expect = EXPECT_DDL;
        this.update();
        return;
      }
    }
    if (this.name !== null) {
      if (this.nameDot) {
        this.name += '.' + text;
        this.nameDot = false;
        return;
      }
      this.flushName();
    }
    if (this.expect === EXPECT_TABLE) {
      if (kw === K.Only || kw === K.Lateral) return;
      this.expect = EXPECT_NONE;
      if ((FLAGS[kw] & CLAUSE) === 0) {
        this.name = text;
        this.update();
        return;
      }
    } else if (this.expect === EXPECT_DDL) {
      if ((FLAGS[kw] & DDL_MODIFIER) !== 0) return;
      // MATERIALIZED VIEW, FOREIGN TABLE: more type words may follow
      if ((FLAGS[kw] & DDL_TYPE) !== 0) this.append(text);
      else {
        this.expect = EXPECT_NONE;
        this.name = text;
      }
      this.update();
      return;
    }
    switch (kw) {
      case K.Select:
      case K.Insert:
      case K.Merge:
        this.op(text, depth);
        break;
      case K.Delete:
        if (prevKw !== K.On) this.op(text, depth);
        break;
      case K.Update:
        if (prevKw !== K.For && prevKw !== K.Do && prevKw !== K.On && prevKw !== K.Key) {
          this.op(text, depth);
          this.expect = EXPECT_TABLE;
        }
        break;
      case K.From:
        if (this.opAt[depth] === true && prevKw !== K.Distinct) {
          this.expect = EXPECT_TABLE;
          this.fromAt[depth] = true;
        }
        break;
      case K.Join:
        this.expect = EXPECT_TABLE;
        break;
      case K.Into:
        if (this.opAt[depth] === true) this.expect = EXPECT_TABLE;
        break;
      default:
        if ((FLAGS[kw] & CLAUSE) !== 0) this.fromAt[depth] = false;
    }
    this.update();
  }

  /** A quoted identifier `sql[start, end)` (including its quotes). Only called while {@link busy}. */
  quotedIdentifier(start: number, end: number): void {
    this.statementStart = false;
    const s = this.sql;
    let text = s.charCodeAt(start) === 0x22 ? s.slice(start + 1, end - 1) : s.slice(start, end);
    if (text.indexOf('""') >= 0) text = text.replace(/""/g, '"');
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
    if (this.fromAt[depth] === true) {
      this.expect = EXPECT_TABLE;
      this.busy = true;
    }
  }

  /** A `(`; `depth` is the depth inside it. */
  open(depth: number): void {
    if (this.busy) this.other();
    this.opAt[depth] = false;
    this.fromAt[depth] = false;
  }

  /** A `)`; `depth` is the depth it closed (the inner one). */
  close(depth: number): void {
    if (this.busy) this.other();
    this.opAt[depth] = false;
    this.fromAt[depth] = false;
  }

  /** A `;`: the next word starts a statement. */
  semicolon(): void {
    if (this.busy) this.other();
    if (this.fromAt.length !== 0) this.fromAt.length = 0;
    if (this.opAt.length !== 0) this.opAt.length = 0;
    this.statementStart = true;
    this.busy = true;
  }

  /** Any other token (literal, parameter, operator). Only called while {@link busy}. */
  other(): void {
    this.statementStart = false;
    if (this.name !== null) this.flushName();
    this.expect = EXPECT_NONE;
    this.busy = false;
  }

  /** The summary; for statements without a recognized operation, their first word. */
  finish(): string {
    if (this.name !== null) this.flushName();
    if (this.out === '' && this.firstWord !== '' && this.firstWord.length <= MAX_SUMMARY_LENGTH) return this.firstWord;
    return this.out;
  }

  private update(): void {
    this.busy = this.statementStart || this.name !== null || this.expect !== EXPECT_NONE;
  }

  private op(text: string, depth: number): void {
    this.append(text);
    this.opAt[depth] = true;
    this.expect = EXPECT_NONE;
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
