import { Kw } from './keywords';

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
 * literal content. Internal to {@link sanitizeSql}; one instance per call.
 * @internal
 */
export class SummaryBuilder {
  private out = '';
  private full = false;
  private expect = EXPECT_NONE;
  private name: string | null = null;
  private nameDot = false;
  private prevKw: Kw = Kw.None;
  private statementStart = true;
  /** fromAt[d]: a FROM list is being read at paren depth d (commas separate collections). */
  private readonly fromAt: boolean[] = [];
  /** opAt[d]: a SELECT/INSERT/UPDATE/DELETE/MERGE was seen at paren depth d. Grows with depth (bounded by input length). */
  private readonly opAt: boolean[] = [];
  private firstWord = '';

  constructor(private readonly sql: string) {}

  /** An unquoted word (keyword or identifier) `sql[start, end)` at paren depth `depth`. */
  word(kw: Kw, start: number, end: number, depth: number): void {
    const text = this.sql.slice(start, end);
    if (this.statementStart) {
      this.statementStart = false;
      if (this.firstWord === '') this.firstWord = text;
      if (kw === Kw.Create || kw === Kw.Alter || kw === Kw.Drop || kw === Kw.Truncate) {
        this.append(text);
        this.expect = EXPECT_DDL;
        this.prevKw = kw;
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
      if (kw === Kw.Only || kw === Kw.Lateral) return;
      this.expect = EXPECT_NONE;
      if (!isClauseWord(kw)) {
        this.name = text;
        this.prevKw = kw;
        return;
      }
    } else if (this.expect === EXPECT_DDL) {
      if (isDdlModifier(kw)) return;
      if (isDdlObjectType(kw)) {
        this.append(text);
        // MATERIALIZED VIEW, FOREIGN TABLE: the type word follows
        return;
      }
      this.expect = EXPECT_NONE;
      this.name = text;
      this.prevKw = kw;
      return;
    }
    switch (kw) {
      case Kw.Select:
      case Kw.Insert:
      case Kw.Merge:
        this.op(text, depth);
        break;
      case Kw.Delete:
        if (this.prevKw !== Kw.On) this.op(text, depth);
        break;
      case Kw.Update:
        if (this.prevKw !== Kw.For && this.prevKw !== Kw.Do && this.prevKw !== Kw.On && this.prevKw !== Kw.Key) {
          this.op(text, depth);
          this.expect = EXPECT_TABLE;
        }
        break;
      case Kw.From:
        if (this.opAt[depth] === true && this.prevKw !== Kw.Distinct) {
          this.expect = EXPECT_TABLE;
          this.fromAt[depth] = true;
        }
        break;
      case Kw.Join:
        this.expect = EXPECT_TABLE;
        break;
      case Kw.Into:
        if (this.opAt[depth] === true) this.expect = EXPECT_TABLE;
        break;
      default:
        if (isClauseWord(kw)) this.fromAt[depth] = false;
    }
    this.prevKw = kw;
  }

  /** A quoted identifier `sql[start, end)` (including its quotes). */
  quotedIdentifier(start: number, end: number): void {
    this.statementStart = false;
    const s = this.sql;
    const text = s.charCodeAt(start) === 0x22 ? s.slice(start + 1, end - 1).replace(/""/g, '"') : s.slice(start, end);
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
    this.prevKw = Kw.None;
  }

  /** A `.` between identifiers. */
  dot(): void {
    if (this.name !== null && !this.nameDot) this.nameDot = true;
    else this.other();
  }

  /** A `,` at paren depth `depth`. */
  comma(depth: number): void {
    this.other();
    if (this.fromAt[depth] === true) this.expect = EXPECT_TABLE;
  }

  /** A `(`; `depth` is the depth inside it. */
  open(depth: number): void {
    this.other();
    this.opAt[depth] = false;
    this.fromAt[depth] = false;
  }

  /** A `)`; `depth` is the depth it closed (the inner one). */
  close(depth: number): void {
    this.other();
    this.opAt[depth] = false;
    this.fromAt[depth] = false;
  }

  /** A `;`: the next word starts a statement. */
  semicolon(): void {
    this.other();
    this.fromAt.length = 0;
    this.opAt.length = 0;
    this.statementStart = true;
  }

  /** Any other token (literal, parameter, operator). */
  other(): void {
    this.statementStart = false;
    if (this.name !== null) this.flushName();
    if (this.expect === EXPECT_TABLE) this.expect = EXPECT_NONE;
    else if (this.expect === EXPECT_DDL) this.expect = EXPECT_NONE;
    this.prevKw = Kw.None;
  }

  /** The summary; for statements without a recognized operation, their first word. */
  finish(): string {
    if (this.name !== null) this.flushName();
    if (this.out === '' && this.firstWord !== '' && this.firstWord.length <= MAX_SUMMARY_LENGTH) return this.firstWord;
    return this.out;
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

/** Keywords that end a FROM list or cannot be a collection name. */
function isClauseWord(kw: Kw): boolean {
  switch (kw) {
    case Kw.Where: case Kw.Group: case Kw.Order: case Kw.Having: case Kw.Limit: case Kw.Offset:
    case Kw.Union: case Kw.Intersect: case Kw.Except: case Kw.Returning: case Kw.Window:
    case Kw.Fetch: case Kw.For: case Kw.Set: case Kw.Values: case Kw.Select: case Kw.Insert:
    case Kw.Update: case Kw.Delete: case Kw.Default: case Kw.Using:
      return true;
    default:
      return false;
  }
}

function isDdlModifier(kw: Kw): boolean {
  switch (kw) {
    case Kw.Or: case Kw.Replace: case Kw.Temp: case Kw.Temporary: case Kw.Unlogged: case Kw.Unique:
    case Kw.Concurrently: case Kw.Global: case Kw.Local: case Kw.If: case Kw.Not: case Kw.Exists:
    case Kw.Only: case Kw.Recursive:
      return true;
    default:
      return false;
  }
}

function isDdlObjectType(kw: Kw): boolean {
  switch (kw) {
    case Kw.Table: case Kw.Index: case Kw.View: case Kw.Sequence: case Kw.Schema: case Kw.Database:
    case Kw.Function: case Kw.Procedure: case Kw.Trigger: case Kw.Type: case Kw.Extension: case Kw.Role:
    case Kw.User: case Kw.Domain: case Kw.Materialized: case Kw.Foreign: case Kw.Policy:
      return true;
    default:
      return false;
  }
}
