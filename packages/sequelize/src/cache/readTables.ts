import { normalizeTableName } from '../sql/tableNames';

/** Normalised table name of a model class. */
export function tableOf(model: any): string {
  const t = model.getTableName();
  return normalizeTableName(typeof t === 'string' ? t : String(t.tableName ?? t));
}

const simpleTables = new WeakMap<object, readonly string[]>();

/**
 * Every table a finder call reads: the model, its default/active scope's includes, every
 * included model (recursively, with their scopes), and the through table of every
 * matching many-to-many association. `include: { all: true }` adds every model reachable
 * through associations. Over-collecting is safe (only costs hit rate); the SQL actually
 * run on a miss is checked against this list before anything is stored.
 */
export function collectReadTables(model: any, options: any, extra?: readonly unknown[]): readonly string[] {
  const include = options?.include;
  if ((include === undefined || include === null) && !model._scope?.include && !extra?.length) {
    let cached = simpleTables.get(model);
    if (cached === undefined) {
      cached = [tableOf(model)];
      simpleTables.set(model, cached);
    }
    return cached;
  }
  const out = new Set<string>();
  addModel(model, out, new Set());
  addIncludes(model, include, out, new Set());
  for (const d of extra ?? []) out.add(typeof d === 'string' ? normalizeTableName(d) : tableOf(d));
  return [...out].sort();
}

function addModel(model: any, out: Set<string>, seen: Set<object>): void {
  out.add(tableOf(model));
  if (seen.has(model)) return;
  seen.add(model);
  const scopeInclude = model._scope?.include;
  if (scopeInclude) addIncludes(model, scopeInclude, out, seen);
}

function addAll(model: any, out: Set<string>, seen: Set<object>): void {
  const stack = [model];
  const visited = new Set<object>();
  while (stack.length) {
    const m = stack.pop();
    if (visited.has(m)) continue;
    visited.add(m);
    addModel(m, out, seen);
    for (const a of Object.values<any>(m.associations ?? {})) {
      stack.push(a.target);
      if (a.through?.model) out.add(tableOf(a.through.model));
    }
  }
}

function addIncludes(parent: any, include: any, out: Set<string>, seen: Set<object>): void {
  if (include === undefined || include === null) return;
  const items = Array.isArray(include) ? include : [include];
  for (const item of items) {
    if (item === undefined || item === null) continue;
    if (typeof item === 'function') {
      addTarget(parent, item, undefined, out, seen);
      continue;
    }
    if (typeof item.associationType === 'string') {
      addAssociation(item, out, seen);
      continue;
    }
    if (item.all) {
      addAll(parent, out, seen);
      continue;
    }
    let target = item.model;
    if (item.association) {
      const assoc = typeof item.association === 'string' ? parent.associations?.[item.association] : item.association;
      if (assoc) {
        addAssociation(assoc, out, seen);
        target = target ?? assoc.target;
      } else {
        addAll(parent, out, seen);
      }
    }
    if (target) addTarget(parent, target, item.as, out, seen);
    if (item.through?.model) addModel(item.through.model, out, seen);
    if (target) addIncludes(target, item.include, out, seen);
    else addAll(parent, out, seen);
  }
}

function addTarget(parent: any, target: any, as: string | undefined, out: Set<string>, seen: Set<object>): void {
  addModel(target, out, seen);
  for (const a of Object.values<any>(parent.associations ?? {})) {
    if (a.target === target || a.target?.name === target.name || (as !== undefined && a.as === as)) addAssociation(a, out, seen);
  }
}

function addAssociation(assoc: any, out: Set<string>, seen: Set<object>): void {
  if (assoc.target) addModel(assoc.target, out, seen);
  if (assoc.through?.model) addModel(assoc.through.model, out, seen);
}
