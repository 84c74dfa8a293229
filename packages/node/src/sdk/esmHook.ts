import { diag } from '@opentelemetry/api';
import * as nodeModule from 'node:module';
import { builtinModules } from 'node:module';
import { pathToFileURL } from 'node:url';
import { globalState } from '../state';

/**
 * Registers the import-in-the-middle loader hook (`@opentelemetry/instrumentation/hook.mjs`)
 * once per process, so instrumentations also patch modules loaded as ES modules. CommonJS
 * apps need it too when a dependency is ESM: NestJS 12 is ESM-only and its
 * `@nestjs/platform-express` imports express through the ESM loader, where
 * require-in-the-middle never sees it (no express spans, no `http.route`).
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
    if (!m.startsWith('node:') && builtinModules.includes(m)) out.add(`node:${m}`);
  }
  return [...out];
}

/** The module names an instrumentation patches (`getModuleDefinitions()` of InstrumentationBase). */
export function modulesOf(instrumentations: readonly unknown[]): string[] {
  const names: string[] = [];
  for (const i of instrumentations) {
    const defs = (i as { getModuleDefinitions?: () => Array<{ name?: unknown }> } | null)?.getModuleDefinitions?.();
    if (!Array.isArray(defs)) continue;
    for (const d of defs) if (typeof d?.name === 'string') names.push(d.name);
  }
  return names;
}
