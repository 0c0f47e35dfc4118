import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounted, scratch } from '../setup/scratch.ts';
import { loadSpec } from '@scrm/warehouse';


/** The xlsx source: workbooks written here with exceljs, loaded into DuckDB files. */
const sc = scratch('xlsx-source');
const { dir, open, warehouse, spec } = sc;
const utc = (...a: [number, number, number, number?, number?]) => new Date(Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0));

async function writeWorkbook(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Clientes');
  ws.addRow(['Informe de clientes — noviembre 2026']);
  ws.addRow(['ID', 'Nombre', 'Apellidos', 'E-mail', 'Fecha alta', 'Fecha nacimiento', 'Newsletter', 'Puntos', 'Puntos x2', 'Web']);
  ws.addRow(['C1', 'José', { richText: [{ text: 'Núñez ' }, { font: { bold: true }, text: 'García' }] }, 'jose@example.com', utc(2026, 1, 5, 10, 30), utc(1990, 4, 1), true, 120,
    { formula: 'H3*2', result: 240 }, { text: 'perfil', hyperlink: 'https://example.com/c1' }]);
  ws.addRow(['C2', 'Ana', 'Gómez', 'ana@example.com', 'no es fecha', utc(1985, 12, 31), false, 80, { formula: 'H4*2', result: 160 }]);
  ws.addRow([]);
  ws.addRow([101, 'Zoë', 'Ørsted', 'zoe@example.com', utc(2026, 2, 1), { error: '#N/A' }, 'sí', 5.5, { formula: 'H6*2', result: 11 }]);
  ws.addRow([null, 'Sin', 'Id', 'sinid@example.com', utc(2026, 2, 2)]);
  ws.getRow(8).getCell(1).value = '';
  ws.getRow(9).getCell(2).value = '  ';
  const orders = wb.addWorksheet('Pedidos');
  orders.addRow(['Pedido', 'Fecha', 'Cliente', 'Importe', 'Estado']);
  orders.addRow(['P1', utc(2026, 3, 1, 9, 0), 'C1', 19.9, 'completed']);
  orders.addRow(['P2', utc(2026, 3, 2, 17, 45), 'C2', 1200, 'returned']);
  orders.addRow(['P3', 'ayer', 'C2', 3, 'completed']);
  await wb.xlsx.writeFile(file);
}

beforeAll(async () => {
  await writeWorkbook(join(dir, 'crm.xlsx'));
  writeFileSync(join(dir, 'broken.xlsx'), randomBytes(4096));
});

afterAll(() => {
  sc.close();
});

describe('xlsx source', () => {
  it('reads the first sheet below a title row: typed cells, rich text, formulas, hyperlinks, errors; empty rows are not records', async () => {
    const c = await warehouse('customers');
    const [r] = await loadSpec(c, spec(`sources:\n  - { name: clientes, entity: customers, path: crm.xlsx, options: { skip_rows: 1 } }\n`));
    expect(r).toMatchObject({ status: 'loaded', read: 4, loaded: 2, duplicate: 0, quarantined: 2 });
    accounted(r);
    expect(await c.all(`SELECT record_no, reasons FROM meta.quarantine ORDER BY record_no`)).toEqual([
      { record_no: 2, reasons: ['invalid timestamp in created_at: "no es fecha"'] },
      { record_no: 4, reasons: ['missing customer_id'] },
    ]);
    expect(await c.all(`SELECT customer_id, first_name, last_name, email, created_at, CAST(birth_date AS VARCHAR) AS birth_date, marketing_consent, extra FROM raw.customers ORDER BY customer_id`)).toEqual([
      { customer_id: '101', first_name: 'Zoë', last_name: 'Ørsted', email: 'zoe@example.com', created_at: '2026-02-01T00:00:00.000Z', birth_date: null, marketing_consent: true, extra: '{"Puntos":"5.5","Puntos x2":"11","Web":null}' },
      { customer_id: 'C1', first_name: 'José', last_name: 'Núñez García', email: 'jose@example.com', created_at: '2026-01-05T10:30:00.000Z', birth_date: '1990-04-01', marketing_consent: true, extra: '{"Puntos":"120","Puntos x2":"240","Web":"perfil"}' },
    ]);
    const [again] = await loadSpec(c, spec(`sources:\n  - { name: clientes, entity: customers, path: crm.xlsx, options: { skip_rows: 1 } }\n`));
    expect(again).toMatchObject({ status: 'skipped', message: 'same file content already loaded' });
  });

  it('selects a sheet by name or by 1-based number', async () => {
    for (const sheet of ['Pedidos', '2']) {
      const c = await warehouse(`orders-${sheet}`);
      const [r] = await loadSpec(c, spec(`sources:\n  - { name: pedidos, entity: orders, path: crm.xlsx, options: { sheet: ${sheet}, extra: false } }\n`));
      expect(r).toMatchObject({ status: 'loaded', read: 3, loaded: 2, quarantined: 1 });
      accounted(r);
      expect(await c.all(`SELECT record_no, reasons FROM meta.quarantine`)).toEqual([{ record_no: 3, reasons: ['invalid timestamp in ordered_at: "ayer"'] }]);
      expect(await c.all(`SELECT order_id, customer_id, ordered_at, CAST(total_amount AS VARCHAR) AS total, status FROM raw.orders ORDER BY order_id`)).toEqual([
        { order_id: 'P1', customer_id: 'C1', ordered_at: '2026-03-01T09:00:00.000Z', total: '19.9000', status: 'completed' },
        { order_id: 'P2', customer_id: 'C2', ordered_at: '2026-03-02T17:45:00.000Z', total: '1200.0000', status: 'returned' },
      ]);
    }
  });

  it('without skip_rows the title row is taken as the header, and a missing sheet fails with a clear message', async () => {
    const c = await warehouse('title');
    const results = await loadSpec(c, spec(`sources:
  - { name: titled, entity: customers, path: crm.xlsx }
  - { name: nosheet, entity: customers, path: crm.xlsx, options: { sheet: Ventas } }
  - { name: nosheet3, entity: customers, path: crm.xlsx, options: { sheet: 3 } }
`));
    expect(results[0]).toMatchObject({ status: 'loaded', read: 5, loaded: 0, quarantined: 5 });
    expect(results[1]).toMatchObject({ status: 'failed', message: `${join(dir, 'crm.xlsx')} has no sheet named "Ventas"` });
    expect(results[2]).toMatchObject({ status: 'failed', message: `${join(dir, 'crm.xlsx')} has no sheet number 3` });
  });

  it('a corrupt file fails that source with a message naming the file; the other sources of the spec still load', async () => {
    const c = await warehouse('corrupt');
    const results = await loadSpec(c, spec(`sources:
  - { name: broken, entity: customers, path: broken.xlsx }
  - { name: pedidos, entity: orders, path: crm.xlsx, options: { sheet: Pedidos } }
`));
    expect(results[0].status).toBe('failed');
    expect(results[0].message).toMatch(new RegExp(`^cannot read ${join(dir, 'broken.xlsx').replace(/[.]/g, '\\.')} as an xlsx workbook: `));
    expect(results[1]).toMatchObject({ status: 'loaded', read: 3, loaded: 2, quarantined: 1 });
  });
});
