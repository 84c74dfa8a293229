import { createHmac } from 'node:crypto';
import { diag } from '@opentelemetry/api';
import type { AttributeValue, Attributes, Context, SpanStatus } from '@opentelemetry/api';
import { globalErrorHandler } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { AttributeNames } from '../metrics/names';
import type { QueryLensOptions } from '../types';
import {
  DB_COLLECTION_NAME, DB_OPERATION_NAME, DB_QUERY_SUMMARY, DB_QUERY_TEXT, DB_STATEMENT, hasStatement, isDbSpan,
} from '../util/spanAttributes';
import { queryInfoOf, rawStatementOf } from './queryInfo';
import { resolveOptions } from './resolveOptions';
import type { ResolvedOptions } from './resolveOptions';
import { scrubErrorText, scrubStackTrace } from './scrubErrorText';
import { scrubQueryString, scrubUrl } from './scrubUrl';

/** Attributes that carry bind values (removed from every span). */
export const BIND_VALUE_ATTRIBUTES = ['db.postgresql.values', 'pg.values', 'db.statement.parameters', 'db.sql.parameters'];
/** Prefix of per-parameter attributes of the semantic conventions (removed). */
export const BIND_VALUE_PREFIX = 'db.query.parameter.';

const URL_ATTRIBUTES = ['url.full', 'http.url', 'http.target'];

/**
 * Scrubs PHI from every span before any exporter sees it: it works in `onEnding`, which the
 * SDK calls on every processor before any `onEnd` (where exporters receive spans), so the
 * guarantee holds whatever the order of registration.
 *
 * - `db.query.text` / `db.statement` become the sanitized statement; `db.query.summary`,
 *   `db.operation.name`, `db.collection.name` and `querylens.query.fingerprint` are added.
 * - Bind values (`db.postgresql.values`, `pg.values`, `db.query.parameter.*`) are removed.
 * - The status message and `exception.message`/`exception.stacktrace` of events lose row
 *   values (see {@link scrubErrorText}).
 * - Query-string values of `url.query`, `url.full`, `http.url`, `http.target` are redacted.
 * - `redactAttributes` are removed and `hashAttributes` replaced by an HMAC-SHA256 prefix.
 *
 * It keeps no state. It keeps scrubbing after `shutdown` (a span must never leave in clear).
 */
export class PhiScrubbingSpanProcessor implements SpanProcessor {
  private readonly options: ResolvedOptions;
  private warnedNoOnEnding = false;

  constructor(options?: QueryLensOptions) {
    this.options = resolveOptions(options);
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    try {
      this.scrub(span);
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  /**
   * Safety net for SDKs that do not call `onEnding` (it is experimental): a DB span reaching
   * `onEnd` unscrubbed is scrubbed in place (exporters that run after this processor, or
   * batch later, then see the scrubbed span), and the problem is reported once.
   */
  onEnd(span: ReadableSpan): void {
    try {
      const a = span.attributes;
      if (a === undefined || a === null || a[AttributeNames.FINGERPRINT] !== undefined || !hasStatement(a)) return;
      if (!this.warnedNoOnEnding) {
        this.warnedNoOnEnding = true;
        diag.error('PhiScrubbingSpanProcessor: onEnding was not called (SDK without onEnding?); scrubbing in onEnd, exporters registered before querylens may see raw spans');
      }
      this.scrub(span as Span);
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /** Scrubs one span in place (the span must still be recording). `db`: whether it is a DB span, when known. */
  scrub(span: Span, db?: boolean): void {
    const attributes = span.attributes;
    if (attributes === undefined || attributes === null) return;
    if (db ?? isDbSpan(attributes)) this.scrubDb(span, attributes);
    const status = span.status;
    if (status !== undefined && typeof status.message === 'string' && status.message.length > 0) {
      // `setStatus` cannot lower an OK status and ignores equal codes, so the field is replaced.
      (span as { status: SpanStatus }).status = { ...status, message: scrubErrorText(status.message) };
    }
    const events = span.events;
    if (events !== undefined && events.length > 0) {
      for (const ev of events) {
        const a = ev.attributes;
        if (a === undefined) continue;
        const msg = a['exception.message'];
        if (typeof msg === 'string') a['exception.message'] = scrubErrorText(msg);
        const st = a['exception.stacktrace'];
        if (typeof st === 'string') a['exception.stacktrace'] = scrubStackTrace(st);
      }
    }
    const q = attributes['url.query'];
    if (typeof q === 'string') put(span, 'url.query', scrubQueryString(q.charCodeAt(0) === 63 ? q.slice(1) : q));
    for (const key of URL_ATTRIBUTES) {
      const v = attributes[key];
      if (typeof v === 'string') put(span, key, scrubUrl(v));
    }
    const o = this.options;
    for (const key of o.redactAttributes) if (key in attributes) delete attributes[key];
    for (const key of o.hashAttributes) {
      const v = attributes[key];
      if (v !== undefined) put(span, key, this.hash(typeof v === 'string' ? v : JSON.stringify(v)));
    }
  }

  private scrubDb(span: Span, attributes: Attributes): void {
    for (const key of BIND_VALUE_ATTRIBUTES) if (attributes[key] !== undefined) delete attributes[key];
    for (const key in attributes) if (key.startsWith(BIND_VALUE_PREFIX)) delete attributes[key];
    if (!hasStatement(attributes)) return;
    const raw = rawStatementOf(attributes);
    const info = queryInfoOf(span, this.options.sanitize, false);
    if (info === undefined) return;
    // Replacing an existing key needs none of setAttribute's checks (the key is counted
    // already, and the sanitized text is never longer than the raw one): write it directly.
    if (attributes[DB_QUERY_TEXT] !== undefined) attributes[DB_QUERY_TEXT] = info.text;
    if (attributes[DB_STATEMENT] !== undefined) attributes[DB_STATEMENT] = info.text;
    // Short, validated strings (summary <= 255 characters): written directly, since four
    // setAttribute calls (each allocating and validating) were a quarter of this processor's
    // own cost. They are not counted against the SDK's attributeCountLimit.
    attributes[DB_QUERY_SUMMARY] = info.summary;
    if (attributes[DB_OPERATION_NAME] === undefined) attributes[DB_OPERATION_NAME] = info.operation;
    if (attributes[DB_COLLECTION_NAME] === undefined && info.collection !== undefined) attributes[DB_COLLECTION_NAME] = info.collection;
    attributes[AttributeNames.FINGERPRINT] = info.fingerprint;
    // Some instrumentations name the span after the raw statement (whole or truncated):
    // a DB span name equal to it, or carrying a quote, is replaced by the summary.
    if (raw !== undefined && (span.name === raw || span.name.includes("'") || span.name.includes('$$'))) {
      if (span.ended) (span as { name: string }).name = info.summary;
      else span.updateName(info.summary);
    }
  }

  private hash(value: string): string {
    return createHmac('sha256', this.options.hashSecret).update(value).digest('hex').slice(0, 16);
  }
}

/** Sets an attribute, writing through to the attributes object once the span has ended (`setAttribute` is ignored then). */
function put(span: Span, key: string, value: AttributeValue): void {
  if (span.ended) span.attributes[key] = value;
  else span.setAttribute(key, value);
}
