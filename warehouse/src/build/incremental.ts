import { ident } from '../db/duckdb.ts';

/**
 * Incremental materialisation of append-only facts (models with `materialized: incremental`).
 *
 * Every raw row carries the `_load_id` of the load that wrote it; load ids only grow, and a changed row that a
 * load re-delivers replaces the old one under the new load's id. So "the rows of loads after load W" is exactly
 * what changed since a build that saw loads up to W. An incremental model stores that W (its watermark) in
 * meta.model_state, in the build's transaction; the next build renders {{ new_rows(x._load_id) }} as
 * `x._load_id > W`, materialises what the query returns into a temporary table, deletes the target's rows with
 * the same unique_key and inserts the new ones.
 *
 * Assumes one writer at a time (DuckDB allows one writing process; `scrm serve` runs loads and builds one after
 * the other), so loads commit in load-id order. Deleting raw rows (erasure, retention) is not seen by an
 * incremental run: whoever deletes raw rows must also delete the derived rows, or clear the model's state.
 */
export interface ModelState {
  sqlHash: string;
  watermark: number;
  asOf: string | null;
}

export interface ModeInput {
  /** Lineage fingerprint of the model (its file and everything upstream of it). */
  fingerprint: string;
  /** The model or something upstream of it uses {{ as_of }}. */
  usesAsOf: boolean;
  asOf: string;
  /** What the last successful build of this model stored; undefined if none. */
  state: ModelState | undefined;
  /** The target exists as a table. */
  targetExists: boolean;
  /** `scrm build --full-refresh`. */
  fullRefresh: boolean;
}

export type ModeDecision =
  | { mode: 'full'; reason: string }
  | { mode: 'incremental'; reason: string; watermark: number };

/** Whether an incremental model runs full or incremental this time, and why. Pure. */
export function decideMode(i: ModeInput): ModeDecision {
  if (i.fullRefresh) return { mode: 'full', reason: '--full-refresh' };
  if (!i.targetExists) return { mode: 'full', reason: 'the table does not exist yet' };
  if (!i.state) return { mode: 'full', reason: 'no watermark from an earlier build' };
  if (i.state.sqlHash !== i.fingerprint) return { mode: 'full', reason: 'its SQL or header, or an upstream model, changed' };
  if (i.usesAsOf && i.state.asOf !== i.asOf) return { mode: 'full', reason: `the as-of date changed (${i.state.asOf ?? 'none'} → ${i.asOf})` };
  return { mode: 'incremental', reason: `rows loaded after load ${i.state.watermark}`, watermark: i.state.watermark };
}

/**
 * The statements of an incremental run, given the model's rendered incremental SQL: new rows into a temporary
 * table, the target's rows with the same key deleted, the new rows inserted (by column name). Pure.
 */
export function incrementalStatements(target: string, uniqueKey: string[], sql: string, temp = '_scrm_incremental') {
  const on = uniqueKey.map((k) => `t.${ident(k)} IS NOT DISTINCT FROM n.${ident(k)}`).join(' AND ');
  return {
    stage: `CREATE OR REPLACE TEMP TABLE ${temp} AS ${sql}`,
    count: `SELECT count(*) FROM ${temp}`,
    delete: `DELETE FROM ${target} t USING ${temp} n WHERE ${on}`,
    insert: `INSERT INTO ${target} BY NAME SELECT * FROM ${temp}`,
    drop: `DROP TABLE IF EXISTS ${temp}`,
  };
}
