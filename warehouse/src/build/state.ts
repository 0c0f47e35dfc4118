import type { Connection } from '../db/duckdb.ts';
import type { ModelState } from './incremental.ts';

/**
 * The build runner's own meta tables beyond meta.builds: how each model ran (mode, why, rows written, the
 * watermark it reached) and, for incremental models, the state the next build decides from.
 */
export async function ensureBuildSchema(c: Connection): Promise<void> {
  for (const [col, type] of [['mode', 'VARCHAR'], ['reason', 'VARCHAR'], ['rows_written', 'BIGINT'], ['watermark', 'BIGINT']]) {
    await c.run(`ALTER TABLE meta.model_runs ADD COLUMN IF NOT EXISTS ${col} ${type}`);
  }
  await c.run(`CREATE TABLE IF NOT EXISTS meta.model_state (
    model VARCHAR, sql_hash VARCHAR, watermark BIGINT, as_of DATE, build_id BIGINT, updated_at TIMESTAMP)`);
}

export async function readModelState(c: Connection, model: string): Promise<ModelState | undefined> {
  const r = await c.one<{ sql_hash: string; watermark: number; as_of: string | null }>(
    `SELECT sql_hash, watermark, as_of FROM meta.model_state WHERE model = $1`,
    [model],
  );
  return r && { sqlHash: r.sql_hash, watermark: r.watermark, asOf: r.as_of };
}

export async function clearModelState(c: Connection, model: string): Promise<void> {
  await c.run(`DELETE FROM meta.model_state WHERE model = $1`, [model]);
}

export async function writeModelState(c: Connection, model: string, s: ModelState, buildId: number): Promise<void> {
  await clearModelState(c, model);
  await c.run(`INSERT INTO meta.model_state VALUES ($1, $2, $3, $4::DATE, $5, now())`, [model, s.sqlHash, s.watermark, s.asOf, buildId]); // now(): the build's start
}

/** The highest raw _load_id among `tables` (raw.*) as this transaction sees them; 0 when they hold no rows. */
export async function highestLoadId(c: Connection, tables: string[]): Promise<number> {
  if (tables.length === 0) return 0;
  return Number(await c.value(`SELECT coalesce(max(m), 0) FROM (${tables.map((t) => `SELECT max(_load_id) AS m FROM ${t}`).join(' UNION ALL ')})`));
}
