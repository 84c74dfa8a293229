import { diag } from '@opentelemetry/api';
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { satisfies } from 'semver';
import { globalState } from '../state';

/** Whether the hook is registered, and why (for the startup line). */
export interface EsmHookDecision {
  on: boolean;
  reason: string;
}

/** Where {@link decideEsmHook} looks: the main script, the working directory, the entry used. */
export interface AppLocation {
  /** `process.argv[1]`: undefined under `node -e` or a REPL. */
  mainPath: string | undefined;
  cwd: string;
  /** True when the register was loaded with `--import` (its ESM entry). */
  esmEntry: boolean;
}

/** A module an instrumentation patches, and the versions it patches (`getModuleDefinitions()`). */
export interface PatchedModule {
  name: string;
  /** The module's ranges and its files' (any of them patches something). */
  supportedVersions: readonly string[];
  /** As the definition says (OpenTelemetry's own check uses it; default false). */
  includePrerelease?: boolean;
}

/**
 * Decides `esmHook: 'auto'`. The hook is needed only where require-in-the-middle cannot see a
 * module that would be patched: an ES module app, or an instrumented package that is an ES
 * module in a version its instrumentation supports. A CommonJS package imported by an ES module
 * is covered without it (see {@link installCjsBridge}), and an ES-module package outside its
 * instrumentation's versions (NestJS 12 for instrumentation-nestjs-core 0.71) would not be
 * patched either way, so such apps keep the ~5% CPU per request that Node 20's off-thread
 * loader hooks cost.
 */
export function decideEsmHook(modules: readonly PatchedModule[], where: AppLocation): EsmHookDecision {
  if (where.esmEntry) return { on: true, reason: 'the register was loaded with --import' };
  if (where.mainPath !== undefined && isEsmFile(where.mainPath)) return { on: true, reason: 'the main script is an ES module' };
  // (where.mainPath is the real path: node_modules/.bin/tool is judged by the tool's package)
  const dirs = new Set(where.mainPath === undefined ? [where.cwd] : [path.dirname(where.mainPath), where.cwd]);
  const unpatched: string[] = [];
  for (const m of modules) {
    const name = m.name;
    if (isBuiltin(name)) continue;
    for (const dir of dirs) {
      const pkg = findPackage(dir, name);
      if (pkg === undefined || pkg.type !== 'module') continue;
      if (!patchesVersion(m, pkg.version)) {
        unpatched.push(`${name} ${pkg.version ?? '(no version)'} is an ES module its instrumentation does not patch (${m.supportedVersions.join(' || ')})`);
        continue;
      }
      return { on: true, reason: `${name}${pkg.version === undefined ? '' : ` ${pkg.version}`} is an ES module` };
    }
  }
  return { on: false, reason: ['no ES-module app or instrumented package', ...new Set(unpatched)].join('; ') };
}

/** OpenTelemetry's own rule (`isSupported` of InstrumentationBase): a package without a version is patched only by `*`. */
function patchesVersion(m: PatchedModule, version: string | undefined): boolean {
  if (version === undefined) return m.supportedVersions.includes('*');
  return m.supportedVersions.some((range) => satisfies(version, range, { includePrerelease: m.includePrerelease === true }));
}

function isEsmFile(file: string): boolean {
  const ext = path.extname(file);
  if (ext === '.mjs' || ext === '.mts') return true;
  if (ext === '.cjs' || ext === '.cts') return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = readPackage(path.join(dir, 'package.json'));
    if (pkg !== null) return pkg.type === 'module';
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * The `package.json` of package `name` as Node would find it from `dir` (node_modules upwards),
 * or in pnpm's hoisted store (`node_modules/.pnpm/node_modules`), where a dependency of a
 * dependency lives.
 */
function findPackage(dir: string, name: string): PackageJson | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const pkg = readPackage(path.join(d, 'node_modules', name, 'package.json')) ?? readPackage(path.join(d, 'node_modules', '.pnpm', 'node_modules', name, 'package.json'));
    if (pkg !== null) return pkg;
    if (path.dirname(d) === d) return undefined;
  }
}

interface PackageJson {
  type: 'module' | 'commonjs';
  version: string | undefined;
}

/** `type` (`'commonjs'` when absent) and `version` of a package.json, or null when it cannot be read. */
function readPackage(file: string): PackageJson | null {
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown; version?: unknown };
    return { type: json.type === 'module' ? 'module' : 'commonjs', version: typeof json.version === 'string' ? json.version : undefined };
  } catch {
    return null;
  }
}

/**
 * With the hook off, Node builds a builtin's ES module facade (`import { get } from 'node:https'`)
 * from its exports once, at the first ES import: a builtin patched only later (when something
 * first `require`s it) would stay unpatched for named imports. So the builtins the
 * instrumentations patch are required now, after the SDK started (patched as they load), and
 * facades built before are brought up to date. Never throws.
 */
export function primeBuiltins(modules: readonly PatchedModule[]): void {
  try {
    for (const m of modules) if (isBuiltin(m.name)) module.require(m.name);
    nodeModule.syncBuiltinESMExports();
  } catch (err) {
    diag.warn(`@querylens/node: builtins not primed for ES modules (${err instanceof Error ? err.message : String(err)})`);
  }
}

type ModuleLoad = (request: string, parent: unknown, isMain?: boolean) => unknown;
interface ModuleStatics {
  _load: ModuleLoad;
}

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/**
 * Without a loader hook, Node 20 loads a CommonJS file that an ES module imports with
 * `Module._load(filename)` and no parent, which require-in-the-middle (a patch of
 * `Module.prototype.require`) never sees: express imported by NestJS 12's ESM-only
 * platform-express, or pg imported by an ESM app, would run unpatched. The bridge sends
 * those loads, for files under node_modules only, through `require`, so the instrumentations
 * patch them as they would a `require()`. The ES module gets the exports object the file
 * built, patched in place as every built-in instrumentation patches (http, pg, pg-pool,
 * express, nestjs-core): Node snapshots a module's exports for ES importers when it finishes
 * loading, so an instrumentation that returns new exports instead is seen only by `require`
 * callers (for such an added instrumentation, `esmHook: true`).
 * It runs at load time only (no cost at steady state) and is installed once per process.
 */
export function installCjsBridge(): void {
  const s = globalState();
  if (s.cjsBridgeInstalled) return;
  const Module = nodeModule.Module as unknown as ModuleStatics;
  const load = Module._load;
  if (typeof load !== 'function') return;
  const host = module;
  Module._load = function querylensLoad(this: unknown, request: string, parent: unknown, isMain?: boolean): unknown {
    if (parent == null && isMain !== true && typeof request === 'string' && request.includes(NODE_MODULES) && path.isAbsolute(request)) {
      return host.require(request) as unknown;
    }
    // eslint-disable-next-line prefer-rest-params
    return load.apply(this, arguments as unknown as Parameters<ModuleLoad>);
  };
  s.cjsBridgeInstalled = true;
}

/**
 * Registers the import-in-the-middle loader hook (`@opentelemetry/instrumentation/hook.mjs`)
 * once per process, so instrumentations also patch modules loaded as ES modules
 * (require-in-the-middle never sees them). {@link decideEsmHook} says when it is needed.
 *
 * Only the modules in `include` are wrapped (import-in-the-middle's `include` option): wrapping
 * every ES module, as the hook does by default, put a proxy module in front of all of NestJS 12
 * and cost about a third of the example app's throughput (measured with the load bench).
 * Returns whether the hook is active.
 */
export function registerEsmHook(include: string[]): boolean {
  const s = globalState();
  if (s.esmHookRegistered) return true;
  const register = (nodeModule as {
    register?: (specifier: string, parentURL: string | URL, options?: { data?: unknown }) => void;
  }).register;
  if (typeof register !== 'function') {
    diag.warn('@querylens/node: node:module register() is missing (Node < 20.6): ES modules are not instrumented');
    return false;
  }
  try {
    register('@opentelemetry/instrumentation/hook.mjs', pathToFileURL(__filename), { data: { include: esmIncludeList(include) } });
    s.esmHookRegistered = true;
    return true;
  } catch (err) {
    diag.warn(`@querylens/node: ESM loader hook not registered (${err instanceof Error ? err.message : String(err)}): ES modules are not instrumented`);
    return false;
  }
}

/** Module names as import-in-the-middle matches them: builtins also under `node:`. */
export function esmIncludeList(modules: string[]): string[] {
  const out = new Set<string>();
  for (const m of modules) {
    out.add(m);
    if (!m.startsWith('node:') && isBuiltin(m)) out.add(`node:${m}`);
  }
  return [...out];
}

interface Definition {
  name?: unknown;
  supportedVersions?: unknown;
  includePrerelease?: unknown;
  files?: Array<{ supportedVersions?: unknown } | null>;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The modules an instrumentation patches and their supported versions (`getModuleDefinitions()` of InstrumentationBase). */
export function patchedModulesOf(instrumentations: readonly unknown[]): PatchedModule[] {
  const out: PatchedModule[] = [];
  for (const i of instrumentations) {
    const defs = (i as { getModuleDefinitions?: () => Definition[] } | null)?.getModuleDefinitions?.();
    if (!Array.isArray(defs)) continue;
    for (const d of defs) {
      if (typeof d?.name !== 'string') continue;
      const versions = new Set(strings(d.supportedVersions));
      for (const f of Array.isArray(d.files) ? d.files : []) for (const v of strings(f?.supportedVersions)) versions.add(v);
      out.push({ name: d.name, supportedVersions: versions.size > 0 ? [...versions] : ['*'], includePrerelease: d.includePrerelease === true });
    }
  }
  return out;
}
