import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, loadSpec, parseSpecText, runBuild, SQL_DIR, type BuildResult, type Connection } from '@scrm/warehouse';
import { appendDay } from '../setup/append-day.ts';
import { copySmallDb } from '../setup/server.ts';

/**
 * marts.orders is incremental: after new loads a build recomputes only the orders they touch. Whatever was
 * loaded — new orders, a changed line of an old order, a customer's new country — the incremental result must
 * equal a full rebuild exactly.
 */
const AS_OF = '2026-11-01'; // the small demo's analysis date: its last day of data is 2026-10-31
let db: Database;
let c: Connection;
let path: string;

const checksum = (table: string) =>
  c.one<{ rows: number; hash: string; revenue: number }>(
    `SELECT count(*) AS rows, CAST(coalesce(bit_xor(hash(t)), 0) AS VARCHAR) AS hash, sum(net_revenue) AS revenue FROM ${table} t`,
  );
const runOf = (r: BuildResult, model: string) => r.models.find((m) => m.model === model)!;
const build = (extra: { fullRefresh?: boolean; asOf?: string; sqlDir?: string } = {}) =>
  runBuild(c, { sqlDir: extra.sqlDir ?? SQL_DIR, asOf: extra.asOf ?? AS_OF, fullRefresh: extra.fullRefresh });

beforeAll(async () => {
  path = copySmallDb();
  db = await Database.open(path);
  c = await db.connect();
});
afterAll(() => {
  c?.close();
  db?.close();
  rmSync(dirname(path), { recursive: true, force: true });
});

describe('incremental marts.orders', () => {
  it('a full build stores the watermark; a build with no new load touches nothing', async () => {
    const full = runOf(await build({ fullRefresh: true }), 'marts.orders');
    expect(full).toMatchObject({ materialized: 'incremental', mode: 'full', reason: '--full-refresh' });
    expect(full.watermark).toBeGreaterThan(0);
    const again = runOf(await build(), 'marts.orders');
    expect(again).toMatchObject({ mode: 'incremental', written: 0, watermark: full.watermark, rows: full.rows });
  });

  it('after appending a day, changing an old order line and a customer, incremental equals full, row for row', async () => {
    const before = await checksum('marts.orders');
    const day = await appendDay(c, join(dirname(path), 'day'));
    expect(day.day).toBe(AS_OF);
    expect(day.orders).toBeGreaterThan(0);

    // A re-delivered, changed line of an old order: the loader replaces the row under the new load's id.
    const line = await c.one<{ order_id: string; line_number: number }>(
      `SELECT l.order_id, l.line_number FROM raw.order_lines l JOIN raw.orders o USING (order_id)
       WHERE o.status = 'completed' AND l.quantity > 0 AND o.ordered_at < DATE '2026-01-01' ORDER BY l.order_id LIMIT 1`,
    );
    const dir = join(dirname(path), 'changes');
    await c.run(`COPY (SELECT order_id, line_number, sku, product_name, category, quantity + 1 AS quantity, unit_price FROM raw.order_lines
      WHERE order_id = '${line!.order_id}' AND line_number = ${line!.line_number}) TO '${dir}-lines.csv' (HEADER)`);
    // A customer who moved: every order of theirs shows the new country.
    const customer = String(await c.value(`SELECT customer_id FROM marts.orders WHERE country <> 'PT' AND order_date < DATE '2026-06-01' ORDER BY customer_id LIMIT 1`));
    await c.run(`COPY (SELECT customer_id, email, first_name, last_name, 'PT' AS country FROM raw.customers WHERE customer_id = '${customer}')
      TO '${dir}-customer.csv' (HEADER)`);
    const spec = parseSpecText(
      `sources:\n  - { name: fix_lines, entity: order_lines, path: ${dir}-lines.csv }\n  - { name: fix_customer, entity: customers, path: ${dir}-customer.csv }\n`,
      `${dir}.yaml`,
    );
    const loads = await loadSpec(c, spec);
    expect(loads.map((l) => [l.source, l.updated])).toEqual([['fix_lines', 1], ['fix_customer', 1]]);
    const customerOrders = Number(await c.value(`SELECT count(*) FROM marts.orders WHERE customer_id = '${customer}'`));

    const inc = runOf(await build(), 'marts.orders');
    expect(inc.mode).toBe('incremental');
    // The new day's orders, the old order of the changed line, and the moved customer's orders (some may overlap).
    expect(inc.written).toBeGreaterThanOrEqual(day.orders + 1);
    expect(inc.written).toBeLessThanOrEqual(day.orders + 1 + customerOrders);
    expect(inc.rows).toBe(before!.rows + day.orders);
    const incremental = await checksum('marts.orders');
    const kpi = await c.all(`SELECT * FROM marts.kpi_daily ORDER BY date`);
    await c.run(`CREATE TEMP TABLE after_incremental AS SELECT * FROM marts.orders`);
    // Every other table of the build too (incremental or not), to compare with the full rebuild below.
    const tables = (await c.all<{ t: string }>(`SELECT schema_name || '.' || table_name AS t FROM duckdb_tables() WHERE schema_name IN ('intermediate', 'marts') AND NOT temporary ORDER BY 1`)).map((r) => r.t);
    expect(tables).toEqual(expect.arrayContaining(['marts.customer_360', 'marts.share_of_voice_daily', 'intermediate.int_mentions_scored', 'intermediate.int_customer_history']));
    // marts.clv_model records how long the fit took: everything but the timings must be equal.
    const cols = (t: string) => (t === 'marts.clv_model' ? '* EXCLUDE (fit_ms, score_ms)' : '*');
    for (const t of tables) await c.run(`CREATE TEMP TABLE ${'inc_' + t.replace('.', '_')} AS SELECT ${cols(t)} FROM ${t}`);
    expect(Number(await c.value(`SELECT count(*) FROM marts.orders WHERE customer_id = '${customer}' AND country IS DISTINCT FROM 'PT'`))).toBe(0);

    const full = runOf(await build({ fullRefresh: true }), 'marts.orders');
    expect(full.mode).toBe('full');
    expect(await checksum('marts.orders')).toEqual(incremental);
    expect(await c.value(`SELECT count(*) FROM (SELECT * FROM after_incremental EXCEPT ALL SELECT * FROM marts.orders)`)).toBe(0);
    expect(await c.value(`SELECT count(*) FROM (SELECT * FROM marts.orders EXCEPT ALL SELECT * FROM after_incremental)`)).toBe(0);
    expect(await c.all(`SELECT * FROM marts.kpi_daily ORDER BY date`)).toEqual(kpi);
    for (const t of tables) {
      const inc = 'inc_' + t.replace('.', '_');
      const diff = await c.value(`SELECT (SELECT count(*) FROM (SELECT * FROM ${inc} EXCEPT ALL SELECT ${cols(t)} FROM ${t})) + (SELECT count(*) FROM (SELECT ${cols(t)} FROM ${t} EXCEPT ALL SELECT * FROM ${inc}))`);
      expect(Number(diff), t).toBe(0);
    }
  });

  it('a new as-of date rebuilds what reads it and keeps the facts incremental; runs are logged in meta.model_runs', async () => {
    const r = await build({ asOf: '2026-11-02' });
    expect(runOf(r, 'marts.orders')).toMatchObject({ mode: 'incremental', written: 0 });
    expect(runOf(r, 'intermediate.int_customer_orders')).toMatchObject({ mode: 'full' });
    expect(runOf(r, 'intermediate.int_identity_candidates')).toMatchObject({ mode: 'unchanged' });
    const logged = await c.all(`SELECT mode, rows, rows_written FROM meta.model_runs WHERE build_id = ${r.buildId} AND model = 'intermediate.int_customer_orders'`);
    expect(logged).toEqual([{ mode: 'full', rows: runOf(r, 'intermediate.int_customer_orders').rows, rows_written: runOf(r, 'intermediate.int_customer_orders').rows }]);
  });

  it('a model that turns into a plain table and back starts again with a full build', async () => {
    const sqlDir = join(dirname(path), 'sql-table');
    cpSync(SQL_DIR, sqlDir, { recursive: true });
    const file = join(sqlDir, 'models/marts/orders.sql');
    const asTable = readFileSync(file, 'utf8')
      .replace(/^materialized: incremental\nunique_key: order_id\n/m, '')
      .replace(/\{\{\s*(new_rows|if_incremental)\([\s\S]*?\)\s*\}\}/g, 'true');
    expect(asTable).not.toMatch(/incremental\(|new_rows|unique_key/);
    writeFileSync(file, asTable);
    expect(runOf(await build({ sqlDir }), 'marts.orders')).toMatchObject({ materialized: 'table', mode: 'full' });
    // The table's state fingerprints the table version of the SQL, so the incremental version cannot resume from it.
    expect(runOf(await build(), 'marts.orders')).toMatchObject({ materialized: 'incremental', mode: 'full', reason: 'its SQL or header, or an upstream model, changed' });
  });
});
