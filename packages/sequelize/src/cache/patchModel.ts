/** Finder statics the cache wraps, with the index of their options argument. */
export const CACHED_METHODS: ReadonlyArray<readonly [string, number]> = [
  ['findAll', 0],
  ['findOne', 0],
  ['findByPk', 1],
  ['findAndCountAll', 0],
  ['count', 0],
  ['aggregate', 2],
];

/** The part of the cache the patched statics call. */
export interface CachedReader {
  read(model: any, method: string, original: (...a: any[]) => Promise<any>, args: any[], optionsIndex: number): Promise<any>;
}

const PATCHED = Symbol.for('querylens.sequelize.cachePatched');
/** Installed caches by Sequelize instance (weak: a dropped Sequelize frees its cache). */
export const registry = new WeakMap<object, CachedReader>();

/**
 * Wraps the finder statics of Sequelize's base `Model` class once per class (so every
 * model, scoped model and sequelize-typescript model inherits it). A model whose
 * Sequelize instance has no cache installed goes straight to the original method.
 */
export function patchModelClass(baseModel: any): void {
  if (baseModel[PATCHED]) return;
  for (const [method, optionsIndex] of CACHED_METHODS) {
    const original = baseModel[method];
    if (typeof original !== 'function') continue;
    const wrapped = function (this: any, ...args: any[]): Promise<any> {
      const reader = registry.get(this.sequelize);
      if (reader === undefined) return original.apply(this, args);
      return reader.read(this, method, original, args, optionsIndex);
    };
    Object.defineProperty(wrapped, 'name', { value: method });
    baseModel[method] = wrapped;
  }
  baseModel[PATCHED] = true;
}
