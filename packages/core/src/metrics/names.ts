/**
 * Metric and attribute names emitted by querylens. Prometheus names are given as
 * `@opentelemetry/exporter-prometheus` 0.301.0 renders them (checked by
 * test/metrics/prometheusNames.test.ts): dots become underscores, counters get `_total`,
 * histograms `_bucket`/`_sum`/`_count`, and the unit is NOT appended as a suffix (it is
 * only a `# UNIT` line), so there is no `_seconds` or `_bytes`. Every series also carries
 * `otel_scope_name="@querylens/core"` (or the emitting package's scope).
 * Histograms need explicit bucket advice: the SDK default buckets (0, 5, 10 ... 10000) suit
 * milliseconds, not seconds.
 */
export const MetricNames = {
  /** Histogram, seconds, buckets 0.001..10: `querylens_db_operation_duration_bucket|_sum|_count`; attributes `db_system_name`, `db_operation_name`, `db_collection_name`. */
  DB_OPERATION_DURATION: 'querylens.db.operation.duration',
  /** Counter: `querylens_db_slow_queries_total`. */
  DB_SLOW_QUERIES: 'querylens.db.slow_queries',
  /** Counter: `querylens_db_n_plus_one_total`. */
  DB_N_PLUS_ONE: 'querylens.db.n_plus_one',
  /** Observable gauge, seconds, over the last `reportWindowMillis`, attribute `quantile` (0.5, 0.95, 0.99): `querylens_db_query_duration_quantile`. */
  DB_QUERY_DURATION_QUANTILE: 'querylens.db.query.duration.quantile',
  /** Counter, attributes `querylens.cache.result` (hit|miss|bypass|error) and `querylens.cache.model`: `querylens_cache_requests_total`. */
  CACHE_REQUESTS: 'querylens.cache.requests',
  /** Histogram, seconds, attribute `querylens.cache.result` (hit|miss): `querylens_cache_duration_bucket|_sum|_count`. */
  CACHE_DURATION: 'querylens.cache.duration',
  /** Observable gauge: `querylens_cache_entries`. */
  CACHE_ENTRIES: 'querylens.cache.entries',
  /** Observable gauge, bytes, attribute `type` (heap_used|heap_total|rss|external): `querylens_runtime_memory`. */
  RUNTIME_MEMORY: 'querylens.runtime.memory',
  /** Observable gauge, seconds, attribute `quantile` (0.5, 0.99): `querylens_runtime_event_loop_delay`. */
  RUNTIME_EVENT_LOOP_DELAY: 'querylens.runtime.event_loop.delay',
  /** Counter: spans dropped by the export queue: `querylens_spans_dropped_total`. */
  SPANS_DROPPED: 'querylens.spans.dropped',
} as const;

/** Attribute keys written by querylens on spans. */
export const AttributeNames = {
  FINGERPRINT: 'querylens.query.fingerprint',
  SLOW_QUERY: 'querylens.slow_query',
  N_PLUS_ONE: 'querylens.n_plus_one',
  CACHE_RESULT: 'querylens.cache.result',
  CACHE_MODEL: 'querylens.cache.model',
} as const;

/** Description of `querylens.db.operation.duration` (shared by the SDK histogram and @querylens/node's producer). */
export const DB_OPERATION_DURATION_DESCRIPTION = 'Duration of database operations (one per query; a driver span under an ORM span counts once)';
