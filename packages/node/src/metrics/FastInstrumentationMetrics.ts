import { diag, ValueType } from '@opentelemetry/api';
import type {
  Attributes, BatchObservableCallback, Counter, Gauge, Histogram, Meter, MeterOptions, MeterProvider, MetricOptions, Observable,
  ObservableCounter, ObservableGauge, ObservableUpDownCounter, UpDownCounter,
} from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { CollectionResult, MetricData, MetricProducer, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { OVERFLOW_ATTRIBUTES } from '@querylens/core';

/** The SDK's default boundaries of an explicit-bucket histogram without advice. */
export const DEFAULT_HISTOGRAM_BOUNDARIES: readonly number[] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
/** Series per instrument, the overflow series included, as the SDK's default cardinality limit: further sets go to the overflow series. */
export const MAX_SERIES_PER_INSTRUMENT = 2000;

interface Series {
  readonly attributes: Attributes;
  /** When its first measurement came (the SDK's start time of a cumulative series). */
  readonly startTimeMillis: number;
  /** Sum: the running total. Histogram: the sum of the values. */
  sum: number;
  count: number;
  min: number;
  max: number;
  /** Histogram only: counts[i] holds values in (boundaries[i-1], boundaries[i]]; the last one, the values above every boundary. */
  readonly counts: number[];
}

/**
 * Series of one instrument by attribute set. A measurement's attributes are looked up by an
 * unambiguous key built in their iteration order (lengths prefix every key and string value);
 * the first time a key is seen, the set is matched by content (sorted, like the SDK), so one
 * set given in two orders is one series.
 */
class SeriesTable {
  private readonly byOrderedKey = new Map<string, Series>();
  private readonly byContent = new Map<string, Series>();

  constructor(private readonly buckets: number) {}

  get(attributes: Attributes | undefined): Series {
    const key = orderedKey(attributes);
    const s = this.byOrderedKey.get(key);
    return s !== undefined ? s : this.find(key, attributes ?? {});
  }

  values(): IterableIterator<Series> {
    return this.byContent.values();
  }

  private find(key: string, attributes: Attributes): Series {
    const content = contentKey(attributes);
    let s = this.byContent.get(content);
    if (s === undefined) {
      if (this.byContent.size >= MAX_SERIES_PER_INSTRUMENT - 1) {
        const overflow = contentKey(OVERFLOW_ATTRIBUTES);
        s = this.byContent.get(overflow) ?? this.add(overflow, OVERFLOW_ATTRIBUTES);
      } else s = this.add(content, { ...attributes });
    }
    // bounded too: a caller that varies only the order of its keys cannot grow it without end
    if (this.byOrderedKey.size >= 4 * MAX_SERIES_PER_INSTRUMENT) this.byOrderedKey.clear();
    this.byOrderedKey.set(key, s);
    return s;
  }

  private add(content: string, attributes: Attributes): Series {
    const s: Series = { attributes, startTimeMillis: Date.now(), sum: 0, count: 0, min: Infinity, max: -Infinity, counts: new Array<number>(this.buckets).fill(0) };
    this.byContent.set(content, s);
    return s;
  }
}

/** The SDK's key of an attribute set (sorted keys): equal sets, equal keys. */
function contentKey(attributes: Attributes): string {
  return JSON.stringify(Object.keys(attributes).sort().map((k) => [k, attributes[k]]));
}

/**
 * A key of the attribute set in its iteration order, unambiguous: keys and string values are
 * prefixed with their length, numbers and booleans end with `;` (which neither contains),
 * anything else is JSON, length-prefixed.
 */
function orderedKey(attributes: Attributes | undefined): string {
  let key = '';
  if (attributes === undefined || attributes === null) return key;
  for (const k in attributes) {
    const v = attributes[k];
    if (typeof v === 'string') key += `${k.length}:${k}s${v.length}:${v}`;
    else if (typeof v === 'number') key += `${k.length}:${k}n${v};`;
    else if (typeof v === 'boolean') key += `${k.length}:${k}${v ? 't' : 'f'}`;
    else {
      const json = JSON.stringify(v) ?? 'undefined';
      key += `${k.length}:${k}j${json.length}:${json}`;
    }
  }
  return key;
}

/**
 * SQL commands kept as `db.operation.name` in metric attributes. instrumentation-pg takes the
 * statement up to its first space, upper-cased: a statement written with tabs or newlines
 * instead of spaces (`SELECT\t'Alice'`) would put its literals in a label.
 */
const SQL_COMMANDS: ReadonlySet<string> = new Set([
  'ABORT', 'ALTER', 'ANALYZE', 'BEGIN', 'CALL', 'CHECKPOINT', 'CLOSE', 'CLUSTER', 'COMMENT', 'COMMIT', 'COPY', 'CREATE',
  'DEALLOCATE', 'DECLARE', 'DELETE', 'DISCARD', 'DO', 'DROP', 'END', 'EXECUTE', 'EXPLAIN', 'FETCH', 'GRANT', 'IMPORT',
  'INSERT', 'LISTEN', 'LOAD', 'LOCK', 'MERGE', 'MOVE', 'NOTIFY', 'PREPARE', 'REASSIGN', 'REFRESH', 'REINDEX', 'RELEASE',
  'RESET', 'REVOKE', 'ROLLBACK', 'SAVEPOINT', 'SECURITY', 'SELECT', 'SET', 'SHOW', 'START', 'TABLE', 'TRUNCATE',
  'UNLISTEN', 'UPDATE', 'VACUUM', 'VALUES', 'WITH',
]);
const OPERATION_NAME = 'db.operation.name';

/**
 * The metric attributes with `db.operation.name` reduced to a known SQL command (its leading
 * letters, upper-cased), else `OTHER`; the same object when it already is one (or absent).
 */
export function guardAttributes(attributes: Attributes | undefined): Attributes | undefined {
  if (attributes === undefined || attributes === null) return attributes;
  const op = attributes[OPERATION_NAME];
  if (op === undefined || (typeof op === 'string' && SQL_COMMANDS.has(op))) return attributes;
  const word = typeof op === 'string' ? /^[A-Za-z]+/.exec(op)?.[0].toUpperCase() : undefined;
  return { ...attributes, [OPERATION_NAME]: word !== undefined && SQL_COMMANDS.has(word) ? word : 'OTHER' };
}

/**
 * The SDK's MeterProvider with {@link guardAttributes} applied to histograms (where
 * instrumentation-pg records `db.operation.name`): for the instrumentations when the fast
 * path is off.
 */
export function guardedMeterProvider(sdk: MeterProvider): MeterProvider {
  return {
    getMeter: (name: string, version?: string, options?: MeterOptions): Meter => {
      const meter = sdk.getMeter(name, version, options);
      return meterWith(meter, {
        createHistogram: (n: string, o?: MetricOptions): Histogram => {
          const h = meter.createHistogram(n, o);
          return { record: (value, attributes, context) => h.record(value, guardAttributes(attributes), context) };
        },
      });
    },
  };
}

type Synchronous = Pick<Meter, 'createCounter' | 'createUpDownCounter' | 'createHistogram'>;

/** A Meter with `own` synchronous instruments where given, everything else from `sdk`. */
function meterWith(sdk: Meter, own: Partial<Synchronous>): Meter {
  return {
    createCounter: own.createCounter ?? ((n: string, o?: MetricOptions): Counter => sdk.createCounter(n, o)),
    createUpDownCounter: own.createUpDownCounter ?? ((n: string, o?: MetricOptions): UpDownCounter => sdk.createUpDownCounter(n, o)),
    createHistogram: own.createHistogram ?? ((n: string, o?: MetricOptions): Histogram => sdk.createHistogram(n, o)),
    createGauge: (n: string, o?: MetricOptions): Gauge => sdk.createGauge(n, o),
    createObservableGauge: (n: string, o?: MetricOptions): ObservableGauge => sdk.createObservableGauge(n, o),
    createObservableCounter: (n: string, o?: MetricOptions): ObservableCounter => sdk.createObservableCounter(n, o),
    createObservableUpDownCounter: (n: string, o?: MetricOptions): ObservableUpDownCounter => sdk.createObservableUpDownCounter(n, o),
    addBatchObservableCallback: (cb: BatchObservableCallback, obs: Observable[]): void => sdk.addBatchObservableCallback(cb, obs),
    removeBatchObservableCallback: (cb: BatchObservableCallback, obs: Observable[]): void => sdk.removeBatchObservableCallback(cb, obs),
  };
}

type Kind = 'counter' | 'updowncounter' | 'histogram';

/** One synchronous instrument: its descriptor and its series. */
class FastInstrument implements Counter, UpDownCounter, Histogram {
  private readonly table: SeriesTable;
  /** `valueType: INT`: values are truncated to integers, as the SDK does. */
  private readonly integer: boolean;
  private warned = false;

  constructor(
    readonly kind: Kind,
    readonly name: string,
    readonly options: MetricOptions,
    /** Histogram boundaries (empty for sums). */
    readonly boundaries: readonly number[],
  ) {
    this.table = new SeriesTable(kind === 'histogram' ? boundaries.length + 1 : 0);
    this.integer = options.valueType === ValueType.INT;
  }

  add(value: number, attributes?: Attributes): void {
    if (typeof value !== 'number' || value !== value) return; // NaN, or not a number
    if (this.kind === 'counter' && value < 0) return this.warnOnce('a negative value on a counter');
    if (this.integer && !Number.isInteger(value) && !Number.isInteger((value = Math.trunc(value)))) return; // as the SDK does
    try {
      this.table.get(guardAttributes(attributes)).sum += value;
    } catch {
      this.warnOnce('a measurement whose attributes cannot be keyed (a BigInt, a cycle)');
    }
  }

  record(value: number, attributes?: Attributes): void {
    if (typeof value !== 'number' || !(value >= 0)) return this.warnOnce('a negative or non-numeric value on a histogram');
    if (this.integer && !Number.isInteger(value) && !Number.isInteger((value = Math.trunc(value)))) return;
    let s: Series;
    try {
      s = this.table.get(guardAttributes(attributes));
    } catch {
      return this.warnOnce('a measurement whose attributes cannot be keyed (a BigInt, a cycle)');
    }
    s.count++;
    s.sum += value;
    if (value < s.min) s.min = value;
    if (value > s.max) s.max = value;
    const b = this.boundaries;
    let i = 0;
    while (i < b.length && value > b[i]) i++;
    s.counts[i]++;
  }

  /** The data of this instrument in the SDK's shape (cumulative), or undefined before any measurement. */
  collect(endMillis: number): MetricData | undefined {
    const series = [...this.table.values()];
    if (series.length === 0) return undefined;
    const descriptor = {
      name: this.name,
      description: this.options.description ?? '',
      unit: this.options.unit ?? '',
      valueType: this.options.valueType ?? ValueType.DOUBLE,
    };
    const endTime = millisToHrTime(endMillis);
    if (this.kind === 'histogram') {
      return {
        descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: series.map((s) => ({
          attributes: s.attributes,
          startTime: millisToHrTime(s.startTimeMillis),
          endTime,
          value: { buckets: { boundaries: [...this.boundaries], counts: [...s.counts] }, sum: s.sum, count: s.count, min: s.min, max: s.max },
        })),
      };
    }
    return {
      descriptor,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      isMonotonic: this.kind === 'counter',
      dataPoints: series.map((s) => ({ attributes: s.attributes, startTime: millisToHrTime(s.startTimeMillis), endTime, value: s.sum })),
    };
  }

  private warnOnce(what: string): void {
    if (this.warned) return;
    this.warned = true;
    diag.warn(`@querylens/node: ${what} (${this.name}) was dropped`);
  }
}

interface Scope {
  name: string;
  version: string | undefined;
  schemaUrl: string | undefined;
  instruments: Map<string, FastInstrument>;
}

/**
 * The metrics of the instrumentations the register starts (http, pg), recorded without the
 * SDK's per-measurement work and read by the SDK's metric readers as a MetricProducer.
 *
 * Why: those instrumentations record on every request and every pool event (pg updates its
 * connection counters three times per acquire and per release), and the SDK serializes the
 * attributes of every measurement to a string key (sorting the keys, building arrays, then
 * JSON) before it finds the series. Measured on the bench app (3 queries per request), pg's
 * metrics cost about 10% of the throughput that way. Here a measurement costs a key built by
 * concatenation and one map lookup.
 *
 * What is exported is what the SDK would export for the same measurements: the instruments'
 * names, descriptions, units, value types, bucket boundaries (advice, else the SDK's defaults),
 * scopes, cumulative temporality; sums (monotonic for counters) and explicit-bucket histograms
 * with count, sum, min and max. Instruments with no measurement are not exported (like the SDK).
 * Bounded: {@link MAX_SERIES_PER_INSTRUMENT} series per instrument, the last one the overflow
 * series. Not applied: views and exemplars (the register configures neither). Gauges and
 * observable instruments go to the SDK meter unchanged (they do no per-request work).
 */
export class FastInstrumentationMetrics implements MetricProducer {
  private readonly scopes = new Map<string, Scope>();

  /** A MeterProvider for {@link Instrumentation.setMeterProvider}: synchronous sums and histograms here, the rest on `sdk`. */
  meterProvider(sdk: MeterProvider): MeterProvider {
    return {
      getMeter: (name: string, version?: string, options?: MeterOptions): Meter => this.meter(sdk.getMeter(name, version, options), name, version, options?.schemaUrl),
    };
  }

  collect(): Promise<CollectionResult> {
    const now = Date.now();
    const scopeMetrics: ScopeMetrics[] = [];
    for (const scope of this.scopes.values()) {
      const metrics: MetricData[] = [];
      for (const instrument of scope.instruments.values()) {
        const data = instrument.collect(now);
        if (data !== undefined) metrics.push(data);
      }
      if (metrics.length > 0) {
        scopeMetrics.push({
          // the SDK's scope: version '' when none was given
          scope: { name: scope.name, version: scope.version ?? '', ...(scope.schemaUrl !== undefined ? { schemaUrl: scope.schemaUrl } : {}) },
          metrics,
        });
      }
    }
    // the reader keeps the SDK's resource and takes only the scope metrics from producers
    return Promise.resolve({ resourceMetrics: { resource: emptyResource(), scopeMetrics }, errors: [] });
  }

  private meter(sdk: Meter, name: string, version: string | undefined, schemaUrl: string | undefined): Meter {
    const id = `${name}\u0000${version ?? ''}\u0000${schemaUrl ?? ''}`;
    let scope = this.scopes.get(id);
    if (scope === undefined) {
      scope = { name, version, schemaUrl, instruments: new Map() };
      this.scopes.set(id, scope);
    }
    const s = scope;
    /** The instrument `name` of `kind` in this scope (created once: a second creation returns it, as the SDK shares storage). */
    const instrument = (kind: Kind, instrumentName: string, options: MetricOptions = {}): FastInstrument | undefined => {
      const key = instrumentName.toLowerCase();
      const known = s.instruments.get(key);
      if (known !== undefined) return known.kind === kind ? known : undefined;
      const advice = options.advice?.explicitBucketBoundaries;
      // as the SDK: advice sorted, without infinities; else its defaults
      const boundaries =
        kind !== 'histogram' ? [] : Array.isArray(advice) ? advice.filter((b) => Number.isFinite(b)).sort((a, b) => a - b) : [...DEFAULT_HISTOGRAM_BOUNDARIES];
      const created = new FastInstrument(kind, instrumentName, { ...options }, boundaries);
      s.instruments.set(key, created);
      return created;
    };
    return meterWith(sdk, {
      createCounter: (n: string, o?: MetricOptions): Counter => instrument('counter', n, o) ?? sdk.createCounter(n, o),
      createUpDownCounter: (n: string, o?: MetricOptions): UpDownCounter => instrument('updowncounter', n, o) ?? sdk.createUpDownCounter(n, o),
      createHistogram: (n: string, o?: MetricOptions): Histogram => instrument('histogram', n, o) ?? sdk.createHistogram(n, o),
    });
  }
}
