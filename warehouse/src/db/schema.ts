import { ENTITIES, SQL_TYPES, type ColumnSpec } from '../entities.ts';
import { ensureBuildSchema } from '../build/state.ts';
import { ident, type Connection } from './duckdb.ts';

/**
 * Schemas: `raw` (append-only canonical rows as loaded), `meta` (load audit, quarantine, builds, saved segments,
 * export audit),
 * `staging` / `intermediate` / `marts` (written by the model runner).
 * Every raw table has the entity's canonical columns plus lineage columns: unmapped source columns (`extra`),
 * the content hash, the load that wrote the row (`_load_id`: its source, file and time are in meta.loads) and
 * the record's number in that file. (Warehouses made before 0.2 also have `_source`, `_file` and `_loaded_at`
 * per row; loads leave them NULL now — meta.loads has the same facts once per file instead of once per row.)
 */
export const LINEAGE_COLUMNS = {
  extra: 'JSON',
  _hash: 'UBIGINT',
  _load_id: 'BIGINT',
  _record: 'BIGINT',
} as const;

export async function ensureSchema(c: Connection): Promise<void> {
  for (const s of ['raw', 'meta', 'staging', 'intermediate', 'marts']) await c.run(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  for (const [name, e] of Object.entries(ENTITIES)) {
    const cols = [
      ...Object.entries(e.columns as Record<string, ColumnSpec>).map(([c, spec]) => `${ident(c)} ${SQL_TYPES[spec.type]}`),
      ...Object.entries(LINEAGE_COLUMNS).map(([c, t]) => `${c} ${t}`),
    ];
    await c.run(`CREATE TABLE IF NOT EXISTS raw.${name} (${cols.join(', ')})`);
  }
  await c.run(`CREATE SEQUENCE IF NOT EXISTS meta.load_seq`);
  await c.run(`CREATE TABLE IF NOT EXISTS meta.loads (
    load_id BIGINT PRIMARY KEY, source VARCHAR, entity VARCHAR, file VARCHAR, file_hash VARCHAR,
    started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR,
    rows_read BIGINT, rows_loaded BIGINT, rows_updated BIGINT, rows_duplicate BIGINT, rows_quarantined BIGINT,
    message VARCHAR)`);
  // Added after the first release: orders of unknown customers / lines of unknown orders (load/orphans.ts).
  await c.run(`ALTER TABLE meta.loads ADD COLUMN IF NOT EXISTS rows_orphan BIGINT`);
  await c.run(`CREATE TABLE IF NOT EXISTS meta.quarantine (
    load_id BIGINT, source VARCHAR, entity VARCHAR, file VARCHAR, record_no BIGINT,
    reasons VARCHAR[], raw JSON, quarantined_at TIMESTAMP)`);
  await c.run(`CREATE SEQUENCE IF NOT EXISTS meta.build_seq`);
  await c.run(`CREATE TABLE IF NOT EXISTS meta.builds (
    build_id BIGINT PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, as_of DATE,
    status VARCHAR, models INTEGER, message VARCHAR)`);
  await c.run(`CREATE TABLE IF NOT EXISTS meta.model_runs (
    build_id BIGINT, model VARCHAR, materialized VARCHAR, rows BIGINT, ms DOUBLE, status VARCHAR, message VARCHAR)`);
  // Reviewers' verdicts on probabilistic identity matches; the models respect the latest one per pair.
  await c.run(`CREATE TABLE IF NOT EXISTS meta.identity_decisions (
    profile_id VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, decision VARCHAR NOT NULL CHECK (decision IN ('accept', 'reject')),
    decided_by VARCHAR, decided_at TIMESTAMP NOT NULL DEFAULT now(), note VARCHAR)`);
  // Segments marketing saved: a name and a filter tree over marts.customer_360 (warehouse/src/segments).
  await c.run(`CREATE SEQUENCE IF NOT EXISTS meta.segment_seq`);
  await c.run(`CREATE TABLE IF NOT EXISTS meta.segments (
    segment_id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, description VARCHAR, definition JSON NOT NULL,
    created_by VARCHAR NOT NULL, created_role VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT now())`);
  // Append-only: one row per segment export, chained by hash (entry_hash covers prev_hash and the entry).
  await c.run(`CREATE SEQUENCE IF NOT EXISTS meta.export_seq`);
  await c.run(`CREATE TABLE IF NOT EXISTS meta.export_audit (
    export_id BIGINT PRIMARY KEY, exported_at TIMESTAMP NOT NULL, principal_name VARCHAR NOT NULL, principal_role VARCHAR NOT NULL,
    segment_id VARCHAR NOT NULL, segment_definition JSON NOT NULL, format VARCHAR NOT NULL, status VARCHAR NOT NULL,
    rows BIGINT NOT NULL, bytes BIGINT NOT NULL, sha256 VARCHAR NOT NULL, prev_hash VARCHAR, entry_hash VARCHAR NOT NULL)`);
  await ensureBuildSchema(c);
}
