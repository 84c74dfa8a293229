import { trace } from '@opentelemetry/api';
import type { Context, Span as ApiSpan } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { hasStatement, isDbSpan } from '../util/spanAttributes';

/** Where a DB span sits in its trace, recorded once in `onStart` (the only place the parent object is reachable). */
export interface Lineage {
  /** The nearest ancestor that is not a DB span: the "parent" of N+1 grouping (a request, a job). */
  groupParent: ApiSpan | undefined;
  /** Span id of {@link groupParent}. */
  groupParentId: string | undefined;
  /** The direct parent when it is itself a DB span (a Sequelize span above a pg span). */
  dbParent: ReadableSpan | undefined;
}

/**
 * Stored on the span object under a private symbol: it lives and dies with the span (no map
 * to cap), and unlike a WeakMap entry per span it costs the garbage collector nothing.
 * Exporters read named fields only, so they never see it.
 */
const LINEAGE = Symbol('querylens.lineage');
type WithLineage = { [LINEAGE]?: Lineage };

function get(span: object): Lineage | undefined {
  return (span as WithLineage)[LINEAGE];
}

function isReadable(span: unknown): span is ReadableSpan {
  return typeof span === 'object' && span !== null && typeof (span as ReadableSpan).attributes === 'object';
}

/**
 * The last parent found not to be a DB span, and the lineage its DB children share (lineages
 * are never modified). One slot: the DB spans of a request are usually siblings. A parent that
 * becomes a DB span after its first DB child started keeps its first classification.
 */
let lastPlainParent: object | undefined;
let lastPlainLineage: Lineage | undefined;

/** Records the lineage of a DB span at start (idempotent: the first processor to see it records it). */
export function recordLineage(span: ReadableSpan, parentContext: Context): Lineage {
  const known = get(span);
  if (known !== undefined) return known;
  const parent = trace.getSpan(parentContext);
  let lineage: Lineage;
  if (parent !== undefined && parent === lastPlainParent) {
    // a sibling of the previous DB span (the queries of one request): same lineage object
    lineage = lastPlainLineage!;
  } else if (parent !== undefined && isReadable(parent) && parent.attributes && isDbSpan(parent.attributes)) {
    const up = get(parent);
    lineage = {
      groupParent: up?.groupParent,
      groupParentId: up?.groupParentId ?? parent.parentSpanContext?.spanId,
      dbParent: parent,
    };
  } else {
    lineage = {
      groupParent: parent,
      groupParentId: parent?.spanContext().spanId,
      dbParent: undefined,
    };
    lastPlainParent = parent;
    lastPlainLineage = lineage;
  }
  (span as WithLineage)[LINEAGE] = lineage;
  return lineage;
}

/** The lineage recorded at start, if any. */
export function lineageOf(span: ReadableSpan): Lineage | undefined {
  return get(span);
}

/**
 * True when this DB span is the driver-level twin of a DB span above it that carries the
 * statement too (pg under Sequelize): the pair is one query and the outer span counts it.
 */
export function isCountedByParent(span: ReadableSpan): boolean {
  const dbParent = get(span)?.dbParent;
  return dbParent !== undefined && hasStatement(dbParent.attributes);
}

/** The span id that groups this span for N+1 detection (falls back to the direct parent). */
export function groupParentIdOf(span: ReadableSpan): string | undefined {
  const l = get(span);
  if (l !== undefined) return l.groupParentId;
  return span.parentSpanContext?.spanId;
}
