import { createHash } from 'node:crypto';
import type { Connection } from '../db/duckdb.ts';

/**
 * The export audit log (meta.export_audit), append-only: rows are only ever inserted. Each entry carries the
 * previous entry's hash and its own, `entry_hash = sha256(JSON of [prev_hash, …the entry's fields in
 * AUDIT_FIELDS order])`, so that a verifier can walk the chain (issue 8) from the stored values alone.
 */
export interface ExportAuditEntry {
  exported_at: string;
  principal_name: string;
  principal_role: string;
  segment_id: string;
  /** The segment's definition as JSON text, exactly as stored. */
  segment_definition: string;
  format: string;
  /** complete, or aborted when the client went away before the last byte. */
  status: 'complete' | 'aborted';
  rows: number;
  bytes: number;
  /** sha256 (hex) of the bytes sent. */
  sha256: string;
}

export const AUDIT_FIELDS = ['export_id', 'exported_at', 'principal_name', 'principal_role', 'segment_id', 'segment_definition', 'format', 'status', 'rows', 'bytes', 'sha256'] as const;

export function entryHash(prevHash: string | null, entry: ExportAuditEntry & { export_id: number }): string {
  return createHash('sha256')
    .update(JSON.stringify([prevHash, ...AUDIT_FIELDS.map((f) => entry[f])]))
    .digest('hex');
}

// One append at a time in this process (the server owns the database), so the chain never forks.
let tail: Promise<unknown> = Promise.resolve();

export function appendExportAudit(c: Connection, entry: ExportAuditEntry): Promise<{ export_id: number; entry_hash: string }> {
  const run = async () =>
    c.transaction(async () => {
      const prev = (await c.value<string | undefined>(`SELECT entry_hash FROM meta.export_audit ORDER BY export_id DESC LIMIT 1`)) ?? null;
      const export_id = Number(await c.value(`SELECT nextval('meta.export_seq')`));
      const entry_hash = entryHash(prev, { ...entry, export_id });
      await c.run(
        `INSERT INTO meta.export_audit (export_id, exported_at, principal_name, principal_role, segment_id, segment_definition, format, status, rows, bytes, sha256, prev_hash, entry_hash)
         VALUES ($1, CAST($2 AS TIMESTAMP), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [export_id, entry.exported_at, entry.principal_name, entry.principal_role, entry.segment_id, entry.segment_definition, entry.format, entry.status, entry.rows, entry.bytes, entry.sha256, prev, entry_hash],
      );
      return { export_id, entry_hash };
    });
  const result = tail.then(run, run);
  tail = result.catch(() => undefined);
  return result;
}
