import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Materialised } from '../external.ts';
import type { Source } from '../spec.ts';
import { columnNames, padRecord, type Value } from './csv-records.ts';
import { CsvRecordsFile, LineFile, tempFolder } from './records-file.ts';
import { isEmptyRow, isWantedSheet, rowValues, xlsxOptions } from './xlsx-cells.ts';

/**
 * Streams one sheet of an .xlsx file into a CSV of text values. Two passes over temporary files keep memory
 * bounded: the rows go out as JSON arrays while the widest row is measured, then become CSV records padded to
 * that width under the header. (The workbook's shared strings are held in memory, as the format requires.)
 */
export async function materialiseXlsx(source: Source, file: string): Promise<Materialised> {
  const opts = xlsxOptions(source.name, source.options);
  const tmp = await tempFolder();
  try {
    const rows = new LineFile(join(tmp.dir, 'rows.jsonl'));
    let header: Value[] | undefined;
    let width = 0;
    let records = 0;
    const sheet = await readSheet(file, opts.sheet, async (rowNumber, values) => {
      if (rowNumber <= opts.skipRows || isEmptyRow(values)) return;
      if (opts.header && !header) {
        header = values;
        width = values.length;
        return;
      }
      width = Math.max(width, values.length);
      records++;
      await rows.write(JSON.stringify(values) + '\n');
    }).catch((err: Error) => {
      rows.destroy();
      throw err;
    });
    await rows.close();
    if (!sheet) throw new Error(`${file} has no sheet ${typeof opts.sheet === 'number' ? `number ${opts.sheet}` : `named "${opts.sheet}"`}`);

    const columns = columnNames(header ?? [], width);
    if (columns.length === 0) columns.push('column1');
    const csv = new CsvRecordsFile(join(tmp.dir, 'records.csv'), columns);
    for await (const line of createInterface({ input: createReadStream(rows.path), crlfDelay: Infinity })) {
      if (line) await csv.write(padRecord(JSON.parse(line) as Value[], columns.length));
    }
    const contentHash = await csv.close();
    return { path: csv.path, format: 'csv', contentHash, records, cleanup: tmp.remove };
  } catch (err) {
    await tmp.remove();
    throw err;
  }
}

/**
 * Calls `onRow` for every row of the wanted sheet, in order; returns the sheet's name, or undefined when the
 * workbook has no such sheet. Stops reading the file once the sheet is done.
 */
async function readSheet(file: string, wanted: string | number, onRow: (rowNumber: number, values: Value[]) => Promise<void>): Promise<string | undefined> {
  const input = createReadStream(file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
  });
  const model = reader as unknown as { model?: { sheets?: { name: string }[] } };
  try {
    for await (const worksheet of reader) {
      const ws = worksheet as unknown as { name: string } & AsyncIterable<ExcelJS.Row>;
      const position = (model.model?.sheets ?? []).findIndex((s) => s.name === ws.name) + 1;
      if (!isWantedSheet(wanted, ws.name, position)) continue;
      for await (const row of ws) {
        await onRow(row.number, rowValues(row.values)).catch((err: Error) => {
          throw new RowError(err);
        });
      }
      return ws.name;
    }
    return undefined;
  } catch (err) {
    if (err instanceof RowError) throw err.cause;
    throw new Error(`cannot read ${file} as an xlsx workbook: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    input.destroy();
  }
}

/** A failure while handling a row (e.g. writing the temporary file), not while reading the workbook. */
class RowError extends Error {
  constructor(readonly cause: Error) {
    super(cause.message);
  }
}
