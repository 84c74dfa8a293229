/** A metric selector found in a PromQL expression: the metric name and the label names it matches on. */
export interface MetricSelector {
  name: string;
  labels: string[];
}

const NOT_METRICS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/**
 * The metric selectors of a PromQL expression (enough of PromQL for our rules and
 * dashboard: functions, aggregations with by/without, binary operators, offsets,
 * range selectors and Grafana's `$__` variables).
 */
export function selectorsIn(expr: string): MetricSelector[] {
  const s = expr
    .replace(/\$__\w+/g, '5m')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  const out: MetricSelector[] = [];
  const token = /(?<![\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?\s*(\()?/g;
  for (let m = token.exec(s); m; m = token.exec(s)) {
    const [, name, braces, call] = m;
    if (call || NOT_METRICS.has(name.toLowerCase())) continue;
    const labels = braces ? [...braces.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)\s*"/g)].map((l) => l[1]) : [];
    out.push({ name, labels });
  }
  return out;
}

/** Sample name -> label names seen on it, from a Prometheus text exposition. */
export function parseExposition(text: string): Map<string, Set<string>> {
  const families = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+\S+/.exec(line);
    if (!m) continue;
    const labels = families.get(m[1]) ?? new Set<string>();
    for (const l of (m[3] ?? '').matchAll(/(?:^|,)([a-zA-Z_]\w*)="/g)) labels.add(l[1]);
    families.set(m[1], labels);
  }
  return families;
}
