import type { Connection, Database } from '@scrm/warehouse';

/** A few long-lived read connections shared by requests (DuckDB runs queries on different connections in parallel). */
export class ConnectionPool {
  private idle: Connection[] = [];
  private waiting: ((c: Connection) => void)[] = [];
  private created = 0;

  constructor(private readonly db: Database, private readonly size = 4) {}

  async use<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
    const c = await this.acquire();
    try {
      return await fn(c);
    } finally {
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
