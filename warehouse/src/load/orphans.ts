import type { Connection } from '../db/duckdb.ts';

/**
 * Referential checks that flag rather than drop: rows of this load whose parent is unknown. They stay
 * loaded; the count goes to the load result and meta.loads.rows_orphan.
 *  - orders whose customer_id (when set) is not in raw.customers — checked only when raw.customers has rows
 *    (a warehouse without a customer source has nothing to check against; guest orders have no customer_id);
 *  - order_lines whose order_id is not in raw.orders — checked only when raw.orders has rows.
 * "Rows of this load" are the new and changed rows it wrote (unchanged rows keep their earlier load id).
 */
const CHECKS: Record<string, { child: string; column: string; parent: string; parentColumn: string }> = {
  orders: { child: 'raw.orders', column: 'customer_id', parent: 'raw.customers', parentColumn: 'customer_id' },
  order_lines: { child: 'raw.order_lines', column: 'order_id', parent: 'raw.orders', parentColumn: 'order_id' },
};

export function orphanSql(entity: string): string | undefined {
  const k = CHECKS[entity];
  if (!k) return undefined;
  return `SELECT count(*) FROM ${k.child} x
    WHERE x._load_id = $1 AND x.${k.column} IS NOT NULL AND EXISTS (SELECT 1 FROM ${k.parent})
      AND NOT EXISTS (SELECT 1 FROM ${k.parent} p WHERE p.${k.parentColumn} = x.${k.column})`;
}

/** Counts the orphans of one load and records them in meta.loads.rows_orphan. */
export async function recordOrphans(c: Connection, entity: string, loadId: number): Promise<number> {
  const sql = orphanSql(entity);
  const n = sql ? Number(await c.value(sql, [loadId])) : 0;
  await c.run(`UPDATE meta.loads SET rows_orphan = $2 WHERE load_id = $1`, [loadId, n]);
  return n;
}
