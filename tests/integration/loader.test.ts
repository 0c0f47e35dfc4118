import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, loadSpec, parseSpecText, type Connection } from '@scrm/warehouse';

/** The loader on a real DuckDB file: bad rows quarantined with reasons, good rows loaded, re-loads idempotent. */
const dir = mkdtempSync(join(tmpdir(), 'scrm-loader-'));
let db: Database;
let c: Connection;

const ORDERS = [
  'InvoiceNo,InvoiceDate,CustomerID,Status,StockCode,Description,Quantity,UnitPrice',
  '1001,10/01/2026 10:00,C1,completed,A1,"Shirt, blue",2,10.50',
  '1001,10/01/2026 10:00,C1,completed,B2,Socks,1,3.00',
  'C1002,10/02/2026 11:00,C1,returned,A1,"Shirt, blue",-1,10.50',
  '1003,13/45/2026 11:00,,completed,A1,Shirt,abc,1.00',
  ',10/02/2026 11:00,C2,weird,A1,Shirt,1,1.00',
  '1004,10/03/2026 09:30,,completed,POST,Postage,1,4.95',
].join('\r\n');

const spec = (file: string) =>
  parseSpecText(
    `sources:
  - name: orders
    entity: orders
    path: ${file}
    options: { timestampformat: "%m/%d/%Y %H:%M", extra: false }
    columns: { order_id: InvoiceNo, ordered_at: InvoiceDate }
  - name: lines
    entity: order_lines
    path: ${file}
    options: { extra: false }
    columns: { order_id: InvoiceNo }
`,
    join(dir, 'spec.yaml'),
  );

beforeAll(async () => {
  db = await Database.open(join(dir, 'w.duckdb'));
  c = await db.connect();
  writeFileSync(join(dir, 'orders.csv'), '\ufeff' + ORDERS + '\r\n');
});
afterAll(() => {
  c.close();
  db.close();
});

describe('loader', () => {
  it('loads good rows, quarantines bad ones with every reason, and accounts for every record', async () => {
    const [orders, lines] = await loadSpec(c, spec('orders.csv'));
    // 6 records: 1001 twice (one order), C1002, 1004 good; 1003 bad date; the 5th no id and bad status.
    expect(orders).toMatchObject({ status: 'loaded', read: 6, loaded: 3, duplicate: 1, quarantined: 2, updated: 0 });
    expect(lines).toMatchObject({ status: 'loaded', read: 6, loaded: 4, quarantined: 2 });
    for (const r of [orders, lines]) expect(r.read).toBe(r.loaded + r.updated + r.duplicate + r.quarantined);

    const q = await c.all<{ source: string; record_no: number; reasons: string[] }>(`SELECT source, record_no, reasons FROM meta.quarantine ORDER BY source, record_no`);
    expect(q).toEqual([
      { source: 'lines', record_no: 4, reasons: ['invalid decimal in quantity: "abc"'] },
      { source: 'lines', record_no: 5, reasons: ['missing order_id'] },
      { source: 'orders', record_no: 4, reasons: ['invalid timestamp in ordered_at: "13/45/2026 11:00"'] },
      { source: 'orders', record_no: 5, reasons: ['missing order_id', 'status "weird" is not one of completed, cancelled, returned'] },
    ]);
    const loaded = await c.all(`SELECT order_id, customer_id, ordered_at, status FROM raw.orders ORDER BY order_id`);
    expect(loaded).toEqual([
      { order_id: '1001', customer_id: 'C1', ordered_at: '2026-10-01T10:00:00.000Z', status: 'completed' },
      { order_id: '1004', customer_id: null, ordered_at: '2026-10-03T09:30:00.000Z', status: 'completed' },
      { order_id: 'C1002', customer_id: 'C1', ordered_at: '2026-10-02T11:00:00.000Z', status: 'returned' },
    ]);
    // Line numbers are derived from the position of the line within its order.
    const ln = await c.all(`SELECT order_id, line_number, sku, quantity FROM raw.order_lines ORDER BY order_id, line_number`);
    expect(ln).toEqual([
      { order_id: '1001', line_number: 1, sku: 'A1', quantity: 2 },
      { order_id: '1001', line_number: 2, sku: 'B2', quantity: 1 },
      { order_id: '1004', line_number: 1, sku: 'POST', quantity: 1 },
      { order_id: 'C1002', line_number: 1, sku: 'A1', quantity: -1 },
    ]);
  });

  it('skips a file whose content was loaded before, and adds nothing', async () => {
    const before = await c.value(`SELECT count(*) FROM raw.order_lines`);
    const results = await loadSpec(c, spec('orders.csv'));
    expect(results.map((r) => r.status)).toEqual(['skipped', 'skipped']);
    expect(await c.value(`SELECT count(*) FROM raw.order_lines`)).toBe(before);
  });

  it('a changed row in a new file replaces the older version; unchanged rows count as duplicates', async () => {
    writeFileSync(join(dir, 'orders-v2.csv'), ORDERS.replace('1004,10/03/2026 09:30,,completed', '1004,10/03/2026 09:30,,cancelled') + '\r\n');
    const [orders] = await loadSpec(c, spec('orders-v2.csv'), { only: 'orders' });
    expect(orders).toMatchObject({ read: 6, loaded: 0, updated: 1, duplicate: 3, quarantined: 2 });
    expect(await c.all(`SELECT order_id, status FROM raw.orders WHERE order_id = '1004'`)).toEqual([{ order_id: '1004', status: 'cancelled' }]);
    expect(await c.value(`SELECT count(*) FROM raw.orders`)).toBe(3);
  });

  it('a missing file fails that source with a message naming the file; the load audit records every load', async () => {
    const [r] = await loadSpec(c, spec('nope.csv'), { only: 'orders' });
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/file not found: .*nope\.csv/);
    const audit = await c.all(`SELECT source, status, rows_read FROM meta.loads ORDER BY load_id`);
    expect(audit).toEqual([
      { source: 'orders', status: 'loaded', rows_read: 6 },
      { source: 'lines', status: 'loaded', rows_read: 6 },
      { source: 'orders', status: 'loaded', rows_read: 6 },
    ]);
  });
});
