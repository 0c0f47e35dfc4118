import { JSDuckDBValueConverter, type DuckDBDataChunk, type DuckDBResult } from '@duckdb/node-api';
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
