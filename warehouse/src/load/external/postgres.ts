import { join } from 'node:path';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Materialised } from '../external.ts';
import type { Source } from '../spec.ts';
import { columnNames } from './csv-records.ts';
import { connectionString, pgText, redact, selectSql } from './postgres-sql.ts';
import { CsvRecordsFile, tempFolder } from './records-file.ts';

/** Rows per cursor read: measured on 1 M rows, 2,000 grows RSS by ~25 MB and 10,000 by ~90 MB (and is slower). */
const BATCH = 2_000;
/** date, timestamp (without time zone), json, jsonb: kept as the server's text, so no local time zone applies. */
const AS_TEXT = new Set([1082, 1114, 114, 3802]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    AS_TEXT.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Streams a PostgreSQL table or query through a cursor, BATCH rows at a time, into a CSV of text values,
 * inside a read-only transaction. Messages name the source and the server without its password.
 */
export async function materialisePostgres(source: Source): Promise<Materialised> {
  const sql = selectSql(source.name, source.options);
  const conn = connectionString(source.name, source.path, process.env);
  const where = redact(conn);
  const client = new pg.Client({ connectionString: conn, connectionTimeoutMillis: 15_000, types, application_name: 'scrm load' });
  client.on('error', () => {}); // a dropped connection also fails the pending read, which reports it
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw new Error(`source ${source.name}: cannot connect to ${where}: ${message(err)}`);
  }
  const tmp = await tempFolder();
  let csv: CsvRecordsFile | undefined;
  try {
    await client.query('BEGIN TRANSACTION READ ONLY');
    const cursor = client.query(new Cursor(sql, [], { rowMode: 'array', types }));
    for (;;) {
      const { rows, fields } = await read(cursor, BATCH);
      csv ??= new CsvRecordsFile(join(tmp.dir, 'records.csv'), columnNames(fields.map((f) => f.name), Math.max(1, fields.length)));
      if (rows.length === 0) break;
      for (const row of rows) await csv.write(row.map(pgText));
    }
    await cursor.close();
    await client.query('COMMIT');
    const contentHash = await csv!.close();
    return { path: csv!.path, format: 'csv', contentHash, records: csv!.records, cleanup: tmp.remove };
  } catch (err) {
    csv?.destroy();
    await tmp.remove();
    throw new Error(`source ${source.name}: cannot read ${String(source.options.table ?? 'query')} from ${where}: ${message(err)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

function read(cursor: Cursor<unknown[]>, n: number): Promise<{ rows: unknown[][]; fields: pg.FieldDef[] }> {
  return new Promise((resolve, reject) => {
    cursor.read(n, (err, rows, result) => (err ? reject(err) : resolve({ rows, fields: result?.fields ?? [] })));
  });
}

function message(err: unknown): string {
  const e = err as Error & { code?: string };
  return (e.message || e.code || String(err)).split('\n')[0];
}
