import { analyzeSql, normalizeTableName, type AnalyzeSqlOptions, type WriteTarget } from '../sql/tableNames';
import { tableOf } from './readTables';

const ALL: WriteTarget = { all: true, tables: [] };
/** Marker added to a read sink when a statement could not be parsed: the read is not stored. */
export const UNKNOWN_TABLE = '\u0000unknown';
/** Marker added to a read sink when a statement's result depends on time or chance (NOW(), random()): not stored. */
export const VOLATILE_READ = '\u0000volatile';
/** Marker added to a read sink when a statement calls a function not known to be read-only: not stored. */
export const UNKNOWN_FUNCTION = '\u0000function';
/**
 * Option key carrying a cache miss's read sink down to `sequelize.query` (Sequelize copies
 * symbol keys and keeps non-plain objects by reference when it clones finder options).
 * Used instead of AsyncLocalStorage, which would enable promise hooks process-wide.
 */
export const READ_SINK = Symbol('querylens.readSink');

interface Pending {
  all: boolean;
  tables: Set<string>;
}

/**
 * The single choke point for invalidation: wraps `sequelize.query`, through which every
 * model method, QueryInterface call and raw query runs. Each statement's written tables
 * are parsed from its SQL (unknown statements invalidate everything) and expanded to the
 * tables whose foreign keys reference them (ON DELETE/UPDATE CASCADE or SET NULL change
 * those rows too). Outside a transaction the bump runs after the statement, before its
 * promise resolves. Inside one, the tables are collected on the root transaction and
 * bumped twice: just before its COMMIT is sent and again after it (`afterCommit`).
 *
 * It also records, for a cache miss in progress (its options carry {@link READ_SINK}), the
 * tables its SELECTs really read, so a read whose SQL touches a table the cache did not
 * know about is never stored.
 */
export class WriteInterceptor {
  /** Pending invalidations per root transaction; entries die with the transaction object. */
  private readonly pending = new WeakMap<object, Pending>();
  private original?: (...a: any[]) => Promise<any>;
  private wrapped?: (...a: any[]) => Promise<any>;
  private dependents = new Map<string, readonly string[]>();
  private dependentsModelCount = -1;
  private readonly sqlOptions: AnalyzeSqlOptions;
  /** The same, without the read tables (only a cache miss needs them). */
  private readonly writeOnly: AnalyzeSqlOptions;

  /**
   * @param readOnlyFunctions functions (besides PostgreSQL's read-only built-ins) that change no table data.
   * @param writeDependencies extra tables written (by triggers) when a table is written, by model or table name.
   */
  constructor(
    private readonly sequelize: any,
    private readonly invalidate: (all: boolean, tables: readonly string[]) => Promise<void>,
    readOnlyFunctions: ReadonlySet<string>,
    private readonly writeDependencies: Readonly<Record<string, readonly string[]>> = {},
  ) {
    // Sequelize sets standard_conforming_strings=on on every connection unless told not to.
    this.sqlOptions = { backslashEscapes: sequelize?.options?.standardConformingStrings === false, readOnlyFunctions };
    this.writeOnly = { ...this.sqlOptions, readTables: false };
  }

  install(): void {
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the wrapper needs both its own `this` (the Sequelize) and ours
    const own = Object.prototype.hasOwnProperty.call(this.sequelize, 'query');
    this.original = own ? this.sequelize.query : undefined;
    // Without an own `query`, look the prototype's up at each call, so a later patch of
    // Sequelize.prototype.query (another instrumentation) still runs.
    const proto = Object.getPrototypeOf(this.sequelize);
    const original = own
      ? this.sequelize.query
      : function protoQuery(this: any, ...a: any[]): Promise<any> {
          return proto.query.apply(this, a);
        };
    this.wrapped = function wrappedQuery(this: any, ...args: any[]): Promise<any> {
      const [sql, options] = args;
      let target: WriteTarget;
      let tables: readonly string[];
      try {
        const text: string | undefined = typeof sql === 'string' ? sql : typeof sql?.query === 'string' ? sql.query : undefined;
        if (options?.completesTransaction && options.transaction && text !== undefined && /^\s*COMMIT\b/i.test(text)) {
          const p = self.pending.get(rootOf(options.transaction));
          if (p !== undefined) {
            // First invalidation of the transaction's writes: just before COMMIT (the second runs after it).
            return self.invalidate(p.all, [...p.tables]).then(() => original.apply(this, args));
          }
        }
        const sink: Set<string> | undefined = options?.[READ_SINK];
        const parsed = text === undefined ? undefined : analyzeSql(text, sink === undefined ? self.writeOnly : self.sqlOptions);
        if (sink !== undefined) {
          if (parsed === undefined) sink.add(UNKNOWN_TABLE);
          else {
            for (const t of parsed.readTables) sink.add(t);
            if (parsed.volatile) sink.add(VOLATILE_READ);
            if (parsed.callsUnknownFunction) sink.add(UNKNOWN_FUNCTION);
          }
        }
        // A statement calling an unknown function (even a cached read's) may have written anything: write.all.
        target = parsed === undefined ? ALL : parsed.write;
        if (!target.all && target.tables.length === 0) return original.apply(this, args);
        tables = target.all ? [] : self.withDependents(target.tables);
        const tx = options?.transaction !== undefined ? options.transaction : self.sequelize.constructor._cls?.get('transaction');
        if (tx) {
          // Uncommitted: no reader outside the transaction can see it yet; invalidate at commit.
          self.deferToCommit(tx, target.all, tables);
          return original.apply(this, args);
        }
      } catch {
        // Never let the cache break a query: when unsure, invalidate everything (now and at commit).
        target = ALL;
        tables = [];
        try {
          const tx = options?.transaction !== undefined ? options.transaction : self.sequelize.constructor._cls?.get('transaction');
          if (tx) self.deferToCommit(tx, true, []);
        } catch {
          // no transaction to follow
        }
      }
      return (async () => {
        try {
          return await original.apply(this, args);
        } finally {
          await self.invalidate(target.all, tables);
        }
      })();
    };
    this.sequelize.query = this.wrapped;
  }

  uninstall(): void {
    if (this.wrapped && this.sequelize.query === this.wrapped) {
      if (this.original !== undefined) this.sequelize.query = this.original;
      else delete this.sequelize.query;
    }
    this.wrapped = undefined;
  }

  /** Whether a transaction (explicit, or the CLS one) applies to a read with these options. */
  inTransaction(options: any): boolean {
    const t = options?.transaction;
    if (t !== undefined) return !!t;
    return !!this.sequelize.constructor._cls?.get('transaction');
  }

  private deferToCommit(tx: any, all: boolean, tables: readonly string[]): void {
    const root = rootOf(tx);
    let p = this.pending.get(root);
    if (p === undefined) {
      const fresh: Pending = { all: false, tables: new Set() };
      p = fresh;
      this.pending.set(root, fresh);
      if (typeof root.afterCommit === 'function') {
        root.afterCommit(() => this.invalidate(fresh.all, [...fresh.tables]));
      } else {
        fresh.all = true;
      }
    }
    if (all) p.all = true;
    for (const t of tables) p.tables.add(t);
  }

  /** Adds every table whose foreign keys reference one of `tables`, and declared trigger targets, transitively. */
  private withDependents(tables: readonly string[]): readonly string[] {
    const models = this.sequelize.modelManager?.models ?? [];
    if (models.length !== this.dependentsModelCount) this.rebuildDependents(models);
    if (this.dependents.size === 0) return tables;
    const out = new Set(tables);
    const stack = [...tables];
    while (stack.length) {
      for (const d of this.dependents.get(stack.pop()!) ?? []) {
        if (!out.has(d)) {
          out.add(d);
          stack.push(d);
        }
      }
    }
    return out.size === tables.length ? tables : [...out];
  }

  private rebuildDependents(models: any[]): void {
    const map = new Map<string, Set<string>>();
    for (const m of models) {
      for (const attr of Object.values<any>(m.rawAttributes ?? {})) {
        const ref = attr?.references;
        if (!ref) continue;
        const target = typeof ref === 'string' ? ref : ref.model;
        if (!target) continue;
        const refTable =
          typeof target === 'string'
            ? normalizeTableName(target)
            : typeof target.getTableName === 'function'
              ? tableOf(target)
              : normalizeTableName(String(target.tableName ?? target));
        const own = tableOf(m);
        if (refTable === own) continue;
        let set = map.get(refTable);
        if (!set) map.set(refTable, (set = new Set()));
        set.add(own);
      }
    }
    // Declared trigger writes: keys and values are model names (resolved to their tables) or table names.
    const byName = new Map<string, string>();
    for (const m of models) byName.set(m.name, tableOf(m));
    const resolve = (name: string): string => byName.get(name) ?? normalizeTableName(name);
    for (const [from, targets] of Object.entries(this.writeDependencies)) {
      const key = resolve(from);
      let set = map.get(key);
      if (!set) map.set(key, (set = new Set()));
      for (const t of targets) if (resolve(t) !== key) set.add(resolve(t));
    }
    this.dependents = new Map([...map].map(([k, v]) => [k, [...v]]));
    this.dependentsModelCount = models.length;
  }
}

/** The outermost transaction (savepoints commit with it). */
function rootOf(tx: any): any {
  let root = tx;
  while (root.parent) root = root.parent;
  return root;
}
