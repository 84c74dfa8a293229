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
 * Wraps the finder statics of a model class once (so every model and scoped model
 * inheriting from it goes through the cache). A model whose Sequelize instance has no
 * cache installed goes straight to the original method.
 */
export function patchModelClass(modelClass: any): void {
  if (Object.prototype.hasOwnProperty.call(modelClass, PATCHED)) return;
  for (const [method, optionsIndex] of CACHED_METHODS) {
    if (!Object.prototype.hasOwnProperty.call(modelClass, method)) continue;
    const original = modelClass[method];
    if (typeof original !== 'function') continue;
    const wrapped = function (this: any, ...args: any[]): Promise<any> {
      const reader = registry.get(this.sequelize);
      if (reader === undefined) return original.apply(this, args);
      return reader.read(this, method, original, args, optionsIndex);
    };
    Object.defineProperty(wrapped, 'name', { value: method });
    modelClass[method] = wrapped;
  }
  modelClass[PATCHED] = true;
}

/**
 * Patches every class between `model` and the base Model that defines its own finder
 * statics. sequelize-typescript's `Model` copies the base statics into wrappers of its own
 * when it is loaded, so a patch of the base class alone would be bypassed when
 * sequelize-typescript was loaded first.
 */
export function patchModelChain(model: any, baseModel: any): void {
  for (let c = model; c && c !== baseModel && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (CACHED_METHODS.some(([m]) => Object.prototype.hasOwnProperty.call(c, m))) patchModelClass(c);
  }
}
