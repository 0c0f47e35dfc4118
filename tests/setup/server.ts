import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@scrm/warehouse';
import { smallDb } from './paths.ts';

/** A copy of the small demo warehouse, so a test may hold it read-write (or hand it to a server). */
export function copySmallDb(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'scrm-test-')), 'w.duckdb');
  copyFileSync(smallDb(), path);
  if (existsSync(smallDb() + '.wal')) copyFileSync(smallDb() + '.wal', path + '.wal');
  return path;
}

export type Role = 'executive' | 'analyst' | 'marketing' | 'admin';

/** The API tokens of test servers: one per role (written to `<db>.tokens.json` before the server starts). */
export const TEST_TOKENS: Record<Role, string> = {
  executive: 'test-token-executive-0001',
  analyst: 'test-token-analyst-0000001',
  marketing: 'test-token-marketing-00001',
  admin: 'test-token-admin-000000001',
};

export const writeTestTokens = (path: string) =>
  writeFileSync(path, JSON.stringify({ tokens: Object.entries(TEST_TOKENS).map(([role, token]) => ({ token, role, name: `test ${role}` })) }));

/** Request headers of a signed-in `role` (default admin), merged with `headers`. */
export const as = (role: Role = 'admin', headers: Record<string, string> = {}) => ({ authorization: `Bearer ${TEST_TOKENS[role]}`, ...headers });

export interface ScrmServer {
  url: string;
  proc: ChildProcess;
  stop: () => Promise<void>;
  /** fetch(url + path) signed in as `role` (default admin; null: no token). */
  fetch: (path: string, init?: RequestInit, role?: Role | null) => Promise<Response>;
}

/** Starts the real `scrm serve` in a child process on a free port, with the test tokens; resolves with its URL. */
export async function startScrmServer(dbPath: string, extraArgs: string[] = []): Promise<ScrmServer> {
  const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
  writeTestTokens(`${dbPath}.tokens.json`);
  const proc = spawn(tsx, [join(REPO_ROOT, 'warehouse/src/cli/main.ts'), 'serve', '--db', dbPath, '--port', '0', ...extraArgs], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    proc,
    fetch: (path, init = {}, role = 'admin') =>
      fetch(new URL(path.replace(/^\//, ''), url), {
        ...init,
        headers: { ...(role ? as(role) : {}), ...(init.headers as Record<string, string> | undefined) },
      }),
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** Runs the real CLI (`scrm …`) in a child process without blocking the test's event loop (a server may answer it). */
export const runScrm = (...args: string[]) =>
  new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const p = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'warehouse/src/cli/main.ts'), ...args], { cwd: REPO_ROOT });
    let out = '', err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => resolve({ code, out, err }));
  });
