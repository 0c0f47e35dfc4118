import { serve } from '@hono/node-server';
import { type Database, loadCatalog, SQL_DIR, WEB_BUILD_DIR } from '@scrm/warehouse';
import { createApp } from './app.ts';
import { ConnectionPool } from './pool.ts';

export interface ServeOptions {
  db: Database;
  port: number;
  host?: string;
  webDir?: string;
}

/** Starts the HTTP server over an open database; resolves once it listens. */
export async function startServer(opts: ServeOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const pool = new ConnectionPool(opts.db, 4);
  const app = createApp({ db: opts.db, pool, catalog: loadCatalog(SQL_DIR), webDir: opts.webDir ?? WEB_BUILD_DIR });
  const host = opts.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: opts.port, hostname: host }, (info) => {
      resolve({
        url: `http://${host}:${info.port}/`,
        close: () => new Promise((r) => server.close(() => { pool.close(); r(); })),
      });
    });
    server.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${opts.port} is in use: pass --port to choose another`) : err),
    );
  });
}
