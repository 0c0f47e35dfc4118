import { DuckDBVarCharVector, JSDuckDBValueConverter, type DuckDBDataChunk, type DuckDBResult } from '@duckdb/node-api';
import type { Connection } from '@scrm/warehouse';

/**
 * The export query's result as a stream of column-major chunks (DuckDB's 2048-row vectors), converted to
 * JavaScript values: strings, bigint (integers), numbers, booleans, Date (dates and timestamps), null.
 * Only one chunk is in memory at a time.
 */
export type Columns = unknown[][];

export async function* resultChunks(conn: Connection, query: { sql: string; parameters: never[] }): AsyncGenerator<{ columns: Columns; rows: number }> {
  const result: DuckDBResult = await conn.raw.stream(query.sql, query.parameters);
  for (;;) {
    const chunk: DuckDBDataChunk | null = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    yield { columns: chunk.convertColumns(JSDuckDBValueConverter), rows: chunk.rowCount };
  }
}

/** A one-column VARCHAR result, chunk by chunk, as arrays of strings (null as ''). */
export async function* textChunks(conn: Connection, query: { sql: string; parameters: never[] }): AsyncGenerator<string[]> {
  const result: DuckDBResult = await conn.raw.stream(query.sql, query.parameters);
  for (;;) {
    const chunk: DuckDBDataChunk | null = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    const v = chunk.getColumnVector(0) as DuckDBVarCharVector;
    const out = new Array<string>(chunk.rowCount);
    for (let i = 0; i < out.length; i++) out[i] = v.getItem(i) ?? '';
    yield out;
  }
}
