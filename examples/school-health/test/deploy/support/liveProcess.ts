import { type ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';

/** A TCP port the OS reports free on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A child process with the last lines of its output kept for failure messages. */
export interface Running {
  child: ChildProcess;
  logs: string[];
  exited: () => boolean;
}

/** Spawns a long-running process, keeping its last 300 output lines. */
export function startProcess(cmd: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Running {
  const child = spawn(cmd, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (d: Buffer) => {
      for (const line of d.toString('utf8').split('\n')) if (line) logs.push(line);
      if (logs.length > 300) logs.splice(0, logs.length - 300);
    });
  }
  return { child, logs, exited: () => exited };
}

/** SIGTERM, then SIGKILL after `graceMillis`; resolves when the process is gone. */
export function stopProcess(r: Running | undefined, graceMillis = 10_000): Promise<void> {
  if (!r || r.exited()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => r.child.kill('SIGKILL'), graceMillis);
    r.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    r.child.kill('SIGTERM');
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET with a timeout; never throws (status 0 on a network error). */
export async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

/**
 * Polls `probe` every 250 ms until it returns a value other than undefined.
 * Throws with `what` and the process logs after `timeoutMillis`, or at once if `r` exits.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMillis: number, r?: Running): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (r?.exited()) throw new Error(`${what}: the process exited (${r.child.exitCode})\n${r.logs.slice(-40).join('\n')}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMillis / 1000} s\n${(r?.logs ?? []).slice(-40).join('\n')}`);
    await sleep(250);
  }
}
