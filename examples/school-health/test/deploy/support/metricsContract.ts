import { loadDashboard } from './dashboard';
import { deployFile, loadYaml } from './deployPaths';
import { type MetricSelector, selectorsIn } from './promql';

/** Series Prometheus makes itself (not on the app's /metrics). */
export const PROMETHEUS_OWN = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE']);

/** Labels Prometheus adds at scrape time. */
export const TARGET_LABELS = new Set(['job', 'instance']);

/** Where a selector was found, for failure messages. */
export interface UsedSelector extends MetricSelector {
  where: string;
}

/** The PromQL of alerts.yml: alert name -> expression. */
export function alertExpressions(): Map<string, string> {
  const rules = loadYaml(deployFile('prometheus', 'alerts.yml')).groups.flatMap((g: any) => g.rules);
  return new Map(rules.map((r: any) => [r.alert ?? r.record, r.expr]));
}

/** The PromQL of the dashboard: "panel title/refId" -> expression. */
export function dashboardExpressions(): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of loadDashboard().panels) for (const t of p.targets) out.set(`${p.title}/${t.refId}`, t.expr);
  return out;
}

/** Every metric selector used by the alert rules, the dashboard and the Grafana data sources. */
export function usedSelectors(): UsedSelector[] {
  const out: UsedSelector[] = [];
  for (const [name, expr] of alertExpressions()) for (const s of selectorsIn(expr)) out.push({ ...s, where: `alerts.yml ${name}` });
  for (const [name, expr] of dashboardExpressions()) for (const s of selectorsIn(expr)) out.push({ ...s, where: `dashboard ${name}` });
  const ds = loadYaml(deployFile('grafana', 'provisioning', 'datasources', 'datasources.yml')).datasources;
  for (const d of ds) {
    for (const q of d.jsonData?.tracesToMetrics?.queries ?? []) for (const s of selectorsIn(q.query)) out.push({ ...s, where: `datasource ${d.name} ${q.name}` });
  }
  return out;
}

/**
 * What a scrape lacks: one message per selector whose metric is missing, or whose
 * matcher names a label the metric does not have.
 */
export function missingFromScrape(families: Map<string, Set<string>>, selectors: UsedSelector[], ignore: Set<string> = new Set()): string[] {
  const problems = new Set<string>();
  for (const s of selectors) {
    if (PROMETHEUS_OWN.has(s.name) || ignore.has(s.name)) continue;
    const labels = families.get(s.name);
    if (!labels) {
      problems.add(`${s.name} (used by ${s.where}) is not on /metrics`);
      continue;
    }
    for (const l of s.labels) {
      if (!TARGET_LABELS.has(l) && !labels.has(l)) problems.add(`${s.name} has no label ${l} (used by ${s.where})`);
    }
  }
  return [...problems];
}
