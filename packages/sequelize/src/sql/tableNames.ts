import { stripSql } from './stripSql';

/** What a statement may change: a set of tables, or (when unsure) everything. */
export interface WriteTarget {
  /** True when the statement may change data in tables we cannot name: invalidate everything. */
  readonly all: boolean;
  /** Normalised (unqualified, lower-case, unquoted) names of the tables written. */
  readonly tables: readonly string[];
}

const IDENT_PART = '(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)';
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
  const unquoted = last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last;
  return unquoted.toLowerCase();
}

function splitList(list: string): string[] {
  // "a"."b", "c"  -> ["\"a\".\"b\"", "\"c\""]
  const out: string[] = [];
  const re = new RegExp(`(?:ONLY\\s+)?(${IDENT_PART}(?:\\s*\\.\\s*${IDENT_PART})*)`, 'gi');
  for (const m of list.matchAll(re)) out.push(m[1]);
  return out;
}

/**
 * Finds the tables a SQL statement may write. Literals and comments are ignored; when the
 * statement is not recognised, or uses CASCADE on TRUNCATE/DROP, `all` is true.
 * Never throws.
 */
export function parseWrittenTables(sql: string): WriteTarget {
  let s: string;
  try {
    s = stripSql(sql);
  } catch {
    return { all: true, tables: [] };
  }
  const tables = new Set<string>();
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
  tables.delete('set');
  const head = /^[\s(;]*([A-Za-z]+)/.exec(s)?.[1]?.toLowerCase() ?? '';
  const list = [...tables];
  if (cascade) return { all: true, tables: list };
  if (READ_HEADS.has(head)) return { all: false, tables: list };
  if (head === 'copy' && list.length === 0 && /\bTO\b/i.test(s) && !/\bFROM\b/i.test(s)) return { all: false, tables: list };
  if (WRITE_HEADS.has(head)) return { all: list.length === 0, tables: list };
  if (head === 'create' && HARMLESS_CREATE.test(s)) return { all: false, tables: list };
  if (head === '') return { all: false, tables: list };
  return { all: true, tables: list };
}

/** Tables named after FROM/JOIN in a statement (normalised). Used to check a cached read's dependencies. */
export function parseReadTables(sql: string): string[] {
  const s = stripSql(sql);
  const out = new Set<string>();
  READ_PATTERN.lastIndex = 0;
  for (const m of s.matchAll(READ_PATTERN)) {
    const t = normalizeTableName(m[1]);
    if (!NOT_TABLES.has(t)) out.add(t);
  }
  return [...out];
}
