import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** Attribute keys read by the processors (stable and older database semantic conventions). */
export const DB_QUERY_TEXT = 'db.query.text';
export const DB_STATEMENT = 'db.statement';
export const DB_QUERY_SUMMARY = 'db.query.summary';
export const DB_OPERATION_NAME = 'db.operation.name';
export const DB_COLLECTION_NAME = 'db.collection.name';
export const DB_SYSTEM_NAME = 'db.system.name';
export const DB_SYSTEM = 'db.system';
export const CODE_STACKTRACE = 'code.stacktrace';

/** True when the span describes a database call (a query, or a connect span). */
export function isDbSpan(attributes: Attributes): boolean {
  return (
    attributes[DB_SYSTEM_NAME] !== undefined ||
    attributes[DB_SYSTEM] !== undefined ||
    attributes[DB_QUERY_TEXT] !== undefined ||
    attributes[DB_STATEMENT] !== undefined
  );
}

/** True when the span carries a statement (connect spans do not, and never count as queries). */
export function hasStatement(attributes: Attributes): boolean {
  return attributes[DB_QUERY_TEXT] !== undefined || attributes[DB_STATEMENT] !== undefined;
}

/** Span duration in milliseconds (0 for spans with no valid duration). */
export function durationMillis(span: ReadableSpan): number {
  const d = span.duration;
  if (!d || d[0] < 0) return 0;
  return d[0] * 1e3 + d[1] / 1e6;
}

/** Start time of the span in epoch milliseconds. */
export function startMillis(span: ReadableSpan): number {
  const t = span.startTime;
  return t[0] * 1e3 + t[1] / 1e6;
}

/** End time of the span in epoch milliseconds (no clock read: the SDK recorded it). */
export function endMillis(span: ReadableSpan): number {
  const t = span.endTime;
  return t[0] * 1e3 + t[1] / 1e6;
}

/** The database system name of a span, or `unknown`. */
export function dbSystemOf(attributes: Attributes): string {
  const v = attributes[DB_SYSTEM_NAME] ?? attributes[DB_SYSTEM];
  return typeof v === 'string' ? v : 'unknown';
}
