import type { Database, MetricCatalog } from '@scrm/warehouse';
import type { JobQueue } from '@scrm/warehouse/jobs';
import type { ConnectionPool } from './pool.ts';

export interface AppContext {
  db: Database;
  pool: ConnectionPool;
  catalog: MetricCatalog;
  /** Loads and builds handed over by the CLI, and the token that may submit them. */
  jobs?: { queue: JobQueue; token: string };
  /** The built dashboard to serve, if any. */
  webDir?: string;
}
