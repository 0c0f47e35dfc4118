import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '@scrm/warehouse';
import { encode } from './formats.ts';

/** CSV exports stream through a named pipe while DuckDB writes: failures and early stops must not hang. */
let db: Database;
let conn: Connection;
beforeAll(async () => {
  db = await Database.open(':memory:');
  conn = await db.connect();
});
afterAll(() => {
  conn.close();
  db.close();
});

const job = (sql: string) => ({ conn, query: { sql, parameters: [] as never[] }, columns: [] });

describe('CSV export through a pipe', () => {
  it('streams every row and counts them', async () => {
    const e = encode('csv', job(`SELECT i AS id, 'n' || i AS name FROM range(200000) t(i)`));
    let text = '';
    for await (const b of e.bytes) text += Buffer.from(b).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('id,name');
    expect(lines[200000]).toBe('199999,n199999');
    expect(lines).toHaveLength(200002); // header, rows, and the empty string after the last CR LF
    expect(e.rows()).toBe(200000);
  });

  it('rejects (does not hang) when the query fails before DuckDB opens the pipe', async () => {
    const e = encode('csv', job(`SELECT * FROM no_such_table`));
    const drain = (async () => {
      for await (const _ of e.bytes);
    })();
    await expect(drain).rejects.toThrow(/no_such_table/);
  }, 10_000);

  it('stops DuckDB when the client stops reading early, and the connection works afterwards', async () => {
    const e = encode('csv', job(`SELECT i, repeat('x', 100) AS pad FROM range(50000000) t(i)`));
    const t = performance.now();
    for await (const b of e.bytes) {
      expect(b.byteLength).toBeGreaterThan(0);
      break; // the client goes away after the first piece
    }
    expect(performance.now() - t).toBeLessThan(20_000);
    expect(await conn.value<number>('SELECT 42')).toBe(42);
  }, 30_000);
});
