import { diag } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { sanitizeSql } from '../sql/sanitizeSql';
import type { SanitizeSqlOptions } from '../sql/types';
import { AttributeNames } from '../metrics/names';
import { SHAPE_KEY_CHARS } from './ShapeMemo';
import { StatementMemo } from './StatementMemo';
import { detach, internalized } from '../util/detach';
import { DB_QUERY_TEXT, DB_QUERY_SUMMARY, DB_STATEMENT } from '../util/spanAttributes';

/** The sanitized identity of one DB span, computed once and shared by every processor. */
export interface QueryInfo {
  /** Sanitized statement. */
  text: string;
  /** `db.query.summary`. */
  summary: string;
  /** Shape fingerprint. */
  fingerprint: string;
  /** `db.operation.name` derived from the summary. */
  operation: string;
  /** `db.collection.name` derived from the summary, when it names exactly one collection. */
  collection: string | undefined;
  /**
   * The DB span name last built from this info (an instrumentation prefix and the summary), and
   * that prefix: the spans of one shape share one flat name instead of a new concatenation
   * each (which an exporter would flatten again). Set by the scrubber.
   */
  spanName?: string;
  spanNamePrefix?: string;
}

/** Longest statement kept in long-lived state (top queries, detections): bounds that memory. */
export const MAX_STORED_STATEMENT_CHARS = 4096;

/** A sanitized statement clipped to {@link MAX_STORED_STATEMENT_CHARS}. */
export function clipStatement(text: string): string {
  return text.length > MAX_STORED_STATEMENT_CHARS ? `${text.slice(0, MAX_STORED_STATEMENT_CHARS)}...` : text;
}

/** Fingerprint used when a statement could not be analysed (fail closed). */
export const UNKNOWN_FINGERPRINT = '0000000000000000';

const TWO_WORD_OPERATIONS = new Set(['CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'COMMENT', 'REFRESH']);
const OBJECT_KINDS = new Set([
  'TABLE', 'INDEX', 'VIEW', 'SCHEMA', 'SEQUENCE', 'TYPE', 'FUNCTION', 'PROCEDURE', 'TRIGGER',
  'EXTENSION', 'DATABASE', 'ROLE', 'USER', 'MATERIALIZED', 'DOMAIN',
]);

const defaultMemo = new StatementMemo();
const memos = new WeakMap<SanitizeSqlOptions, StatementMemo>();

/** The memo for one set of sanitizer options (results depend on them). @internal */
export function memoFor(options: SanitizeSqlOptions | undefined): StatementMemo {
  if (options === undefined) return defaultMemo;
  let memo = memos.get(options);
  if (memo === undefined) {
    memo = new StatementMemo(options);
    memos.set(options, memo);
  }
  return memo;
}

/**
 * One-slot cache: the span being ended and its info. `span.end()` runs every processor's
 * `onEnding` and then every `onEnd` synchronously, so all processors of one span hit this
 * slot, and nothing accumulates (a WeakMap with an entry per span costs more in GC than it
 * saves). Holds only sanitized data and one span reference.
 */
let lastSpan: object | undefined;
let lastInfo: QueryInfo | undefined;
let lastReadBack = false;

/**
 * Operation and single collection named by a `db.query.summary`: the first word (two for
 * `CREATE TABLE` and the like) and, when exactly one word follows, that word.
 */
export function splitSummary(summary: string): { operation: string; collection: string | undefined } {
  if (summary.length === 0) return { operation: 'UNKNOWN', collection: undefined };
  let end = summary.indexOf(' ');
  if (end < 0) return { operation: summary, collection: undefined };
  let operation = summary.slice(0, end);
  if (TWO_WORD_OPERATIONS.has(operation)) {
    const next = summary.indexOf(' ', end + 1);
    const kind = next < 0 ? summary.slice(end + 1) : summary.slice(end + 1, next);
    if (OBJECT_KINDS.has(kind)) {
      operation = `${operation} ${kind}`;
      if (next < 0) return { operation, collection: undefined };
      end = next;
    }
  }
  const rest = summary.slice(end + 1);
  return { operation, collection: rest.length > 0 && rest.indexOf(' ') < 0 ? rest : undefined };
}

/** Summaries are low-cardinality: their split is remembered (at most this many, then forgotten at once). */
const MAX_SPLITS = 1024;
const splits = new Map<string, { operation: string; collection: string | undefined }>();

function fromSanitized(text: string, summary: string, fingerprint: string): QueryInfo {
  let split = splits.get(summary);
  if (split === undefined) {
    const s = splitSummary(summary);
    // Upper case: `set` and `SET` are one operation (low-cardinality metric label).
    split = { operation: s.operation.toUpperCase(), collection: s.collection };
    if (splits.size >= MAX_SPLITS) splits.clear();
    splits.set(summary, split);
  }
  // every field present from the start: one object shape wherever an info is read
  return { text, summary, fingerprint, operation: split.operation, collection: split.collection, spanName: undefined, spanNamePrefix: undefined };
}

/**
 * The raw statement of a span as a string, or undefined when the span has none.
 * A value that is not a string (a number, an array) is stringified: it is sanitized like
 * any statement, so nothing in it survives as a literal.
 */
export function rawStatementOf(attributes: Attributes): string | undefined {
  const v = attributes[DB_QUERY_TEXT] ?? attributes[DB_STATEMENT];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

/**
 * The {@link QueryInfo} of a DB span with a statement, sanitizing at most once per span.
 * When a {@link PhiScrubbingSpanProcessor} has already rewritten the span (the fingerprint
 * attribute is present), its results are read back instead of sanitizing again.
 * The scrubber passes `trustAttributes = false`: it sanitizes unless this module already did
 * for this very span object (the one-slot cache), so a forged fingerprint attribute cannot skip it.
 * Never throws: a sanitizer failure yields a fully redacted result.
 */
export function queryInfoOf(
  span: ReadableSpan,
  options?: SanitizeSqlOptions,
  trustAttributes = true,
): QueryInfo | undefined {
  if (lastSpan === span && lastInfo !== undefined && (trustAttributes || !lastReadBack)) return lastInfo;
  const attributes = span.attributes;
  const fp = trustAttributes ? attributes[AttributeNames.FINGERPRINT] : undefined;
  let info: QueryInfo;
  let readBack = false;
  if (typeof fp === 'string') {
    const text = attributes[DB_QUERY_TEXT] ?? attributes[DB_STATEMENT];
    const summary = attributes[DB_QUERY_SUMMARY];
    info = fromSanitized(typeof text === 'string' ? text : '?', typeof summary === 'string' ? summary : 'UNKNOWN', fp);
    readBack = true;
  } else {
    const raw = rawStatementOf(attributes);
    if (raw === undefined) return undefined;
    const memo = memoFor(options);
    // Short statements (`BEGIN`, `SELECT 1`) are looked up whole; longer ones by shape (their
    // first characters, then a comparison), which never hashes a whole statement.
    const short = raw.length < SHAPE_KEY_CHARS;
    const known = short ? memo.get(raw) : memo.shapes.get(raw);
    if (known !== undefined) info = known;
    else {
      try {
        const s = sanitizeSql(raw, options);
        // detached: the info outlives the span (memos, top queries, detections), and the lexer
        // builds text and summary from slices of the raw statement, literals included. The text
        // is internalized: a statement the lexer left unchanged is then, as an app's literal
        // (`pool.query('SELECT ...')`), the same object as the memo's copy, compared by pointer.
        // So is the fingerprint: N+1 grouping compares it with each earlier one of the request,
        // and two internalized strings that differ are told apart by pointer, not by content.
        info = fromSanitized(internalized(s.text), detach(s.summary), internalized(s.fingerprint));
        // Only statements the sanitizer left unchanged are remembered whole: no literal,
        // comment or collapsed list was in them, so the key holds nothing the exported text
        // does not. A shape holds only pieces of the sanitized text.
        if (!short) memo.shapes.learn(raw, info);
        // keyed by the internalized copy: `raw` may be a view on a longer string (a script split on `;`)
        else if (s.text === raw) memo.set(info.text, info);
      } catch (err) {
        diag.error('querylens: sanitizeSql failed, statement fully redacted', (err as Error)?.name);
        info = fromSanitized('?', 'UNKNOWN', UNKNOWN_FINGERPRINT);
      }
    }
  }
  lastSpan = span;
  lastInfo = info;
  lastReadBack = readBack;
  return info;
}
