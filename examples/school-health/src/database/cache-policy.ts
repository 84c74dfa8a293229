/**
 * Cache TTLs of the hot paths, in seconds (the seed's section 3.1 and section 9).
 * Kept in one place so the README, the tests and the services agree.
 */
export const CacheTtlSeconds = {
  studentList: 300,
  studentDetail: 600,
  appointmentCalendar: 300,
  contactStatistics: 600,
  emergencyContacts: 900,
  medicationCatalog: 1800,
  healthSummary: 300,
  mentalHealthTimeline: 300,
  userProfile: 900,
} as const;

/** The read option understood by `@querylens/sequelize`'s `QueryCache`. */
export interface CacheReadOption {
  cache: { ttlSeconds: number; keyPrefix: string };
}

/**
 * Opt a Sequelize read into the query cache; spread it into the find options:
 * `Model.findAll({ where, ...cached(CacheTtlSeconds.studentList, 'student_list') })`.
 * The key prefix names the hot path in cache keys and stats; the key itself is an HMAC of the query.
 */
export function cached(ttlSeconds: number, keyPrefix: string): CacheReadOption {
  return { cache: { ttlSeconds, keyPrefix } };
}
