import { AsyncLocalStorage } from 'node:async_hooks';
import type { Connection, Database } from '@scrm/warehouse';

/** The abort signal of the request being served (its client went away, or every client sharing it did). */
const requestSignal = new AsyncLocalStorage<AbortSignal>();

/** Runs `fn` (a request's handlers) so that queries it starts through a pool are interrupted when `signal` aborts. */
export const withRequestSignal = <T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> => requestSignal.run(signal, fn);

/** A few long-lived read connections shared by requests (DuckDB runs queries on different connections in parallel). */
export class ConnectionPool {
  private idle: Connection[] = [];
  private waiting: ((c: Connection) => void)[] = [];
  private created = 0;

  constructor(private readonly db: Database, private readonly size = 4) {}

  async use<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
    const signal = requestSignal.getStore();
    if (signal?.aborted) throw new RequestCancelled();
    const c = await this.acquire();
    // The client may have gone while the request waited for a connection: then it runs nothing.
    if (signal?.aborted) {
      this.release(c);
      throw new RequestCancelled();
    }
    // A client that goes away stops its query in DuckDB instead of leaving it to run for nobody. DuckDB clears
    // the interrupt flag when a statement starts, so an interrupt that lands just before one would be lost:
    // repeat it until `fn` settles.
    let repeat: NodeJS.Timeout | undefined;
    const interrupt = () => {
      c.raw.interrupt();
      repeat ??= setInterval(() => c.raw.interrupt(), 100);
    };
    signal?.addEventListener('abort', interrupt, { once: true });
    try {
      return await fn(c);
    } catch (err) {
      if (signal?.aborted) throw new RequestCancelled();
      throw err;
    } finally {
      clearInterval(repeat);
      signal?.removeEventListener('abort', interrupt);
      this.release(c);
    }
  }

  /** A connection held until `release` is called: for work that outlives one call, such as a streamed export. */
  async lease(): Promise<{ conn: Connection; release: () => void }> {
    const conn = await this.acquire();
    let released = false;
    return {
      conn,
      release: () => {
        if (!released) this.release(conn);
        released = true;
      },
    };
  }

  private async acquire(): Promise<Connection> {
    const c = this.idle.pop();
    if (c) return c;
    if (this.created < this.size) {
      this.created++;
      return this.db.connect();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(c: Connection) {
    const next = this.waiting.shift();
    if (next) next(c);
    else this.idle.push(c);
  }

  close() {
    for (const c of this.idle) c.close();
    this.idle = [];
  }
}

/** The request's client went away and its query was interrupted. */
export class RequestCancelled extends Error {
  constructor() {
    super('the request was cancelled by its client');
  }
}
