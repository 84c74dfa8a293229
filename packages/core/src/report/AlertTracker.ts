import { diag } from '@opentelemetry/api';
import type { DetectionFacts } from '../processors/NPlusOneSpanProcessor';
import type { N1QueryDetection, PerformanceAlert, WindowFigures } from './types';

/** Alerts kept for the report (oldest dropped first). */
export const MAX_ALERTS = 100;
/** Longest statement quoted in an alert message. */
const MAX_STATEMENT_CHARS = 200;

/** Targets as resolved by the processor (milliseconds). */
export interface AlertTargets {
  p50Millis: number;
  p95Millis: number;
  p99Millis: number;
  maxNPlusOne: number;
  minSampleCount: number;
}

type Metric = 'p50' | 'p95' | 'p99';

/**
 * Evaluates targets into alerts. A percentile alert is raised when its target is first
 * missed and not again until the target has been met in between; an N+1 alert is raised
 * for each detection beyond `maxNPlusOne`. Each alert is logged once through `diag.warn`
 * (messages hold only figures and sanitized statements). Keeps at most {@link MAX_ALERTS}.
 */
export class AlertTracker {
  private readonly alerts: PerformanceAlert[] = [];
  /** The detection behind each N+1 alert (same bound as `alerts`), to show its current count. */
  private readonly sources = new WeakMap<PerformanceAlert, DetectionFacts>();
  private readonly active = new Set<Metric>();
  private nPlusOneSeen = 0;

  constructor(private readonly targets: AlertTargets) {}

  /** Evaluates the percentile targets over a window. */
  evaluate(window: WindowFigures): void {
    const t = this.targets;
    const enough = window.totalQueries >= t.minSampleCount;
    this.check('p50', enough, window.p50QueryTime, t.p50Millis, 'warning');
    this.check('p95', enough, window.p95QueryTime, t.p95Millis, 'warning');
    this.check('p99', enough, window.p99QueryTime, t.p99Millis, 'critical');
  }

  /** Records one N+1 detection; raises an alert once more than `maxNPlusOne` were seen. */
  nPlusOne(d: DetectionFacts): void {
    this.nPlusOneSeen++;
    if (this.nPlusOneSeen <= this.targets.maxNPlusOne) return;
    const alert: PerformanceAlert = {
      type: 'n_plus_one',
      severity: 'critical',
      message: nPlusOneMessage(d, d.count),
      timestamp: new Date().toISOString(),
      metric: 'n_plus_one',
      value: this.nPlusOneSeen,
      target: this.targets.maxNPlusOne,
    };
    this.sources.set(alert, d);
    this.raise(alert);
  }

  /** True while a percentile target is missed, or N+1 detections in the window exceed the target. */
  degraded(window: WindowFigures): boolean {
    return this.active.size > 0 || window.nPlusOneDetections > this.targets.maxNPlusOne;
  }

  /**
   * The alerts, oldest first. `detections` (the current N+1 detections): an N+1 alert whose
   * detection is among them shows its current count, as the report's `n1Detections` do (the
   * alert is raised when the threshold is reached; the loop may go on after).
   */
  list(detections?: readonly N1QueryDetection[]): PerformanceAlert[] {
    return this.alerts.map((a) => {
      const d = this.sources.get(a);
      if (d === undefined || detections === undefined) return { ...a };
      const now = detections.find((x) => x.parentSpanId === d.parentSpanId && x.fingerprint === d.fingerprint && x.traceId === d.traceId);
      return now === undefined || now.count === d.count ? { ...a } : { ...a, message: nPlusOneMessage(d, now.count) };
    });
  }

  reset(): void {
    this.alerts.length = 0;
    this.active.clear();
    this.nPlusOneSeen = 0;
  }

  private check(metric: Metric, enough: boolean, value: number, target: number, severity: 'warning' | 'critical'): void {
    if (!enough || value <= target) {
      if (enough) this.active.delete(metric);
      return;
    }
    if (this.active.has(metric)) return;
    this.active.add(metric);
    this.raise({
      type: 'performance_degradation',
      severity,
      message: `${metric.toUpperCase()} query time ${Math.round(value)}ms exceeds ${target}ms target`,
      timestamp: new Date().toISOString(),
      metric,
      value,
      target,
    });
  }

  private raise(alert: PerformanceAlert): void {
    // Alerts are plain objects; the WeakMap entry of a dropped alert goes with it.
    this.alerts.push(alert);
    if (this.alerts.length > MAX_ALERTS) this.alerts.shift();
    diag.warn(`querylens alert [${alert.severity}] ${alert.message}`);
  }
}

function nPlusOneMessage(d: DetectionFacts, count: number): string {
  const statement = d.statement.length > MAX_STATEMENT_CHARS ? `${d.statement.slice(0, MAX_STATEMENT_CHARS)}...` : d.statement;
  return `N+1 query pattern detected under "${d.parentSpanName}": ${statement} (${count} occurrences, fingerprint ${d.fingerprint})`;
}
