import { execFileSync } from 'node:child_process';
import { closeSync, constants, createReadStream, openSync } from 'node:fs';
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
 * Arrow and XLSX encode DuckDB's result chunk by chunk; CSV and Parquet are DuckDB's own COPY (on all its threads) to a temporary named pipe or file, streamed and
 * then deleted.
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

  /**
   * DuckDB's COPY of `sql` to a temporary path, streamed in 1 MB reads and then deleted: constant memory. For CSV
   * the path is a named pipe, so the client receives lines while DuckDB still writes them; if the client goes away
   * the pipe closes and DuckDB's next write fails, which ends the COPY. Parquet (or a system without mkfifo) goes
   * through a regular file, sent once written.
   */
  async function* copied(sql: string, parameters: never[], options: string, name: string, setRows: (n: number) => void): AsyncGenerator<Uint8Array> {
    const dir = await mkdtemp(join(tmpdir(), 'scrm-export-'));
    const file = join(dir, name);
    const copy = () => job.conn.raw.run(`COPY (${sql}) TO ${literal(file)} (${options})`, parameters).then((r) => setRows(Number(r.rowsChanged)));
    try {
      if (!name.endsWith('.csv') || !makeFifo(file)) {
        await copy();
        for await (const buf of createReadStream(file, { highWaterMark: 1 << 20 })) yield buf as Uint8Array;
        return;
      }
      const reader = createReadStream(file, { highWaterMark: 1 << 20 });
      // If the COPY fails before it opens the pipe, the reader would wait for a writer forever: be that writer.
      const copying = copy().catch((err: Error) => {
        closeFifoWriter(file);
        throw err;
      });
      copying.catch(() => undefined); // handled below, after the reader ends; not an unhandled rejection meanwhile
      try {
        for await (const buf of reader) yield buf as Uint8Array;
        await copying;
      } finally {
        reader.destroy();
        await copying.catch(() => undefined);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function makeFifo(path: string): boolean {
  try {
    execFileSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function closeFifoWriter(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    /* no reader waiting: nothing to release */
  }
}
