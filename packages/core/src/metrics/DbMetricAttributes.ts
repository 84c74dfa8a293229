import type { Attributes } from '@opentelemetry/api';
import type { QueryInfo } from '../processors/queryInfo';
import { DB_COLLECTION_NAME, DB_OPERATION_NAME, DB_SYSTEM_NAME } from '../util/spanAttributes';

/** Value used for `db.collection.name` once the label budget is spent. */
export const OTHER = '_other';

const FALLBACK_OTHER: Attributes = Object.freeze({ [DB_SYSTEM_NAME]: OTHER, [DB_OPERATION_NAME]: OTHER, [DB_COLLECTION_NAME]: OTHER });

/**
 * Metric attributes of a DB span: `db.system.name`, `db.operation.name`, `db.collection.name`
 * only (never a fingerprint, statement or value). Cardinality is capped: at most `maxSets`
 * distinct sets (default 500); past that, new collections are reported as `_other`. The
 * attribute objects are cached, so recording allocates nothing, and one set is always the
 * same object (a {@link DurationHistogram} keys its series by identity).
 */
export class DbMetricAttributes {
  private readonly sets = new Map<string, Attributes>();
  /** system -> summary -> attributes (a summary determines operation and collection); capped with `sets`. */
  private readonly bySummary = new Map<string, Map<string, Attributes>>();
  private readonly fallbacks = new Map<string, Attributes>();

  constructor(private readonly maxSets = 500) {}

  of(system: string, info: QueryInfo): Attributes {
    let summaries = this.bySummary.get(system);
    if (summaries === undefined) {
      summaries = new Map();
      if (this.bySummary.size < 16) this.bySummary.set(system, summaries);
    }
    let attrs = summaries.get(info.summary);
    if (attrs !== undefined) return attrs;
    attrs = this.compute(system, info);
    if (summaries.size < this.maxSets) summaries.set(info.summary, attrs);
    return attrs;
  }

  private compute(system: string, info: QueryInfo): Attributes {
    const key = `${system}\u0000${info.operation}\u0000${info.collection ?? ''}`;
    let attrs = this.sets.get(key);
    if (attrs !== undefined) return attrs;
    let collection = info.collection;
    if (this.sets.size >= this.maxSets) {
      const otherKey = `${system}\u0000${info.operation}\u0000${OTHER}`;
      attrs = this.sets.get(otherKey);
      if (attrs !== undefined) return attrs;
      if (this.sets.size >= this.maxSets * 2) return this.fallback(system);
      collection = OTHER;
    }
    attrs = { [DB_SYSTEM_NAME]: system, [DB_OPERATION_NAME]: info.operation };
    if (collection !== undefined) attrs[DB_COLLECTION_NAME] = collection;
    this.sets.set(collection === OTHER ? `${system}\u0000${info.operation}\u0000${OTHER}` : key, attrs);
    return attrs;
  }

  /** Per system, the same object every time (recorders key series by object identity); at most 16 systems, then one for all. */
  private fallback(system: string): Attributes {
    let attrs = this.fallbacks.get(system);
    if (attrs === undefined) {
      const known = this.fallbacks.size < 16;
      attrs = known ? { [DB_SYSTEM_NAME]: system, [DB_OPERATION_NAME]: OTHER, [DB_COLLECTION_NAME]: OTHER } : FALLBACK_OTHER;
      if (known) this.fallbacks.set(system, attrs);
    }
    return attrs;
  }
}
