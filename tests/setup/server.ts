import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
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

/** Starts the real `scrm serve` in a child process on a free port; resolves with its URL. */
export async function startScrmServer(dbPath: string): Promise<{ url: string; proc: ChildProcess; stop: () => Promise<void> }> {
  const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
  const proc = spawn(tsx, [join(REPO_ROOT, 'warehouse/src/cli/main.ts'), 'serve', '--db', dbPath, '--port', '0'], {
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
