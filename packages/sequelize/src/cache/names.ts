/**
 * Metric and attribute names, identical to `MetricNames`/`AttributeNames` of
 * `@querylens/core` (a test checks they match). Kept here so that loading this package
 * never depends on the rest of core being built.
 */
export const CacheMetricNames = {
  CACHE_REQUESTS: 'querylens.cache.requests',
  CACHE_DURATION: 'querylens.cache.duration',
  CACHE_ENTRIES: 'querylens.cache.entries',
} as const;

export const CacheAttributeNames = {
  CACHE_RESULT: 'querylens.cache.result',
  CACHE_MODEL: 'querylens.cache.model',
} as const;
