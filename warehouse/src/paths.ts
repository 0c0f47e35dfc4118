import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the repository's parts live, independent of the working directory. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SQL_DIR = resolve(REPO_ROOT, 'sql');
export const WEB_BUILD_DIR = resolve(REPO_ROOT, 'web/build');
export const DEFAULT_DB = resolve(REPO_ROOT, 'data/warehouse.duckdb');
export const DEMO_DIR = resolve(REPO_ROOT, 'data/demo');
export const DEMO_SOURCES = resolve(REPO_ROOT, 'fixtures/demo-sources.yaml');
