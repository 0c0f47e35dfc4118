import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '@scrm/warehouse';
import { HttpError } from '../errors.ts';
import { consoleError } from '../routes/sql.ts';
import { ConsoleAborted, ConsoleTimeout, openCursor } from './execute.ts';

/** The console's cursor on a real DuckDB (in memory, 1 thread, a small memory limit). */
let db: Database;
let conn: Connection;
beforeAll(async () => {
  db = await Database.open(':memory:', { threads: 1, memoryLimit: '64MB' });
  conn = await db.connect();
});
afterAll(() => {
  conn?.close();
  db?.close();
});

const heavy = 'SELECT count(*) FROM range(100000) a, range(100000) b WHERE a.range + b.range = 3';

describe('console cursor', () => {
  it('interrupts at the timeout, and the connection runs the next query', async () => {
    const t = performance.now();
    const err = await openCursor(conn, heavy, { timeoutMs: 300 }).then((c) => c.next()).catch((e) => e);
    expect(err).toBeInstanceOf(ConsoleTimeout);
    expect(err.message).toBe("cancelled after 0.3 s: the console's statement timeout");
    expect(performance.now() - t).toBeLessThan(5_000);
    expect(await conn.value('SELECT 42')).toBe(42);
  });

  it('interrupts when the request is aborted', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 200);
    const err = await openCursor(conn, heavy, { timeoutMs: 60_000, signal: ctrl.signal }).then((c) => c.next()).catch((e) => e);
    expect(err).toBeInstanceOf(ConsoleAborted);
    expect(await conn.value('SELECT 43')).toBe(43);
  });

  it('reads chunk by chunk: stopping early leaves the connection usable', async () => {
    const cursor = await openCursor(conn, 'SELECT * FROM range(100000000)', { timeoutMs: 10_000 });
    const chunk = await cursor.next();
    expect(chunk!.rowCount).toBeGreaterThan(0);
    cursor.close();
    expect(await conn.value('SELECT 44')).toBe(44);
  });

  it('maps DuckDB running out of memory to a 422 with the reason', async () => {
    const err = await openCursor(conn, 'SELECT list(range) FROM range(100000000)', { timeoutMs: 60_000 }).then((c) => c.next()).catch((e) => e);
    const http = consoleError(err) as HttpError;
    expect(http).toBeInstanceOf(HttpError);
    expect(http.status).toBe(422);
    expect(http.message).toMatch(/^the query ran out of memory: Out of Memory Error/);
    expect(await conn.value('SELECT 45')).toBe(45);
  });
});
