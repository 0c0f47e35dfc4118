import type { DuckDBDataChunk, DuckDBResult, DuckDBType } from '@duckdb/node-api';
import type { Connection } from '@scrm/warehouse';

/** The query ran past the console's statement timeout and was interrupted. */
export class ConsoleTimeout extends Error {}
/** The client went away; the query was interrupted. */
export class ConsoleAborted extends Error {}

export interface ConsoleCursor {
  columns: { name: string; type: string }[];
  types: DuckDBType[];
  /** The next chunk of rows (DuckDB's vectors, up to 2048 rows), or null at the end. */
  next(): Promise<DuckDBDataChunk | null>;
  /** Stops the clock; call once done (or on stopping early: the rest is never computed). */
  close(): void;
}

/**
 * Starts a streaming query on a console connection. A timer interrupts it (DuckDBConnection.interrupt)
 * after `timeoutMs`, the request's abort signal interrupts it at once; either way the connection stays
 * usable for the next query. Rows are pulled chunk by chunk, so a caller that stops early never makes
 * DuckDB produce the rest.
 */
export async function openCursor(conn: Connection, sql: string, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<ConsoleCursor> {
  let why: 'timeout' | 'abort' | null = null;
  const interrupt = (reason: 'timeout' | 'abort') => {
    if (why) return;
    why = reason;
    conn.raw.interrupt();
  };
  const timer = setTimeout(() => interrupt('timeout'), opts.timeoutMs);
  const onAbort = () => interrupt('abort');
  opts.signal?.addEventListener('abort', onAbort);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  };
  const explain = (err: unknown): never => {
    close();
    if (why === 'timeout') throw new ConsoleTimeout(`cancelled after ${opts.timeoutMs / 1000} s: the console's statement timeout`);
    if (why === 'abort') throw new ConsoleAborted('the client closed the request; the query was interrupted');
    throw err;
  };
  if (opts.signal?.aborted) explain(new ConsoleAborted('aborted'));
  let result: DuckDBResult;
  try {
    result = await conn.raw.stream(sql);
  } catch (err) {
    return explain(err);
  }
  const columns = result.columnNames().map((name, i) => ({ name, type: result.columnType(i).toString() }));
  return {
    columns,
    types: result.columnTypes(),
    next: async () => {
      try {
        const chunk = await result.fetchChunk();
        if (why) explain(new Error('interrupted'));
        return chunk && chunk.rowCount > 0 ? chunk : null;
      } catch (err) {
        return explain(err);
      }
    },
    close,
  };
}
