/** Per-route HTTP figures, as `GET /monitoring/endpoints` returns them (durations in ms). */
export interface RequestMetrics {
  /** Route template (`/students/:id`), never the raw URL. */
  endpoint: string;
  method: string;
  count: number;
  avgDuration: number;
  minDuration: number;
  maxDuration: number;
  /** Percentiles over the last {@link RequestMetricsStoreOptions.recentDurations} requests of this route. */
  p50Duration: number;
  p95Duration: number;
  p99Duration: number;
  /** Responses with status >= 500. */
  errorCount: number;
  /** errorCount / count, 0..1. */
  errorRate: number;
  /** Count per status class: `2xx`, `3xx`, `4xx`, `5xx`. */
  statusCodes: Record<string, number>;
  /** ISO time of the last request. */
  lastRequestAt: string;
}

/** Totals over all routes (durations in ms). */
export interface RequestTotals {
  total: number;
  /** Requests per second over the last minute (or since start when younger). */
  perSecond: number;
  avgDuration: number;
  /** Share of responses with status >= 500, 0..1. */
  errorRate: number;
  /** Share of responses with status 400..499, 0..1. */
  clientErrorRate: number;
}

/** Options of {@link RequestMetricsStore}. */
export interface RequestMetricsStoreOptions {
  /**
   * Maximum distinct (method, route template) keys. Once reached, requests of
   * new keys are counted under the single key `OTHER (other)`; existing keys
   * are never evicted, so figures do not jump. @default 200
   */
  maxRoutes?: number;
  /** Durations kept per route for its percentiles (a ring). @default 128 */
  recentDurations?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/** Key under which requests beyond {@link RequestMetricsStoreOptions.maxRoutes} are counted. */
export const OVERFLOW_ROUTE = '(other)';

interface RouteState {
  endpoint: string;
  method: string;
  count: number;
  totalMillis: number;
  minMillis: number;
  maxMillis: number;
  errors: number;
  statusClasses: Record<string, number>;
  recent: number[];
  recentNext: number;
  lastAt: number;
}

const WINDOW_SECONDS = 60;

/**
 * Bounded in-memory store of HTTP request figures keyed by method and ROUTE
 * TEMPLATE. Raw URLs carry ids and query strings (PHI) and must never be
 * passed here. `record` is O(1) amortized and never throws.
 */
export class RequestMetricsStore {
  private readonly maxRoutes: number;
  private readonly recentDurations: number;
  private readonly now: () => number;
  private readonly routes = new Map<string, RouteState>();
  private readonly startedAt: number;
  private total = 0;
  private totalMillis = 0;
  private errors = 0;
  private clientErrors = 0;
  /** Requests per epoch second, a ring of {@link WINDOW_SECONDS} buckets. */
  private readonly perSecondCounts = new Array<number>(WINDOW_SECONDS).fill(0);
  private readonly perSecondStamps = new Array<number>(WINDOW_SECONDS).fill(-1);

  constructor(options: RequestMetricsStoreOptions = {}) {
    this.maxRoutes = options.maxRoutes ?? 200;
    this.recentDurations = options.recentDurations ?? 128;
    if (!Number.isInteger(this.maxRoutes) || this.maxRoutes < 1) {
      throw new Error(`RequestMetricsStore: maxRoutes must be a positive integer, got ${String(options.maxRoutes)}`);
    }
    if (!Number.isInteger(this.recentDurations) || this.recentDurations < 1) {
      throw new Error(`RequestMetricsStore: recentDurations must be a positive integer, got ${String(options.recentDurations)}`);
    }
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** Number of distinct keys held (bounded by maxRoutes + 1 for the overflow key). */
  get routeCount(): number {
    return this.routes.size;
  }

  /** Records one finished request. */
  record(method: string, routeTemplate: string, statusCode: number, durationMillis: number): void {
    const now = this.now();
    const millis = Number.isFinite(durationMillis) && durationMillis >= 0 ? durationMillis : 0;
    let key = `${method} ${routeTemplate}`;
    let state = this.routes.get(key);
    if (!state && this.routes.size >= this.maxRoutes) {
      key = `OTHER ${OVERFLOW_ROUTE}`;
      state = this.routes.get(key);
      method = 'OTHER';
      routeTemplate = OVERFLOW_ROUTE;
    }
    if (!state) {
      state = {
        endpoint: routeTemplate, method, count: 0, totalMillis: 0, minMillis: Infinity, maxMillis: 0,
        errors: 0, statusClasses: {}, recent: [], recentNext: 0, lastAt: now,
      };
      this.routes.set(key, state);
    }
    const statusClass = statusCode >= 100 && statusCode < 600 ? `${Math.floor(statusCode / 100)}xx` : 'other';
    state.count++;
    state.totalMillis += millis;
    state.minMillis = Math.min(state.minMillis, millis);
    state.maxMillis = Math.max(state.maxMillis, millis);
    state.statusClasses[statusClass] = (state.statusClasses[statusClass] ?? 0) + 1;
    state.lastAt = now;
    if (state.recent.length < this.recentDurations) state.recent.push(millis);
    else state.recent[state.recentNext] = millis;
    state.recentNext = (state.recentNext + 1) % this.recentDurations;

    this.total++;
    this.totalMillis += millis;
    if (statusCode >= 500) {
      state.errors++;
      this.errors++;
    } else if (statusCode >= 400) {
      this.clientErrors++;
    }
    const second = Math.floor(now / 1000);
    const slot = second % WINDOW_SECONDS;
    if (this.perSecondStamps[slot] !== second) {
      this.perSecondStamps[slot] = second;
      this.perSecondCounts[slot] = 0;
    }
    this.perSecondCounts[slot]++;
  }

  /** Figures of every route, optionally filtered by route template and/or method, busiest first. */
  list(filter: { endpoint?: string; method?: string } = {}): RequestMetrics[] {
    const out: RequestMetrics[] = [];
    for (const s of this.routes.values()) {
      if (filter.endpoint !== undefined && s.endpoint !== filter.endpoint) continue;
      if (filter.method !== undefined && s.method !== filter.method) continue;
      const sorted = [...s.recent].sort((a, b) => a - b);
      out.push({
        endpoint: s.endpoint,
        method: s.method,
        count: s.count,
        avgDuration: round(s.totalMillis / s.count),
        minDuration: round(s.minMillis),
        maxDuration: round(s.maxMillis),
        p50Duration: round(quantile(sorted, 0.5)),
        p95Duration: round(quantile(sorted, 0.95)),
        p99Duration: round(quantile(sorted, 0.99)),
        errorCount: s.errors,
        errorRate: round(s.errors / s.count, 4),
        statusCodes: { ...s.statusClasses },
        lastRequestAt: new Date(s.lastAt).toISOString(),
      });
    }
    return out.sort((a, b) => b.count - a.count);
  }

  /** Totals over all routes. */
  totals(): RequestTotals {
    const now = this.now();
    const second = Math.floor(now / 1000);
    let recent = 0;
    for (let i = 0; i < WINDOW_SECONDS; i++) {
      const stamp = this.perSecondStamps[i];
      if (stamp > second - WINDOW_SECONDS && stamp <= second) recent += this.perSecondCounts[i];
    }
    const elapsedSeconds = Math.min(WINDOW_SECONDS, Math.max(1, (now - this.startedAt) / 1000));
    return {
      total: this.total,
      perSecond: round(recent / elapsedSeconds),
      avgDuration: this.total === 0 ? 0 : round(this.totalMillis / this.total),
      errorRate: this.total === 0 ? 0 : round(this.errors / this.total, 4),
      clientErrorRate: this.total === 0 ? 0 : round(this.clientErrors / this.total, 4),
    };
  }
}

/** Nearest-rank quantile of an ascending array (0 when empty). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
