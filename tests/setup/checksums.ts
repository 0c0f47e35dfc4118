import { ENTITIES, ident, type Connection } from '@scrm/warehouse';

/**
 * A checksum per raw table over its canonical columns and `extra` (not the lineage columns, which name the
 * load that wrote a row): equal checksums mean the same rows, whatever order or load they came from. Tables
 * not created yet are left out.
 */
export async function rawChecksums(c: Connection): Promise<Record<string, { rows: number; hash: string }>> {
  const out: Record<string, { rows: number; hash: string }> = {};
  const existing = new Set((await c.all<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE schema_name = 'raw'`)).map((r) => r.t));
  for (const [name, e] of Object.entries(ENTITIES)) {
    // A database whose first load was killed before it created the raw tables holds nothing.
    if (!existing.has(name)) continue;
    const cols = [...Object.keys(e.columns).map(ident), 'extra'].join(', ');
    const r = await c.one<{ rows: number; hash: unknown }>(`SELECT count(*) AS rows, CAST(coalesce(bit_xor(hash(${cols})), 0) AS VARCHAR) AS hash FROM raw.${name}`);
    out[name] = { rows: r!.rows, hash: String(r!.hash) };
  }
  return out;
}
