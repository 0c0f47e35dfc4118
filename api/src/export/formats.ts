import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { literal, type Connection } from '@scrm/warehouse';
import type { ExportType } from '@scrm/warehouse/segments/index';
import { ArrowEncoder } from './arrow.ts';
import { resultChunks } from './chunks.ts';
import { CSV_COPY_OPTIONS } from './csv.ts';
import { xlsxBytes } from './xlsx.ts';

/**
 * The export formats: each turns the export query into a stream of file bytes and counts the rows it wrote.
 * Arrow and XLSX encode DuckDB's result chunk by chunk; CSV and Parquet are DuckDB's own COPY to a temporary file, streamed and then deleted — DuckDB writes them on all its threads.
 */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'parquet', 'arrow'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
};

export interface ExportJob {
  conn: Connection;
  query: { sql: string; parameters: never[] };
  columns: readonly { name: string; type: ExportType }[];
}

export interface Encoded {
  bytes: AsyncIterable<Uint8Array>;
  /** Rows written so far (all of them once `bytes` is exhausted). */
  rows: () => number;
}

export function encode(format: ExportFormat, job: ExportJob): Encoded {
  let rows = 0;
  const counted = async function* () {
    for await (const chunk of resultChunks(job.conn, job.query)) {
      rows += chunk.rows;
      yield chunk;
    }
  };
  const out = { rows: () => rows };
  switch (format) {
    case 'csv':
      return { ...out, bytes: copied(job.query.sql, job.query.parameters, CSV_COPY_OPTIONS, 'export.csv', (n) => (rows = n)) };
    case 'arrow':
      return {
        ...out,
        bytes: (async function* () {
          const enc = new ArrowEncoder(job.columns);
          yield* enc.start();
          for await (const c of counted()) yield* enc.batch(c.columns, c.rows);
          yield* enc.end();
        })(),
      };
    case 'xlsx':
      return { ...out, bytes: xlsxBytes(job.columns, counted()) };
    case 'parquet':
      return { ...out, bytes: copied(job.query.sql, job.query.parameters, 'FORMAT parquet, COMPRESSION zstd', 'export.parquet', (n) => (rows = n)) };
  }

  /** DuckDB's COPY of `sql` to a temporary file, streamed in 1 MB reads and then deleted: constant memory. */
  async function* copied(sql: string, parameters: never[], options: string, name: string, setRows: (n: number) => void): AsyncGenerator<Uint8Array> {
    const dir = await mkdtemp(join(tmpdir(), 'scrm-export-'));
    try {
      const file = join(dir, name);
      const r = await job.conn.raw.run(`COPY (${sql}) TO ${literal(file)} (${options})`, parameters);
      setRows(Number(r.rowsChanged));
      for await (const buf of createReadStream(file, { highWaterMark: 1 << 20 })) yield buf as Uint8Array;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
