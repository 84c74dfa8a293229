/** The base Model class of the Sequelize in use (compared with instanceof). */
type ModelBase = abstract new (...args: any[]) => unknown;

/** Top-level finder options that do not change the result (or make the read bypass the cache). */
const IGNORED_TOP_LEVEL = new Set(['logging', 'benchmark', 'transaction', 'cache', 'hooks']);
const MAX_DEPTH = 24;

/** Thrown internally when an option cannot be described safely; the read then bypasses the cache. */
class Unkeyable extends Error {}

/**
 * Produces a canonical, unambiguous text for a finder call: method, model identity
 * (name, table, schema and active scope) and every option that can change the result,
 * including Sequelize operators (symbols), literals, functions and included models.
 * Returns undefined when some option cannot be described (an instance, an unknown
 * function, a cycle): such reads are not cached. The text holds query values, so it
 * is only ever used as HMAC input, never stored or logged.
 */
export function describeQuery(
  method: string,
  model: any,
  baseModel: ModelBase,
  args: readonly unknown[],
  optionsIndex: number,
): string | undefined {
  try {
    let out = method + '|' + modelIdentity(model, baseModel);
    for (let i = 0; i < args.length; i++) {
      out += '|';
      out += i === optionsIndex ? describeOptions(args[i], baseModel) : describe(args[i], baseModel, 0);
    }
    return out;
  } catch {
    return undefined;
  }
}

const identities = new WeakMap<object, { scope: unknown; id: string }>();

/**
 * Name, table and resolved scope of a model class. Memoised per class (scoped classes are
 * distinct) and per scope object (`addScope('defaultScope', ..., { override: true })`
 * replaces it).
 */
export function modelIdentity(model: any, baseModel: ModelBase): string {
  const memo = identities.get(model);
  if (memo !== undefined && memo.scope === model._scope) return memo.id;
  const table = model.getTableName();
  const id = `${model.name}@${describe(typeof table === 'string' ? table : String(table), baseModel, 0)}#${describe(model._scope ?? null, baseModel, 0)}`;
  identities.set(model, { scope: model._scope, id });
  return id;
}

function describeOptions(options: unknown, baseModel: ModelBase): string {
  if (options === undefined || options === null) return 'n';
  if (typeof options !== 'object') return describe(options, baseModel, 0);
  let out = '{';
  const o = options as Record<string | symbol, unknown>;
  for (const k of Object.keys(o)) {
    if (IGNORED_TOP_LEVEL.has(k) || o[k] === undefined) continue;
    out += k.length + ':' + k + '=' + describe(o[k], baseModel, 1) + ',';
  }
  for (const s of Object.getOwnPropertySymbols(o)) out += '@' + String(s.description) + '=' + describe(o[s], baseModel, 1) + ',';
  return out + '}';
}

function describe(v: unknown, baseModel: ModelBase, depth: number): string {
  if (depth > MAX_DEPTH) throw new Unkeyable('too deep');
  switch (typeof v) {
    case 'string':
      return 's' + v.length + ':' + v;
    case 'number':
      return 'd' + v;
    case 'boolean':
      return v ? 'T' : 'F';
    case 'undefined':
      return 'u';
    case 'bigint':
      return 'b' + v.toString();
    case 'symbol':
      return 'y' + String(v.description);
    case 'function':
      if (v.prototype instanceof baseModel) return 'M' + modelIdentity(v, baseModel);
      throw new Unkeyable('function');
  }
  if (v === null) return 'n';
  if (Array.isArray(v)) {
    let out = '[';
    for (const x of v) out += describe(x, baseModel, depth + 1) + ',';
    return out + ']';
  }
  if (v instanceof Date) return 'D' + v.getTime();
  if (Buffer.isBuffer(v)) return 'B' + v.toString('hex');
  if (v instanceof baseModel) throw new Unkeyable('instance');
  const o = v as Record<string | symbol, unknown>;
  if (typeof o.associationType === 'string' && typeof o.source === 'function') {
    return 'A' + modelIdentity(o.source, baseModel) + '.' + String(o.as);
  }
  const ctor = (v as object).constructor;
  if (ctor !== Object && ctor !== undefined && (ctor as any).name === 'Transaction') throw new Unkeyable('transaction');
  let out = (ctor === Object || ctor === undefined ? '' : String((ctor as any).name)) + '{';
  for (const k of Object.keys(o)) {
    if (o[k] === undefined) continue;
    out += k.length + ':' + k + '=' + describe(o[k], baseModel, depth + 1) + ',';
  }
  for (const s of Object.getOwnPropertySymbols(o)) out += '@' + String(s.description) + '=' + describe(o[s], baseModel, depth + 1) + ',';
  return out + '}';
}
