import type { Database, MetricCatalog } from '@scrm/warehouse';
import type { ConnectionPool } from './pool.ts';

export interface AppContext {
  db: Database;
  pool: ConnectionPool;
  catalog: MetricCatalog;
  /** The built dashboard to serve, if any. */
  webDir?: string;
}
