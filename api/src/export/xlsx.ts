import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import type { ExportType } from '@scrm/warehouse/segments/index';
import type { Columns } from './chunks.ts';

/** Most data rows of one worksheet (Excel's limit is 1,048,576 rows including the header). */
export const XLSX_MAX_ROWS = 1_048_575;
/** How far the workbook may run ahead of the client before rows wait. */
const AHEAD_BYTES = 4 << 20;

const VALUE: Record<ExportType, (v: unknown) => unknown> = {
  text: (v) => v,
  integer: (v) => Number(v),
  double: (v) => v,
  boolean: (v) => v,
  date: (v) => v,
  timestamp: (v) => v,
};

/**
 * One worksheet written with exceljs's streaming WorkbookWriter: each row is committed (and leaves memory) as it
 * is added; the zip comes out of a stream that the caller reads, and rows wait while the client is behind.
 */
export async function* xlsxBytes(
  columns: readonly { name: string; type: ExportType }[],
  chunks: AsyncIterable<{ columns: Columns; rows: number }>,
): AsyncGenerator<Uint8Array> {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('customers');
  ws.columns = columns.map((c) => ({ header: c.name, key: c.name }));
  const convert = columns.map((c) => VALUE[c.type]);
  let stopped = false;
  const produce = (async () => {
    try {
      for await (const chunk of chunks) {
        for (let r = 0; r < chunk.rows; r++) {
          const row: unknown[] = new Array(convert.length);
          for (let i = 0; i < convert.length; i++) {
            const v = chunk.columns[i][r];
            row[i] = v === null || v === undefined ? null : convert[i](v);
          }
          ws.addRow(row).commit();
        }
        while (out.readableLength > AHEAD_BYTES && !stopped) await new Promise((r) => setTimeout(r, 2));
        if (stopped) return;
      }
      ws.commit();
      await wb.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  try {
    for await (const buf of out) yield buf as Uint8Array;
    await produce;
  } finally {
    stopped = true;
  }
}
