import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

/** `examples/school-health/deploy`, the folder users copy. */
export const DEPLOY_DIR = path.resolve(__dirname, '..', '..', '..', 'deploy');

/** Absolute path of a file in {@link DEPLOY_DIR}. */
export function deployFile(...parts: string[]): string {
  return path.join(DEPLOY_DIR, ...parts);
}

/** Full path of an executable on PATH (or /usr/bin), undefined when it is not installed. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RunResult {
  status: number | null;
  output: string;
}

/** Runs a command to completion and returns its exit status and merged output. */
export function run(cmd: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv): RunResult {
  const r = spawnSync(cmd, args, { cwd, env: env ?? process.env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** A fresh temporary folder; the caller removes it. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `querylens-deploy-${prefix}-`));
}

/**
 * Loads a YAML file with the js-yaml that mocha itself depends on (mocha reads
 * `.mocharc.yml` with it), so these tests need no dependency of their own.
 */
export function loadYaml(file: string): any {
  const fromMocha = createRequire(require.resolve('mocha/package.json'));
  const jsYaml = fromMocha('js-yaml') as { load(text: string): unknown };
  return jsYaml.load(fs.readFileSync(file, 'utf8'));
}
