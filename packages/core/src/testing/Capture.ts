import type { N1QueryDetection } from '../report/types';
import { clipStatement } from '../processors/queryInfo';
import { RepeatGroup } from '../processors/RepeatGroup';

/** One query seen by {@link captureQueries}, sanitized. */
export interface CapturedQuery {
  /** Sanitized statement. */
  text: string;
  summary: string;
  fingerprint: string;
  durationMillis: number;
}

/** N+1 settings the processor passes along with each query. */
export interface CaptureRules {
  threshold: number;
  windowMillis: number;
  minTotalMillis: number;
  allowList: ReadonlySet<string>;
}

/** Queries kept per capture; past this only `count` grows. */
export const MAX_CAPTURED_QUERIES = 10_000;
/** Fingerprints tracked per capture for N+1 detection. */
const MAX_GROUPS = 1000;

/**
 * The queries of one {@link captureQueries} call. Captures nest: a query is delivered to
 * its capture and every enclosing one. The capture itself acts as the N+1 parent.
 */
export class Capture {
  readonly queries: CapturedQuery[] = [];
  count = 0;
  readonly nPlusOne: N1QueryDetection[] = [];
  private readonly groups = new Map<string, { group: RepeatGroup; detection?: N1QueryDetection }>();

  constructor(readonly parent: Capture | undefined) {}

  add(query: CapturedQuery, startMillis: number, rules: CaptureRules): void {
    this.count++;
    if (this.queries.length < MAX_CAPTURED_QUERIES) this.queries.push(query);
    if (rules.allowList.has(query.fingerprint)) return;
    let g = this.groups.get(query.fingerprint);
    if (g === undefined) {
      if (this.groups.size >= MAX_GROUPS) return;
      g = { group: new RepeatGroup(rules.threshold) };
      this.groups.set(query.fingerprint, g);
    }
    const group = g.group;
    group.add(startMillis, query.durationMillis, rules.windowMillis, rules.minTotalMillis);
    if (!group.detected) return;
    if (g.detection === undefined) {
      g.detection = {
        fingerprint: query.fingerprint,
        statement: clipStatement(query.text),
        summary: query.summary,
        parentSpanName: 'captureQueries',
        count: 0,
        totalDurationMillis: 0,
        firstSeen: '',
        lastSeen: '',
      };
      this.nPlusOne.push(g.detection);
    }
    g.detection.count = group.count;
    g.detection.totalDurationMillis = group.totalMillis;
    g.detection.firstSeen = new Date(group.firstStartMillis).toISOString();
    g.detection.lastSeen = new Date(group.lastEndMillis).toISOString();
  }
}
