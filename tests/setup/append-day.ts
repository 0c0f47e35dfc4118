import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTITIES, ident, loadSpec, readSpec, type Connection, type LoadResult } from '@scrm/warehouse';

/**
 * One more day of business for a loaded warehouse: the orders (with their lines) and the mentions of its last
 * day, one day later under new ids, written as a CSV and an NDJSON file like exports, and loaded through the
 * ordinary loader (so they get a new load id, as a real daily load would).
 */
export interface AppendedDay {
  /** The new day (of orders). */
  day: string;
  orders: number;
  lines: number;
  mentions: number;
  loads: LoadResult[];
  loadMs: number;
}

export async function appendDay(c: Connection, dir: string, prefix = 'N1-'): Promise<AppendedDay> {
  mkdirSync(dir, { recursive: true });
  const cols = (entity: keyof typeof ENTITIES) => Object.keys(ENTITIES[entity].columns).map(ident);
  const last = String(await c.value(`SELECT CAST(max(ordered_at) AS DATE) FROM raw.orders`));
  const lastMention = String(await c.value(`SELECT CAST(max(posted_at) AS DATE) FROM raw.mentions`));
  const p = `'${prefix.replaceAll("'", "''")}'`;
  const shifted = (entity: 'orders' | 'order_lines' | 'mentions', replace: string, where: string) =>
    `SELECT * REPLACE (${replace}) FROM (SELECT ${cols(entity).join(', ')} FROM raw.${entity} ${where})`;
  const dayOrders = `SELECT order_id FROM raw.orders WHERE CAST(ordered_at AS DATE) = DATE '${last}'`;
  await c.run(`COPY (${shifted('orders', `${p} || order_id AS order_id, ordered_at + INTERVAL 1 DAY AS ordered_at`, `WHERE order_id IN (${dayOrders})`)} ORDER BY order_id)
    TO '${join(dir, 'orders.csv')}' (HEADER)`);
  await c.run(`COPY (${shifted('order_lines', `${p} || order_id AS order_id`, `WHERE order_id IN (${dayOrders})`)} ORDER BY order_id, line_number)
    TO '${join(dir, 'order_lines.csv')}' (HEADER)`);
  await c.run(`COPY (${shifted('mentions', `${p} || mention_id AS mention_id, posted_at + INTERVAL 1 DAY AS posted_at`, `WHERE CAST(posted_at AS DATE) = DATE '${lastMention}'`)} ORDER BY mention_id)
    TO '${join(dir, 'mentions.ndjson')}' (FORMAT JSON)`);
  writeFileSync(
    join(dir, 'sources.yaml'),
    [
      'sources:',
      '  - { name: day_orders, entity: orders, path: orders.csv, format: csv }',
      '  - { name: day_order_lines, entity: order_lines, path: order_lines.csv, format: csv }',
      '  - { name: day_mentions, entity: mentions, path: mentions.ndjson, format: ndjson }',
      '',
    ].join('\n'),
  );
  const t = performance.now();
  const loads = await loadSpec(c, readSpec(join(dir, 'sources.yaml')), { force: true });
  const loadMs = performance.now() - t;
  const failed = loads.filter((l) => l.status !== 'loaded');
  if (failed.length) throw new Error(`appending a day failed: ${failed.map((f) => `${f.source}: ${f.status} ${f.message ?? ''}`).join('; ')}`);
  const n = (source: string) => loads.find((l) => l.source === source)!.loaded;
  const day = String(await c.value(`SELECT CAST(DATE '${last}' + 1 AS VARCHAR)`));
  return { day, orders: n('day_orders'), lines: n('day_order_lines'), mentions: n('day_mentions'), loads, loadMs };
}
