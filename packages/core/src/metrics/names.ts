/**
 * Metric and attribute names emitted by querylens. Prometheus names (as the
 * OpenTelemetry Prometheus exporter renders them) are given for dashboards and rules.
 */
export const MetricNames = {
  /** Histogram, seconds: `querylens_db_operation_duration_seconds`. */
  DB_OPERATION_DURATION: 'querylens.db.operation.duration',
  /** Counter: `querylens_db_slow_queries_total`. */
  DB_SLOW_QUERIES: 'querylens.db.slow_queries',
  /** Counter: `querylens_db_n_plus_one_total`. */
  DB_N_PLUS_ONE: 'querylens.db.n_plus_one',
  /** Observable gauge, seconds, attribute `quantile` (0.5, 0.95, 0.99): `querylens_db_query_duration_quantile_seconds`. */
  DB_QUERY_DURATION_QUANTILE: 'querylens.db.query.duration.quantile',
  /** Counter, attributes `querylens.cache.result` (hit|miss|bypass|error) and `querylens.cache.model`: `querylens_cache_requests_total`. */
  CACHE_REQUESTS: 'querylens.cache.requests',
  /** Histogram, seconds, attribute `querylens.cache.result` (hit|miss): `querylens_cache_duration_seconds`. */
  CACHE_DURATION: 'querylens.cache.duration',
  /** Observable gauge: `querylens_cache_entries`. */
  CACHE_ENTRIES: 'querylens.cache.entries',
  /** Observable gauge, bytes, attribute `type` (heap_used|heap_total|rss|external): `querylens_runtime_memory_bytes`. */
  RUNTIME_MEMORY: 'querylens.runtime.memory',
  /** Observable gauge, seconds, attribute `quantile` (0.5, 0.99): `querylens_runtime_event_loop_delay_seconds`. */
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
