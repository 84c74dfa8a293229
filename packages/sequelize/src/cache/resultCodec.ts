/** The base Model class of the Sequelize in use (compared with instanceof). */
type ModelBase = abstract new (...args: any[]) => unknown;

/**
 * Turns finder results into a plain payload (a private deep copy of each instance's
 * `dataValues`, includes nested) and back into real instances. Rebuilding uses the
 * build options Sequelize itself used for the original rows (`instance._options`), so
 * includes, `isNewRecord: false` and raw values come back exactly as from the database.
 */

/** Encoded result: `i` one instance (or null), `a` instances, `c` findAndCountAll, `p` plain value. */
export type Payload =
  | { readonly k: 'i'; readonly v: Record<string, unknown> | null }
  | { readonly k: 'a'; readonly v: ReadonlyArray<Record<string, unknown>> }
  | { readonly k: 'c'; readonly count: unknown; readonly rows: Payload }
  | { readonly k: 'p'; readonly v: unknown };

export interface Encoded {
  readonly payload: Payload;
  /** Build options of the root instances (process-local). */
  readonly build?: unknown;
}

/** Encodes a result; undefined when it holds something that cannot be copied safely. */
export function encodeResult(result: unknown, baseModel: ModelBase): Encoded | undefined {
  try {
    if (result instanceof baseModel) {
      return { payload: { k: 'i', v: extract(result, baseModel) }, build: (result as any)._options };
    }
    if (Array.isArray(result) && result.length > 0 && result[0] instanceof baseModel) {
      if (!result.every((r) => r instanceof baseModel)) return undefined;
      return { payload: { k: 'a', v: result.map((r) => extract(r, baseModel)) }, build: (result[0] as any)._options };
    }
    if (isFindAndCount(result)) {
      const rows = encodeResult(result.rows, baseModel);
      if (!rows) return undefined;
      return { payload: { k: 'c', count: copy(result.count, baseModel), rows: rows.payload }, build: rows.build };
    }
    return { payload: { k: 'p', v: copy(result, baseModel) } };
  } catch {
    return undefined;
  }
}

/**
 * Rebuilds a result. `fresh` says the payload is already private (decoded from Redis);
 * otherwise it is copied first, so no two results share an object.
 * `build` comes from the miss that stored the entry, or from {@link buildOptionsFor}.
 */
export function decodeResult(payload: Payload, model: any, build: any, fresh: boolean, baseModel: ModelBase): unknown {
  switch (payload.k) {
    case 'i':
      return payload.v === null ? null : model.build(fresh ? payload.v : copy(payload.v, baseModel), build);
    case 'a': {
      const rows = payload.v;
      const out = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = model.build(fresh ? rows[i] : copy(rows[i], baseModel), build);
      return out;
    }
    case 'c':
      return { count: fresh ? payload.count : copy(payload.count, baseModel), rows: decodeResult(payload.rows, model, build, fresh, baseModel) };
    case 'p':
      return fresh ? payload.v : copy(payload.v, baseModel);
  }
}

/**
 * Build options equivalent to those `findAll` passes to `bulkBuild`, computed from the
 * call's options. Used when an entry written by another process is read here first.
 */
export function buildOptionsFor(model: any, options: any): unknown {
  const o: any = { ...(options ?? {}), include: options?.include ? cloneIncludes(options.include) : undefined };
  model._injectScope(o);
  model._conformIncludes(o, model);
  if (o.include) {
    model._expandIncludeAll(o);
    model._validateIncludedElements(o);
  }
  return {
    isNewRecord: false,
    raw: true,
    include: o.include,
    includeNames: o.includeNames,
    includeMap: o.includeMap,
    includeValidated: true,
  };
}

function cloneIncludes(include: any): any {
  if (Array.isArray(include)) return include.map(cloneIncludes);
  if (include && typeof include === 'object' && Object.getPrototypeOf(include) === Object.prototype) {
    const c = { ...include };
    if (c.include) c.include = cloneIncludes(c.include);
    return c;
  }
  return include;
}

function isFindAndCount(r: unknown): r is { count: unknown; rows: unknown[] } {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return false;
  const keys = Object.keys(r);
  return keys.length === 2 && 'count' in r && 'rows' in r && Array.isArray((r as any).rows);
}

function extract(instance: any, baseModel: ModelBase): Record<string, unknown> {
  const dv = instance.dataValues as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(dv)) out[k] = copy(dv[k], baseModel);
  return out;
}

/** Deep copy of plain data; model instances become their extracted `dataValues`. */
function copy(v: any, baseModel: ModelBase): any {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date) return new Date(v.getTime());
  if (Buffer.isBuffer(v)) return Buffer.from(v);
  if (Array.isArray(v)) {
    const a = new Array(v.length);
    for (let i = 0; i < v.length; i++) a[i] = copy(v[i], baseModel);
    return a;
  }
  if (v instanceof baseModel) return extract(v, baseModel);
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new Error('uncopyable value');
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) o[k] = copy(v[k], baseModel);
  return o;
}
