import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { type Database, loadCatalog, SQL_DIR, WEB_BUILD_DIR } from '@scrm/warehouse';
import { JobQueue } from '@scrm/warehouse/jobs';
import { serverInfoPath, type ServerInfo } from '@scrm/warehouse/server-info';
import { createApp } from './app.ts';
import { TokenBook, type TokenFile } from './auth.ts';
import { ResponseCache } from './cache.ts';
import { ConnectionPool } from './pool.ts';

export interface ServeOptions {
  db: Database;
  port: number;
  host?: string;
  webDir?: string;
  /** The tokens that may use the API (see auth.ts); `demo` also signs the dashboard in by role alone. */
  tokens: TokenFile['tokens'];
  demo?: boolean;
}

/**
 * Starts the HTTP server over an open database; resolves once it listens. While it runs it owns the
 * database: `<db>.server.json` tells the CLI where to hand loads and builds (with a token only this
 * user can read).
 */
export async function startServer(opts: ServeOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const pool = new ConnectionPool(opts.db, 4);
  // The CLI's own admin token, beside the configured ones: it hands loads and builds to this server.
  const token = randomBytes(24).toString('hex');
  const book = new TokenBook([...opts.tokens, { token, role: 'admin', name: 'scrm CLI' }]);
  // Loads and builds change what the routes answer: their end invalidates the answer cache.
  const cache = new ResponseCache();
  const queue = new JobQueue(opts.db, () => cache.invalidate());
  const app = createApp({
    db: opts.db,
    pool,
    catalog: loadCatalog(SQL_DIR),
    auth: { book, demo: opts.demo ?? false },
    jobs: { queue },
    cache,
    webDir: opts.webDir ?? WEB_BUILD_DIR,
  });
  const host = opts.host ?? '127.0.0.1';
  const infoFile = serverInfoPath(opts.db.path);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: opts.port, hostname: host }, (info) => {
      const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${info.port}/`;
      const serverInfo: ServerInfo = { pid: process.pid, url, token, db: opts.db.path };
      writeFileSync(infoFile, JSON.stringify(serverInfo), { mode: 0o600 });
      resolve({
        url,
        close: () =>
          new Promise((r) =>
            server.close(() => {
              rmSync(infoFile, { force: true });
              pool.close();
              r();
            }),
          ),
      });
    });
    server.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${opts.port} is in use: pass --port to choose another`) : err),
    );
  });
}
