import { createHmac } from 'node:crypto';
import { diag } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { AttributeValue, Attributes, Context, SpanStatus } from '@opentelemetry/api';
import { globalErrorHandler } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace';
import { sanitizeSql } from '../sql/sanitizeSql';
import { AttributeNames } from '../metrics/names';
import type { QueryLensOptions } from '../types';
import { detach, internalized } from '../util/detach';
import {
  DB_COLLECTION_NAME, DB_OPERATION_NAME, DB_QUERY_SUMMARY, DB_QUERY_TEXT, DB_STATEMENT, hasStatement, isDbSpan,
} from '../util/spanAttributes';
import { queryInfoOf } from './queryInfo';
import type { QueryInfo } from './queryInfo';
import { resolveOptions } from './resolveOptions';
import type { ResolvedOptions } from './resolveOptions';
import { DATA_LIKE_NAME, scrubErrorText, scrubFreeText, scrubStackTrace } from './scrubErrorText';
import { scrubQueryString, scrubUrl, scrubUrlPath } from './scrubUrl';

/** Attributes that carry bind values (removed from every span). */
export const BIND_VALUE_ATTRIBUTES = ['db.postgresql.values', 'pg.values', 'db.statement.parameters', 'db.sql.parameters'];
/** Prefix of per-parameter attributes of the semantic conventions (removed). */
export const BIND_VALUE_PREFIX = 'db.query.parameter.';

/** URL attributes scrubbed as whole URLs or request targets (read one by one in `scrub`). */
const URL_ATTRIBUTES = ['url.full', 'url.original', 'http.url', 'http.target'];

/**
 * Scrubs PHI from every span before any exporter sees it: it works in `onEnding`, which the
 * SDK calls on every processor before any `onEnd` (where exporters receive spans), so the
 * guarantee holds whatever the order of registration.
 *
 * - `db.query.text` / `db.statement` become the sanitized statement; `db.query.summary`,
 *   `db.operation.name` (upper case), `db.collection.name` and `querylens.query.fingerprint`
 *   are added; a DB span's name is always rebuilt: its instrumentation prefix (`pg.query:`)
 *   and the summary.
 * - Bind values (`db.postgresql.values`, `pg.values`, `db.query.parameter.*`) are removed.
 * - The status message and every event lose row values (see {@link scrubErrorText}): event
 *   names other than `exception` and `querylens.*`, every string (or string array) value;
 *   statements in events are sanitized.
 * - A non-DB span name holding a quote, `@` or 3 digits in a row goes through {@link scrubFreeText}.
 * - Query-string values of `url.query`, `url.full`, `url.original`, `http.url`, `http.target`
 *   are redacted, and so is userinfo; `url.path` and the path of those URLs become the span's
 *   `http.route`, or keep only a safe first segment (see {@link scrubUrlPath}).
 * - `http.request.header.*` / `http.response.header.*` of server and client spans (where
 *   instrumentations record headers) are dropped, except
 *   {@link ALLOWED_HEADER_ATTRIBUTES}.
 * - `redactAttributes` are removed and `hashAttributes` replaced by an HMAC-SHA256 prefix.
 *
 * Each of these steps is isolated: one that throws redacts its field entirely and is
 * reported once (`globalErrorHandler` and `diag.error`); the others still run.
 *
 * It keeps no state. It keeps scrubbing after `shutdown` (a span must never leave in clear).
 */
export class PhiScrubbingSpanProcessor implements SpanProcessor {
  private readonly options: ResolvedOptions;
  private warnedNoOnEnding = false;
  /** Steps whose failure was reported (each reported once; at most a dozen names). */
  private readonly reported = new Set<string>();

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

  /**
   * Scrubs one span in place (the span must still be recording). `db`: whether it is a DB span, when known.
   * Each field is scrubbed in its own step: a step that throws redacts its field entirely
   * (fail closed) and is reported once; the other steps still run.
   */
  scrub(span: Span, db?: boolean): void {
    const attributes = span.attributes;
    if (attributes === undefined || attributes === null) return;
    let isDb = db;
    if (isDb === undefined) {
      try {
        isDb = isDbSpan(attributes);
      } catch (err) {
        this.failed('isDbSpan', err);
        isDb = true;
      }
    }
    // Instrumentations record headers on server and client spans only; walking every key of
    // every internal span would triple the cost of a non-DB span. Where the keys are walked
    // (DB, server and client spans), the walk also tells whether any URL attribute is there.
    const headers = span.kind === SpanKind.SERVER || span.kind === SpanKind.CLIENT;
    let urls = true;
    if (isDb) {
      try {
        urls = this.scrubDb(span, attributes, headers);
      } catch (err) {
        urls = true;
        this.failed('statement', err);
        failClosed(() => redactDb(span, attributes));
      }
    } else {
      if (headers) {
        try {
          urls = walkKeys(attributes, false, true);
        } catch (err) {
          urls = true;
          this.failed('headers', err);
        }
      }
      try {
        const name = span.name;
        if (typeof name !== 'string') rename(span, 'span');
        else if (name !== lastSafeName) {
          if (DATA_LIKE_NAME.test(name)) {
            const scrubbed = scrubFreeText(name);
            if (scrubbed !== name) rename(span, scrubbed);
          } else lastSafeName = internalized(name); // a copy (the name may be a view on a longer string), compared by pointer with equal literals
        }
      } catch (err) {
        this.failed('name', err);
        failClosed(() => rename(span, 'span'));
      }
    }
    const status = span.status;
    if (status !== undefined && status !== null) {
      try {
        const message = status.message;
        if (typeof message === 'string' && message.length > 0) {
          // `setStatus` cannot lower an OK status and ignores equal codes, so the field is replaced.
          (span as { status: SpanStatus }).status = { code: status.code, message: scrubErrorText(message) };
        }
      } catch (err) {
        this.failed('status', err);
        failClosed(() => ((span as { status: SpanStatus }).status = { code: SpanStatusCode.ERROR, message: '?' }));
      }
    }
    const events = span.events;
    if (events !== undefined && events !== null && events.length > 0) {
      for (let i = 0; i < events.length; i++) {
        try {
          this.scrubEvent(events[i]);
        } catch (err) {
          this.failed('event', err);
          failClosed(() => (events[i] = { name: 'event', attributes: {}, time: events[i].time, droppedAttributesCount: 0 }));
        }
      }
    }
    if (urls) {
      try {
        const q = attributes['url.query'];
        if (typeof q === 'string') put(span, 'url.query', scrubQueryString(q.charCodeAt(0) === 63 ? q.slice(1) : q));
        const route = attributes['http.route'];
        const path = attributes['url.path'];
        if (typeof path === 'string') {
          const scrubbed = scrubUrlPath(path, route);
          if (scrubbed !== path) put(span, 'url.path', scrubbed);
        }
        // One load per key written out: a loop over the keys makes the load site megamorphic,
        // which was half the cost of a non-DB span's scrubbing.
        const full = attributes['url.full'];
        if (typeof full === 'string') putUrl(span, 'url.full', full, route);
        const original = attributes['url.original'];
        if (typeof original === 'string') putUrl(span, 'url.original', original, route);
        const httpUrl = attributes['http.url'];
        if (typeof httpUrl === 'string') putUrl(span, 'http.url', httpUrl, route);
        const target = attributes['http.target'];
        if (typeof target === 'string') putUrl(span, 'http.target', target, route);
      } catch (err) {
        this.failed('url', err);
        failClosed(() => {
          for (const key of ['url.query', 'url.path', ...URL_ATTRIBUTES]) delete attributes[key];
        });
      }
    }
    const o = this.options;
    if (o.redactAttributes.length > 0 || o.hashAttributes.length > 0) {
      try {
        for (const key of o.redactAttributes) if (key in attributes) delete attributes[key];
        for (const key of o.hashAttributes) {
          const v = attributes[key];
          if (v !== undefined) put(span, key, this.hash(typeof v === 'string' ? v : JSON.stringify(v)));
        }
      } catch (err) {
        this.failed('redactAttributes/hashAttributes', err);
        failClosed(() => {
          for (const key of [...o.redactAttributes, ...o.hashAttributes]) delete attributes[key];
        });
      }
    }
  }

  /**
   * Scrubs one event: its name (unless `exception` or `querylens.*`) and every string value
   * (or string in an array value): `exception.stacktrace` as a stack trace, statements
   * sanitized, a querylens fingerprint kept, anything else as error text.
   */
  private scrubEvent(ev: TimedEvent): void {
    const name = ev.name;
    if (typeof name !== 'string') (ev as { name: string }).name = 'event';
    else if (name !== 'exception' && !name.startsWith('querylens.')) {
      const scrubbed = scrubFreeText(name);
      if (scrubbed !== name) (ev as { name: string }).name = scrubbed;
    }
    const a = ev.attributes;
    if (a === undefined || a === null) return;
    for (const key in a) {
      const v = a[key];
      if (typeof v === 'string') a[key] = this.scrubEventValue(key, v);
      else if (Array.isArray(v)) a[key] = v.map((x: unknown) => (typeof x === 'string' ? this.scrubEventValue(key, x) : x)) as AttributeValue;
    }
  }

  private scrubEventValue(key: string, value: string): string {
    switch (key) {
      case 'exception.stacktrace':
        return scrubStackTrace(value);
      case DB_QUERY_TEXT:
      case DB_STATEMENT:
        try {
          return sanitizeSql(value, this.options.sanitize).text;
        } catch {
          return '?';
        }
      case AttributeNames.FINGERPRINT:
        return FINGERPRINT_SHAPE.test(value) ? value : '?';
      case 'exception.type':
        // A class name or an error code; anything else (`err.code = 'Alice Smith'`) is data.
        return EXCEPTION_TYPE_SHAPE.test(value) ? value : '?';
      default:
        return scrubErrorText(value);
    }
  }

  /**
   * `headers`: also drop header attributes (server and client spans), in the same walk over
   * the keys. Returns whether the span has a URL attribute.
   */
  private scrubDb(span: Span, attributes: Attributes, headers: boolean): boolean {
    const urls = walkKeys(attributes, true, headers);
    if (!hasStatement(attributes)) return urls;
    const info = queryInfoOf(span, this.options.sanitize, false);
    if (info === undefined) return urls;
    // Replacing an existing key needs none of setAttribute's checks (the key is counted
    // already, and the sanitized text is never longer than the raw one): write it directly.
    if (attributes[DB_QUERY_TEXT] !== undefined) attributes[DB_QUERY_TEXT] = info.text;
    if (attributes[DB_STATEMENT] !== undefined) attributes[DB_STATEMENT] = info.text;
    // Short, validated strings (summary <= 255 characters): written directly, since four
    // setAttribute calls (each allocating and validating) were a quarter of this processor's
    // own cost. They are not counted against the SDK's attributeCountLimit.
    attributes[DB_QUERY_SUMMARY] = info.summary;
    const op = attributes[DB_OPERATION_NAME];
    // Upper case: `set` and `SET` are one operation (and one metric series).
    if (typeof op !== 'string') attributes[DB_OPERATION_NAME] = info.operation;
    else if (op !== info.operation) {
      const upper = op.toUpperCase();
      if (upper !== op) attributes[DB_OPERATION_NAME] = upper;
    }
    if (attributes[DB_COLLECTION_NAME] === undefined && info.collection !== undefined) attributes[DB_COLLECTION_NAME] = info.collection;
    attributes[AttributeNames.FINGERPRINT] = info.fingerprint;
    // The name is always rebuilt from sanitized data: instrumentations put raw statements,
    // or parts of them, in span names (`pg.query:SELECT ... $x$078-05-1120$x$`).
    const name = dbSpanName(span.name, info);
    if (span.name !== name) rename(span, name);
    return urls;
  }

  /** Reports a failed step once (per step) through globalErrorHandler and diag. */
  private failed(step: string, err: unknown): void {
    if (this.reported.has(step)) return;
    this.reported.add(step);
    diag.error(`PhiScrubbingSpanProcessor: scrubbing step "${step}" failed; its field was redacted`);
    globalErrorHandler(err as Error);
  }

  private hash(value: string): string {
    return createHmac('sha256', this.options.hashSecret).update(value).digest('hex').slice(0, 16);
  }
}

/** Prefix of request header attributes (dropped unless in {@link ALLOWED_HEADER_ATTRIBUTES}). */
export const REQUEST_HEADER_PREFIX = 'http.request.header.';
/** Prefix of response header attributes (dropped unless in {@link ALLOWED_HEADER_ATTRIBUTES}). */
export const RESPONSE_HEADER_PREFIX = 'http.response.header.';
/** Header attributes kept: they describe the payload, never the person (cookies, referers, auth are dropped). */
export const ALLOWED_HEADER_ATTRIBUTES: ReadonlySet<string> = new Set(
  ['content-type', 'content-length', 'accept', 'accept-encoding', 'cache-control'].flatMap((h) => [
    REQUEST_HEADER_PREFIX + h, RESPONSE_HEADER_PREFIX + h,
  ]),
);
// Module-local aliases read per key in walkKeys: the compiled code would read exported
// constants through the module's `exports` object.
const REQUEST_HEADER = REQUEST_HEADER_PREFIX;
const RESPONSE_HEADER = RESPONSE_HEADER_PREFIX;
const ALLOWED_HEADERS = ALLOWED_HEADER_ATTRIBUTES;
const BIND_VALUE_KEYS: ReadonlySet<string> = new Set(BIND_VALUE_ATTRIBUTES);
const BIND_PREFIX = BIND_VALUE_PREFIX;
/** Last non-DB span name found free of suspect characters (span names repeat: `GET`, `middleware - query`). */
let lastSafeName = '';

/**
 * One walk over a span's attribute keys: deletes bind values (`bindValues`) and header
 * attributes not in {@link ALLOWED_HEADER_ATTRIBUTES} (`headers`); returns whether a URL
 * attribute (`url.*`, `http.url`, `http.target`) is present. Keys are told apart by their
 * first character and length before any string comparison.
 */
function walkKeys(attributes: Attributes, bindValues: boolean, headers: boolean): boolean {
  let urls = false;
  for (const key in attributes) {
    const c = key.charCodeAt(0);
    if (c === 104) {
      // h: http.request.header.* / http.response.header.* (the 14th or 15th character is `h`), http.url, http.target
      if (headers && key.length > 20 && (key.charCodeAt(13) === 104 || key.charCodeAt(14) === 104) &&
        (key.startsWith(REQUEST_HEADER) || key.startsWith(RESPONSE_HEADER)) && !ALLOWED_HEADERS.has(key)) {
        delete attributes[key];
      } else if (key === 'http.url' || key === 'http.target') urls = true;
    } else if (c === 117) {
      if (key.startsWith('url.')) urls = true;
    } else if (bindValues && (c === 100 || c === 112)) {
      // d, p: db.query.parameter.*, db.postgresql.values, db.statement.parameters, db.sql.parameters, pg.values
      if (key.startsWith(BIND_PREFIX) || BIND_VALUE_KEYS.has(key)) delete attributes[key];
    }
  }
  return urls;
}

const FINGERPRINT_SHAPE = /^[0-9a-f]{16}$/;
const EXCEPTION_TYPE_SHAPE = /^[\w$.:-]{1,128}$/;
const PREFIX = /^[A-Za-z][\w.-]{0,31}$/;
/** The last instrumentation prefix seen (`pg.query:`), detached from the span name it came from. */
let lastPrefix = '';

/**
 * The name of a DB span: its instrumentation prefix (`pg.query:` of `pg.query:SELECT db`)
 * followed by the sanitized summary; just the summary when the name has no such prefix.
 * Only the prefix is remembered between spans, never a name (a raw one may hold a statement).
 */
function dbSpanName(name: unknown, info: QueryInfo): string {
  const summary = info.summary.length > 0 ? info.summary : info.operation;
  if (typeof name !== 'string') return summary;
  const colon = name.indexOf(':');
  if (colon <= 0 || colon > 32) return summary;
  if (lastPrefix.length !== colon + 1 || !name.startsWith(lastPrefix)) {
    const head = name.slice(0, colon);
    if (!PREFIX.test(head)) return summary;
    lastPrefix = detach(`${head}:`);
  }
  if (info.spanNamePrefix !== lastPrefix || info.spanName === undefined) {
    info.spanName = detach(lastPrefix + summary);
    info.spanNamePrefix = lastPrefix;
  }
  return info.spanName;
}

function rename(span: Span, name: string): void {
  if (span.ended) (span as { name: string }).name = name;
  else span.updateName(name);
}

/** Redacts every statement attribute and the name of a DB span whose scrubbing failed. */
function redactDb(span: Span, attributes: Attributes): void {
  for (const key of BIND_VALUE_ATTRIBUTES) delete attributes[key];
  for (const key in attributes) if (key.startsWith(BIND_VALUE_PREFIX)) delete attributes[key];
  if (attributes[DB_QUERY_TEXT] !== undefined) attributes[DB_QUERY_TEXT] = '?';
  if (attributes[DB_STATEMENT] !== undefined) attributes[DB_STATEMENT] = '?';
  delete attributes[DB_QUERY_SUMMARY];
  rename(span, 'db.query');
}

/** Runs a fail-closed action; it must not throw either (a span that resists it is left as is). */
function failClosed(action: () => void): void {
  try {
    action();
  } catch {
    // Nothing more can be done on this span; the failure was reported already.
  }
}

/** Writes the scrubbed form of the URL attribute `key` (value `url`) if it differs. */
function putUrl(span: Span, key: string, url: string, route: unknown): void {
  const scrubbed = scrubUrl(url, route);
  if (scrubbed !== url) put(span, key, scrubbed);
}

/** Sets an attribute, writing through to the attributes object once the span has ended (`setAttribute` is ignored then). */
function put(span: Span, key: string, value: AttributeValue): void {
  if (span.ended) span.attributes[key] = value;
  else span.setAttribute(key, value);
}
