import { scanFunctionCalls, READ_ONLY_FUNCTIONS } from './functionCalls';
import { decodeQuotedName, stripStatements } from './stripSql';

/** What a statement may change: a set of tables, or (when unsure) everything. */
export interface WriteTarget {
  /** True when the statement may change data in tables we cannot name: invalidate everything. */
  readonly all: boolean;
  /** Normalised (unqualified, lower-case, unquoted) names of the tables written. */
  readonly tables: readonly string[];
}

/** A quoted name (its odd characters are escaped by stripStatements) or a bare one (non-ASCII letters included). */
const IDENT_PART = '(?:"[^"]+"|[A-Za-z_\\u0080-\\uffff][A-Za-z0-9_$\\u0080-\\uffff]*)';
const IDENT = `(${IDENT_PART}(?:\\s*\\.\\s*${IDENT_PART})*)`;
const WRITE_PATTERNS: readonly RegExp[] = [
  new RegExp(`\\bINSERT\\s+INTO\\s+${IDENT}`, 'gi'),
  new RegExp(`(?<!\\b(?:FOR|KEY|DO|ON)\\s+)\\bUPDATE\\s+(?:ONLY\\s+)?${IDENT}`, 'gi'),
  new RegExp(`\\bDELETE\\s+FROM\\s+(?:ONLY\\s+)?${IDENT}`, 'gi'),
  new RegExp(`\\bMERGE\\s+INTO\\s+(?:ONLY\\s+)?${IDENT}`, 'gi'),
  new RegExp(`\\bALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?${IDENT}`, 'gi'),
  new RegExp(`^\\s*COPY\\s+${IDENT}(?:\\s*\\([^)]*\\))?\\s+FROM\\b`, 'gi'),
];
const LIST_PATTERNS: readonly RegExp[] = [
  new RegExp(`\\bTRUNCATE\\s+(?:TABLE\\s+)?(?:ONLY\\s+)?(${IDENT_PART}(?:\\s*[.,]\\s*(?:ONLY\\s+)?${IDENT_PART})*)`, 'gi'),
  new RegExp(`\\bDROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(${IDENT_PART}(?:\\s*[.,]\\s*${IDENT_PART})*)`, 'gi'),
];
/** FROM/JOIN followed by a table; not the FROM of `IS DISTINCT FROM`, `EXTRACT(field FROM ...)` or `TRIM(BOTH ... FROM ...)`. */
const READ_PATTERN = new RegExp(
  `(?<!\\bDISTINCT\\s+|\\bEXTRACT\\s*\\(\\s*[A-Za-z_]+\\s+|\\b(?:BOTH|LEADING|TRAILING)(?:\\s+'')?\\s+)\\b(?:FROM|JOIN)\\s+(?:\\(\\s*)*(?:ONLY\\s+)?${IDENT}`,
  'gi',
);
const NOT_TABLES = new Set(['set', 'select', 'lateral', 'only', 'values', 'with', 'unnest', 'generate_series']);

/** Statements that never change table data (their write clauses, if any, are still scanned). */
const READ_HEADS = new Set([
  'select', 'with', 'show', 'explain', 'values', 'table', 'begin', 'start', 'commit', 'end', 'rollback', 'abort',
  'savepoint', 'release', 'set', 'reset', 'deallocate', 'prepare', 'listen', 'unlisten', 'notify', 'declare',
  'fetch', 'move', 'close', 'vacuum', 'analyze', 'lock', 'comment', 'discard',
]);
/** Statements whose target is found by the write patterns; if none is found, everything is invalidated. */
const WRITE_HEADS = new Set(['insert', 'update', 'delete', 'merge', 'copy', 'truncate', 'drop', 'alter']);
/** CREATE of these objects changes no existing row. */
const HARMLESS_CREATE = /^\s*CREATE\s+(?:UNIQUE\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?(?:TABLE|INDEX|SEQUENCE|TYPE|SCHEMA|EXTENSION)\b/i;

/** Normalises `"public"."Students"` or `public.students` to `students` (over-matching across schemas is safe). */
export function normalizeTableName(qualified: string): string {
  const parts = qualified.match(/"(?:[^"]|"")+"|[^\s."]+/g);
  const last = parts ? parts[parts.length - 1] : qualified;
  if (!last.startsWith('"')) return last.toLowerCase();
  return decodeQuotedName(last.slice(1, -1).replace(/""/g, '"')).toLowerCase();
}

function splitList(list: string): string[] {
  // "a"."b", "c"  -> ["\"a\".\"b\"", "\"c\""]
  const out: string[] = [];
  const re = new RegExp(`(?:ONLY\\s+)?(${IDENT_PART}(?:\\s*\\.\\s*${IDENT_PART})*)`, 'gi');
  for (const m of list.matchAll(re)) out.push(m[1]);
  return out;
}

/** How to read SQL (see {@link analyzeSql}). */
export interface AnalyzeSqlOptions {
  /** Plain strings take backslash escapes (the server runs with `standard_conforming_strings = off`). @default false */
  backslashEscapes?: boolean;
  /** Functions known to change no table data. @default READ_ONLY_FUNCTIONS (PostgreSQL built-ins) */
  readOnlyFunctions?: ReadonlySet<string>;
  /** Also list the tables read (FROM/JOIN); only cache misses need them. @default true */
  readTables?: boolean;
}

/** Everything the cache needs to know about one query text (see {@link analyzeSql}). */
export interface SqlAnalysis {
  /** What the query may change. */
  readonly write: WriteTarget;
  /** Tables named after FROM/JOIN (normalised). */
  readonly readTables: readonly string[];
  /** The result depends on time, chance or session (NOW(), CURRENT_DATE, random()...): not cacheable. */
  readonly volatile: boolean;
  /** The query calls a function not known to be read-only (it may write anything). */
  readonly callsUnknownFunction: boolean;
}

/**
 * Reads a query text once (PostgreSQL lexical rules, see stripStatements) and classifies
 * each of its statements: the tables it writes (INSERT/UPDATE/DELETE/MERGE/ALTER/COPY
 * FROM, TRUNCATE/DROP lists, data-modifying CTEs), or "everything" when the statement is
 * not recognised, uses CASCADE on TRUNCATE/DROP, or calls a function that is not a
 * known read-only built-in (user functions and the triggers they fire can write any
 * table; `SELECT set_grade(2)` is a write). Never throws: on any failure, everything.
 */
export function analyzeSql(sql: string, options: AnalyzeSqlOptions = {}): SqlAnalysis {
  try {
    const statements = stripStatements(sql, options.backslashEscapes ?? false);
    const readOnly = options.readOnlyFunctions ?? READ_ONLY_FUNCTIONS;
    const tables = new Set<string>();
    const reads = new Set<string>();
    let all = false;
    let volatile = false;
    let unknownFunction = false;
    for (const s of statements) {
      const w = classify(s);
      if (w.all) all = true;
      for (const t of w.tables) tables.add(t);
      if (options.readTables !== false) for (const t of readTablesOf(s)) reads.add(t);
      if (HARMLESS_CREATE.test(s)) continue; // DEFAULT expressions of a new table run nothing now
      const calls = scanFunctionCalls(s, readOnly);
      if (calls.volatile) volatile = true;
      if (calls.mayWrite) unknownFunction = true;
    }
    if (unknownFunction) all = true;
    return { write: { all, tables: [...tables] }, readTables: [...reads], volatile, callsUnknownFunction: unknownFunction };
  } catch {
    return { write: { all: true, tables: [] }, readTables: [], volatile: true, callsUnknownFunction: true };
  }
}

/**
 * Finds the tables a SQL text may write (see {@link analyzeSql}): `all` is true when it
 * may change tables we cannot name. Never throws.
 */
export function parseWrittenTables(sql: string, options?: AnalyzeSqlOptions): WriteTarget {
  return analyzeSql(sql, options).write;
}

/** Tables named after FROM/JOIN in a statement (normalised). Used to check a cached read's dependencies. */
export function parseReadTables(sql: string, options?: AnalyzeSqlOptions): string[] {
  return [...analyzeSql(sql, options).readTables];
}

/** The write target of one statement, stripped of literals and comments. */
function classify(s: string): WriteTarget {
  const tables = new Set<string>();
  if (!WRITE_WORD.test(s)) return classifyHead(s, tables, false);
  for (const re of WRITE_PATTERNS) {
    re.lastIndex = 0;
    for (const m of s.matchAll(re)) tables.add(normalizeTableName(m[1]));
  }
  let cascade = false;
  for (const re of LIST_PATTERNS) {
    re.lastIndex = 0;
    for (const m of s.matchAll(re)) {
      for (const t of splitList(m[1])) tables.add(normalizeTableName(t));
      if (/\bCASCADE\b/i.test(s.slice(m.index ?? 0))) cascade = true;
    }
  }
  return classifyHead(s, tables, cascade);
}

/** Any of the words the write patterns start with (a statement without one writes through none of them). */
const WRITE_WORD = /\b(?:INSERT|UPDATE|DELETE|MERGE|ALTER|COPY|TRUNCATE|DROP)\b/i;

function classifyHead(s: string, tables: Set<string>, cascade: boolean): WriteTarget {
  tables.delete('set');
  const head = /^[\s(]*([A-Za-z]+)/.exec(s)?.[1]?.toLowerCase() ?? '';
  const list = [...tables];
  if (cascade) return { all: true, tables: list };
  if (READ_HEADS.has(head)) return { all: false, tables: list };
  if (head === 'copy' && list.length === 0 && /\bTO\b/i.test(s) && !/\bFROM\b/i.test(s)) return { all: false, tables: list };
  if (WRITE_HEADS.has(head)) return { all: list.length === 0, tables: list };
  if (head === 'create' && HARMLESS_CREATE.test(s)) return { all: false, tables: list };
  if (head === '' && s.trim() === '') return { all: false, tables: list };
  return { all: true, tables: list };
}

function readTablesOf(s: string): string[] {
  const out: string[] = [];
  READ_PATTERN.lastIndex = 0;
  for (const m of s.matchAll(READ_PATTERN)) {
    const t = normalizeTableName(m[1]);
    if (!NOT_TABLES.has(t)) out.push(t);
  }
  return out;
}
