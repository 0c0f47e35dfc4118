import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '@scrm/warehouse';
import { ConnectionPool, RequestCancelled, withRequestSignal } from './pool.ts';

/** A request whose client goes away interrupts its DuckDB query, and the connection serves the next one. */
let db: Database;
let pool: ConnectionPool;
beforeAll(async () => {
  db = await Database.open(':memory:');
  pool = new ConnectionPool(db, 1);
});
afterAll(() => {
  pool.close();
  db.close();
});

describe('ConnectionPool and request signals', () => {
  it('interrupts a query that would run for minutes when the request aborts', async () => {
    const controller = new AbortController();
    const t0 = performance.now();
    setTimeout(() => controller.abort(), 300);
    const run = withRequestSignal(controller.signal, () => pool.use((c) => c.value(`SELECT count(*) FROM range(100000000) a, range(100000) b WHERE a.range + b.range = -1`)));
    await expect(run).rejects.toBeInstanceOf(RequestCancelled);
    expect(performance.now() - t0).toBeLessThan(10_000);
    // The same (only) connection answers the next request.
    expect(await pool.use((c) => c.value<number>('SELECT 42'))).toBe(42);
  }, 30_000);

  it('skips the query of a request whose client went away while it waited for a connection', async () => {
    const busy = new AbortController();
    const waiting = new AbortController();
    setTimeout(() => busy.abort(), 400);
    const first = withRequestSignal(busy.signal, () => pool.use((c) => c.value(`SELECT count(*) FROM range(100000000) a, range(100000) b WHERE a.range + b.range = -1`)));
    let ran = false;
    const second = withRequestSignal(waiting.signal, () => pool.use(async (c) => {
      ran = true;
      return c.value('SELECT 1');
    }));
    setTimeout(() => waiting.abort(), 100); // gone before the only connection is free
    await expect(first).rejects.toBeInstanceOf(RequestCancelled);
    await expect(second).rejects.toBeInstanceOf(RequestCancelled);
    expect(ran).toBe(false);
  }, 30_000);

  it('does not start a query for a request already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(withRequestSignal(controller.signal, () => pool.use((c) => c.value('SELECT 1')))).rejects.toBeInstanceOf(RequestCancelled);
  });
});
