import { Hono } from 'hono';
import { z } from 'zod';
import { describeModels, latestBuild, SQL_DIR } from '@scrm/warehouse';
import { allow, principalOf, type Role } from '../auth.ts';
import { ConsoleAborted, ConsoleTimeout, openCursor, type ConsoleCursor } from '../console/execute.ts';
import { arrowBatch, arrowSchema, chunkRows, csvLine, RecordBatchStreamWriter } from '../console/formats.ts';
import { limitsFromEnv, type ConsoleLimits } from '../console/limits.ts';
import { ConsoleRefusal, prepareConsoleSql, type PiiDocs } from '../console/prepare.ts';
import { ConsoleSlots } from '../console/slots.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';

const CONSOLE_ROLES: Role[] = ['analyst', 'admin'];

/** The console's request body (also the OpenAPI document's). */
export const SqlRequest = z.object({
  sql: z.string().min(1, 'sql is required').max(100_000, 'sql is limited to 100000 characters'),
  format: z.enum(['json', 'csv', 'arrow']).default('json'),
  max_rows: z.number().int().positive().optional(),
});

/**
 * The analysts' SQL console: POST /sql runs one read-only SELECT over marts.* (see console/ and
 * warehouse/src/console/guard.ts) on the console's own connections; GET /sql/schema lists the marts with
 * their columns and docs for the editor.
 */
export function sqlRoutes(ctx: AppContext, limits: ConsoleLimits = limitsFromEnv(), sqlDir = SQL_DIR) {
  const slots = new ConsoleSlots(ctx.db, limits.slots, limits.queueMs);
  let piiDocs: PiiDocs | undefined;
  const pii = async () =>
    (piiDocs ??= new Map(
      (await describeModels(null, sqlDir))
        .filter((m) => m.layer === 'marts')
        .map((m) => [m.name.split('.')[1], new Set(m.columns.filter((col) => /\(PII\)/.test(col.doc ?? '')).map((col) => col.name))]),
    ));

  return new Hono()
    .get('/sql/schema', allow(CONSOLE_ROLES, 'the SQL console'), async (c) => {
      const models = await ctx.pool.use((conn) => describeModels(conn, sqlDir));
      const marts = models
        .filter((m) => m.layer === 'marts' && m.built)
        .map((m) => ({ name: m.name, table: m.name.split('.')[1], description: m.description, columns: m.columns.filter((col) => col.type !== null), rows: m.rows }));
      return c.json({ schema: 'marts', tables: marts });
    })
    .post('/sql', allow(CONSOLE_ROLES, 'the SQL console'), async (c) => {
      const body = SqlRequest.parse(
        await c.req.json().catch(() => {
          throw new HttpError(400, 'the body must be JSON: {"sql": "SELECT …", "format"?: "json"|"csv"|"arrow", "max_rows"?: n}');
        }),
      );
      const stream = body.format !== 'json';
      const maxRows = Math.min(body.max_rows ?? Infinity, stream ? limits.maxRowsStream : limits.maxRows);
      const maxBytes = stream ? limits.maxBytesStream : limits.maxBytes;
      const started = performance.now();
      const principal = principalOf(c);
      const docs = await pii();
      const conn = await slots.acquire();
      let cursor: ConsoleCursor | undefined;
      let released = false;
      const done = () => {
        cursor?.close();
        if (!released) (released = true), slots.release(conn);
      };
      try {
        const sql = await prepareConsoleSql(conn, body.sql, principal, docs);
        const buildId = (await latestBuild(conn).catch(() => null))?.build_id ?? null;
        cursor = await openCursor(conn, sql, { timeoutMs: limits.timeoutMs, signal: c.req.raw.signal });
        // The first chunk before any header: errors of binding and of most heavy queries are still a JSON 4xx.
        const first = await cursor.next();
        if (!stream) {
          const answer = await jsonAnswer(cursor, first, maxRows, maxBytes);
          done();
          return c.json({ columns: cursor.columns, ...answer, elapsed_ms: Math.round(performance.now() - started), build_id: buildId });
        }
        const headers = {
          'x-scrm-max-rows': String(maxRows),
          'x-scrm-max-bytes': String(maxBytes),
          'x-scrm-build-id': String(buildId ?? ''),
          'cache-control': 'no-store',
        };
        const body$ = body.format === 'csv' ? csvStream(cursor, first, maxRows, maxBytes, done) : arrowStream(cursor, first, maxRows, maxBytes, done);
        return c.body(body$, 200, { ...headers, 'content-type': body.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.arrow.stream' });
      } catch (err) {
        done();
        throw consoleError(err);
      }
    });
}

async function jsonAnswer(cursor: ConsoleCursor, first: Awaited<ReturnType<ConsoleCursor['next']>>, maxRows: number, maxBytes: number) {
  const rows: unknown[][] = [];
  let bytes = 0;
  let truncated: 'max_rows' | 'max_bytes' | null = null;
  for (let chunk = first; chunk; chunk = await cursor.next()) {
    for (const row of chunkRows(chunk)) {
      if (rows.length >= maxRows) truncated = 'max_rows';
      else {
        bytes += JSON.stringify(row).length + 1;
        if (bytes > maxBytes) truncated = 'max_bytes';
        else rows.push(row);
      }
      if (truncated) break;
    }
    if (truncated) break;
  }
  return { rows, row_count: rows.length, truncated: truncated !== null, truncated_by: truncated };
}

type Chunk = Awaited<ReturnType<ConsoleCursor['next']>>;

/** Pulls chunks as the client reads: at most one chunk ahead of it, none past the caps. */
function csvStream(cursor: ConsoleCursor, first: Chunk, maxRows: number, maxBytes: number, done: () => void): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let pending = first;
  let rows = 0;
  let bytes = 0;
  let inFlight: Promise<void> = Promise.resolve();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const header = enc.encode(csvLine(cursor.columns.map((col) => col.name)));
      bytes += header.length;
      controller.enqueue(header);
    },
    pull(controller) {
      inFlight = (async () => {
        try {
          if (!pending || rows >= maxRows || bytes >= maxBytes) {
            done();
            controller.close();
            return;
          }
          const part = enc.encode(chunkRows(pending, maxRows - rows).map(csvLine).join(''));
          rows += Math.min(pending.rowCount, maxRows - rows);
          bytes += part.length;
          controller.enqueue(part);
          pending = rows < maxRows && bytes < maxBytes ? await cursor.next() : null;
        } catch (err) {
          done();
          controller.error(err);
        }
      })();
      return inFlight;
    },
    async cancel() {
      await inFlight.catch(() => {});
      done();
    },
  });
}

/** Arrow IPC stream: one record batch per DuckDB chunk, written as they come, up to the caps. */
function arrowStream(cursor: ConsoleCursor, first: Chunk, maxRows: number, maxBytes: number, done: () => void): ReadableStream<Uint8Array> {
  const writer = new RecordBatchStreamWriter();
  const out = writer.toDOMStream();
  const schema = arrowSchema(cursor.columns.map((col) => col.name), cursor.types);
  void (async () => {
    try {
      let rows = 0;
      let bytes = 0;
      writer.reset(undefined, schema); // the schema goes out even when no row does
      for (let chunk = first; chunk; chunk = rows < maxRows && bytes < maxBytes ? await cursor.next() : null) {
        const batch = arrowBatch(schema, chunkRows(chunk, maxRows - rows));
        rows += batch.numRows;
        bytes += batch.data.byteLength;
        writer.write(batch);
      }
      writer.finish();
    } catch (err) {
      writer.abort(err);
    } finally {
      done();
    }
  })();
  return out;
}

/** A console failure as the HTTP error the client gets (DuckDB's own errors: 400, or 422 for memory). */
export function consoleError(err: unknown): unknown {
  if (err instanceof HttpError) return err;
  if (err instanceof ConsoleRefusal) return new HttpError(400, err.message);
  if (err instanceof ConsoleTimeout) return new HttpError(422, err.message);
  if (err instanceof ConsoleAborted) return new HttpError(400, err.message);
  const msg = err instanceof Error ? err.message : String(err);
  if (/^Out of Memory Error/i.test(msg)) return new HttpError(422, `the query ran out of memory: ${firstLine(msg)}; aggregate or filter more, or ask for fewer columns`);
  if (/^INTERRUPT Error/i.test(msg)) return new HttpError(422, `the query was interrupted: ${firstLine(msg)}`);
  if (/^[A-Za-z ]+ Error: /.test(msg)) return new HttpError(400, `the query failed: ${firstLine(msg)}`);
  return err;
}

const firstLine = (s: string) => s.split('\n')[0];
