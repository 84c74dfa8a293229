import { diag } from '@opentelemetry/api';
import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import { globalState } from '../state';

/**
 * Registers the import-in-the-middle loader hook (`@opentelemetry/instrumentation/hook.mjs`)
 * once per process, so instrumentations also patch modules loaded as ES modules. CommonJS
 * apps need it too when a dependency is ESM: NestJS 12 is ESM-only and its
 * `@nestjs/platform-express` imports express through the ESM loader, where
 * require-in-the-middle never sees it (no express spans, no `http.route`).
 * Returns whether the hook is active.
 */
export function registerEsmHook(): boolean {
  const s = globalState();
  if (s.esmHookRegistered) return true;
  const register = (nodeModule as { register?: (specifier: string, parentURL: string | URL) => void }).register;
  if (typeof register !== 'function') {
    diag.warn('@querylens/node: node:module register() is missing (Node < 20.6): ES modules are not instrumented');
    return false;
  }
  try {
    register('@opentelemetry/instrumentation/hook.mjs', pathToFileURL(__filename));
    s.esmHookRegistered = true;
    return true;
  } catch (err) {
    diag.warn(`@querylens/node: ESM loader hook not registered (${err instanceof Error ? err.message : String(err)}): ES modules are not instrumented`);
    return false;
  }
}
