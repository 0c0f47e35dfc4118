import { join } from 'node:path';
import { REPO_ROOT } from '@scrm/warehouse';

/** The small demo warehouse that the global setup builds once per test run; tests open it read-only or copy it. */
export const TMP_DIR = join(REPO_ROOT, 'tests/.tmp');
export const SMALL_DB = join(TMP_DIR, 'small.duckdb');
export const SMALL_DEMO_DIR = join(TMP_DIR, 'demo-small');
