import type { Database, MetricCatalog } from '@scrm/warehouse';
import type { JobQueue } from '@scrm/warehouse/jobs';
import type { TokenBook } from './auth.ts';
import type { ResponseCache } from './cache.ts';
import type { ConnectionPool } from './pool.ts';

export interface AppContext {
  db: Database;
  pool: ConnectionPool;
  catalog: MetricCatalog;
  /** The tokens the server accepts; `demo` also lets the dashboard sign in by role alone. */
  auth: { book: TokenBook; demo: boolean };
  /** Answers of read routes per data version (made by createApp when not given). */
  cache?: ResponseCache;
  /** Loads and builds handed over by the CLI, submitted with an admin token (the CLI's is in <db>.server.json). */
  jobs?: { queue: JobQueue };
  /** The built dashboard to serve, if any. */
  webDir?: string;
}
