import { diag } from '@opentelemetry/api';
import type { Context, Counter, Span as ApiSpan } from '@opentelemetry/api';
import { globalErrorHandler } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { meterOf } from '../metrics/meterOf';
import { AttributeNames, MetricNames } from '../metrics/names';
import type { N1QueryDetection } from '../report/types';
import type { QueryLensOptions } from '../types';
import { BoundedMap } from '../util/BoundedMap';
import { detach } from '../util/detach';
import { DB_QUERY_SUMMARY, DB_QUERY_TEXT, durationMillis, endMillis, hasStatement, isDbSpan, startMillis } from '../util/spanAttributes';
import { lineageOf, recordLineage } from './lineage';
import { clipStatement, queryInfoOf } from './queryInfo';
import { RepeatGroup } from './RepeatGroup';
import { scrubFreeText } from './scrubErrorText';
import { resolveOptions } from './resolveOptions';
import type { ResolvedOptions } from './resolveOptions';

/** Name of the event added to the parent span of an N+1. */
export const N_PLUS_ONE_EVENT = 'querylens.n_plus_one';
/**
 * Fingerprints tracked per parent. When full, fingerprints whose window has passed are
 * dropped; if none has, new fingerprints under that parent are ignored.
 */
export const MAX_GROUPS_PER_PARENT = 64;
/** Detections kept for the report (oldest dropped first). */
export const MAX_DETECTIONS = 100;
/** A parent with no DB activity for this long is finalized and dropped. */
export const PARENT_IDLE_MILLIS = 60_000;

/** A detection: its fixed facts and the live group its figures are read from. */
interface Detected {
  fingerprint: string;
  statement: string;
  summary: string;
  parentSpanName: string;
  traceId: string;
  parentSpanId: string;
  group: RepeatGroup;
}

interface ParentEntry {
  id: string;
  span: ApiSpan | undefined;
  /**
   * Fingerprints seen under this parent and their groups, side by side (`groups[i]` counts
   * `fingerprints[i]`). Arrays, not a Map: a request has a few to a few dozen fingerprints,
   * and a Map per parent, grown as they come, cost more than scanning (measured in a profile).
   * Most fingerprints run once per parent: a group is made at the second run, until then
   * `groups[i]` is undefined and the first run's start and duration wait in `firstStarts` and
   * `firstDurations` (arrays of unboxed doubles, where a group per query cost about 200 bytes).
   */
  fingerprints: string[];
  groups: Array<RepeatGroup | undefined>;
  firstStarts: number[];
  firstDurations: number[];
  /** Created at the first detection under this parent. */
  detections: Map<string, Detected> | undefined;
  lastActiveMillis: number;
}

/** Called once per detection (when it is first made). */
export type NPlusOneListener = (detection: N1QueryDetection) => void;

/** What an internal listener gets of a new detection (no dates to format, no copy). @internal */
export type DetectionFacts = Pick<N1QueryDetection, 'fingerprint' | 'statement' | 'parentSpanName' | 'traceId' | 'parentSpanId' | 'count'>;

/**
 * Detects N+1 queries: the same fingerprint repeated at least `nPlusOneThreshold` times
 * under one parent span with their starts within `nPlusOneWindowMillis` (and, optionally,
 * at least `nPlusOneMinTotalMillis` in total).
 *
 * Fixes the known misses of Sentry's detector: spans without a statement (`pg.connect`,
 * `pg-pool.connect`) are ignored instead of breaking the sequence; repeats are counted by
 * start time, so a concurrent loop (`Promise.all`) is an N+1 too; a DB span whose parent is
 * a DB span with the same role (pg under Sequelize) is one query, grouped under the nearest
 * non-DB ancestor.
 *
 * A detection is reported once per (parent, fingerprint): counter `querylens.db.n_plus_one`
 * and the listener when first made; `querylens.n_plus_one = true` on the repeats that end
 * from then on; and, with its final count, an event `querylens.n_plus_one` on the parent
 * while the parent is still recording (its `onEnding`).
 *
 * Memory: at most `maxTrackedParents` parents (LRU; an evicted parent is finalized), each with
 * at most {@link MAX_GROUPS_PER_PARENT} fingerprints of constant size; a parent is dropped
 * when it ends or after {@link PARENT_IDLE_MILLIS} without DB activity.
 */
export class NPlusOneSpanProcessor implements SpanProcessor {
  private readonly options: ResolvedOptions;
  private readonly counter: Counter;
  private readonly parents: BoundedMap<string, ParentEntry>;
  private readonly recent: Detected[] = [];
  private readonly listeners: NPlusOneListener[] = [];
  private readonly factListeners: Array<(facts: DetectionFacts) => void> = [];
  private isShutdown = false;

  constructor(options?: QueryLensOptions) {
    this.options = resolveOptions(options);
    this.counter = meterOf(this.options.meterProvider).createCounter(MetricNames.DB_N_PLUS_ONE, {
      description: 'N+1 query patterns detected (once per parent span and fingerprint)',
    });
    this.parents = new BoundedMap(this.options.maxTrackedParents, (_id, entry) => this.finalize(entry));
  }

  /** Registers a listener called once per new detection. */
  onDetection(listener: NPlusOneListener): void {
    this.listeners.push(listener);
  }

  /** Registers a listener called once per new detection with its facts only (what {@link QueryLensSpanProcessor} needs). @internal */
  onDetectionFacts(listener: (facts: DetectionFacts) => void): void {
    this.factListeners.push(listener);
  }

  /** The most recent detections (at most {@link MAX_DETECTIONS}); counts grow until final. */
  detections(): N1QueryDetection[] {
    return this.recent.map(toPublic);
  }

  /** Forgets every detection and tracked parent. */
  reset(): void {
    this.recent.length = 0;
    this.parents.clear();
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      if (!this.isShutdown && isDbSpan(span.attributes)) recordLineage(span, parentContext);
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  onEnding(span: Span): void {
    try {
      if (this.isShutdown) return;
      // A span whose lineage was recorded at start is never a parent of N+1 grouping: its DB
      // children, started after it, group under its own group parent. Only a span this
      // processor did not see start can have been used as a fallback parent.
      if (lineageOf(span) === undefined) this.endParent(span);
      if (hasStatement(span.attributes)) this.record(span);
    } catch (err) {
      globalErrorHandler(err as Error);
    }
  }

  /** Finalizes `span` if it is a tracked parent (adds the N+1 events while it still records). */
  endParent(span: Span): void {
    if (this.parents.size === 0) return;
    const own = this.parents.get(span.spanContext().spanId);
    if (own !== undefined) {
      this.parents.delete(own.id);
      this.finalize(own);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    if (!this.isShutdown) {
      this.isShutdown = true;
      for (const entry of this.parents.values()) this.finalize(entry);
      this.parents.clear();
    }
    return Promise.resolve();
  }

  private record(span: Span): void {
    const lineage = lineageOf(span);
    if (lineage !== undefined && lineage.dbParent !== undefined && hasStatement(lineage.dbParent.attributes)) return;
    const parentId = lineage !== undefined ? lineage.groupParentId : span.parentSpanContext?.spanId;
    if (parentId === undefined) return;
    const info = queryInfoOf(span, this.options.sanitize);
    const allowed = this.options.nPlusOneAllowList;
    if (info === undefined || (allowed.size > 0 && allowed.has(info.fingerprint))) return;
    const now = endMillis(span);
    let entry = this.parents.touch(parentId);
    if (entry === undefined) {
      this.sweepIdle(now);
      entry = {
        id: parentId, span: lineage?.groupParent, fingerprints: [], groups: [], firstStarts: [], firstDurations: [], detections: undefined, lastActiveMillis: now,
      };
      this.parents.set(parentId, entry);
    }
    entry.lastActiveMillis = now;
    const o = this.options;
    const fingerprints = entry.fingerprints;
    const fp = info.fingerprint;
    const start = startMillis(span);
    const duration = durationMillis(span);
    let i = fingerprints.length - 1;
    while (i >= 0 && fingerprints[i] !== fp) i--;
    if (i < 0) {
      if (fingerprints.length >= MAX_GROUPS_PER_PARENT && !dropStale(entry, start, o.nPlusOneWindowMillis)) return;
      // the first run (nPlusOneThreshold is at least 2: nothing to detect yet)
      fingerprints.push(fp);
      entry.groups.push(undefined);
      entry.firstStarts.push(start);
      entry.firstDurations.push(duration);
      return;
    }
    let group = entry.groups[i];
    if (group === undefined) {
      group = new RepeatGroup(o.nPlusOneThreshold);
      group.add(entry.firstStarts[i], entry.firstDurations[i], o.nPlusOneWindowMillis, o.nPlusOneMinTotalMillis);
      entry.groups[i] = group;
    }
    const first = group.add(start, duration, o.nPlusOneWindowMillis, o.nPlusOneMinTotalMillis);
    if (!group.detected) return;
    span.setAttribute(AttributeNames.N_PLUS_ONE, true);
    if (!first) return;
    const detected: Detected = {
      fingerprint: info.fingerprint,
      statement: clipStatement(info.text),
      summary: info.summary,
      parentSpanName: parentNameOf(entry.span),
      traceId: span.spanContext().traceId,
      parentSpanId: parentId,
      group,
    };
    (entry.detections ??= new Map()).set(info.fingerprint, detected);
    this.recent.push(detected);
    if (this.recent.length > MAX_DETECTIONS) this.recent.shift();
    this.counter.add(1);
    if (this.factListeners.length > 0) {
      const facts: DetectionFacts = {
        fingerprint: detected.fingerprint,
        statement: detected.statement,
        parentSpanName: detected.parentSpanName,
        traceId: detected.traceId,
        parentSpanId: detected.parentSpanId,
        count: group.count,
      };
      for (const l of this.factListeners) {
        try {
          l(facts);
        } catch (err) {
          globalErrorHandler(err as Error);
        }
      }
    }
    if (this.listeners.length === 0) return;
    const snapshot = toPublic(detected);
    for (const l of this.listeners) {
      try {
        l({ ...snapshot });
      } catch (err) {
        globalErrorHandler(err as Error);
      }
    }
  }

  /** Drops parents idle for {@link PARENT_IDLE_MILLIS}, oldest first (amortized O(1)). */
  private sweepIdle(now: number): void {
    for (const entry of this.parents.values()) {
      if (now - entry.lastActiveMillis < PARENT_IDLE_MILLIS) return;
      this.parents.delete(entry.id);
      this.finalize(entry);
    }
  }

  /** Adds the final-count event to a parent that is still recording. */
  private finalize(entry: ParentEntry): void {
    if (entry.detections === undefined) return;
    const parent = entry.span;
    for (const detected of entry.detections.values()) {
      if (parent === undefined || !parent.isRecording()) continue;
      // Fields read directly: toPublic would format two ISO dates the event does not carry.
      parent.addEvent(N_PLUS_ONE_EVENT, {
        [AttributeNames.FINGERPRINT]: detected.fingerprint,
        [DB_QUERY_TEXT]: detected.statement,
        [DB_QUERY_SUMMARY]: detected.summary,
        'querylens.n_plus_one.count': detected.group.count,
        'querylens.n_plus_one.total_duration_ms': detected.group.totalMillis,
      });
    }
    if (parent === undefined) diag.debug('NPlusOneSpanProcessor: parent span unknown, no event added');
  }
}

/** Drops the groups of `entry` that can no longer become an N+1; whether any was dropped. */
function dropStale(entry: ParentEntry, nowMillis: number, windowMillis: number): boolean {
  const { fingerprints, groups, firstStarts, firstDurations } = entry;
  let kept = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g === undefined ? nowMillis - firstStarts[i] > windowMillis : g.isStale(nowMillis, windowMillis)) continue;
    fingerprints[kept] = fingerprints[i];
    groups[kept] = g;
    firstStarts[kept] = firstStarts[i];
    firstDurations[kept++] = firstDurations[i];
  }
  const dropped = kept < groups.length;
  fingerprints.length = kept;
  groups.length = kept;
  firstStarts.length = kept;
  firstDurations.length = kept;
  return dropped;
}

function toPublic(d: Detected): N1QueryDetection {
  const g = d.group;
  return {
    fingerprint: d.fingerprint,
    statement: d.statement,
    summary: d.summary,
    parentSpanName: d.parentSpanName,
    traceId: d.traceId,
    parentSpanId: d.parentSpanId,
    count: g.count,
    totalDurationMillis: g.totalMillis,
    firstSeen: new Date(g.firstStartMillis).toISOString(),
    lastSeen: new Date(g.lastEndMillis).toISOString(),
  };
}

/**
 * The last parent name that scrubbing left unchanged (so it holds nothing to redact): the
 * parents of one route share a name (`GET /students/:id`), and a detection per request
 * would otherwise scrub it again each time. A name that scrubbing changed is never kept.
 */
let lastCleanName = '';

/** The parent's name as free text scrubbed of values (it goes into reports, alerts and logs). */
function parentNameOf(span: ApiSpan | undefined): string {
  const name = (span as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string') return 'unknown';
  if (name === lastCleanName) return lastCleanName;
  // detached: kept with the detection, and the scrubbed name may be cut from the raw one
  const scrubbed = detach(scrubFreeText(name));
  if (scrubbed === name) lastCleanName = scrubbed;
  return scrubbed;
}
