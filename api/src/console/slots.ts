import type { Connection, Database } from '@scrm/warehouse';
import { HttpError } from '../errors.ts';

/**
 * The console's own few connections, apart from the dashboard's pool (pool.ts): a heavy console query
 * takes a console slot, never a dashboard connection. When every slot is busy a request waits up to
 * `queueMs` (at most `maxWaiting` of them), then gets a 429.
 */
export class ConsoleSlots {
  private idle: Connection[] = [];
  private waiting: { resolve: (c: Connection) => void; timer: NodeJS.Timeout }[] = [];
  private created = 0;

  constructor(
    private readonly db: Database,
    readonly size: number,
    private readonly queueMs: number,
    private readonly maxWaiting = 16,
  ) {}

  async use<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
    const c = await this.acquire();
    try {
      return await fn(c);
    } finally {
      this.release(c);
    }
  }

  /** A connection, to hand back with `release` (for answers that stream after the handler returned). */
  async acquire(): Promise<Connection> {
    const c = this.idle.pop();
    if (c) return c;
    if (this.created < this.size) {
      this.created++;
      try {
        return await this.db.connect();
      } catch (err) {
        this.created--;
        throw err;
      }
    }
    const busy = () => new HttpError(429, `all ${this.size} SQL console slots are busy; try again in a moment`);
    if (this.waiting.length >= this.maxWaiting) throw busy();
    return new Promise((resolve, reject) => {
      const entry = {
        resolve,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(busy());
        }, this.queueMs),
      };
      this.waiting.push(entry);
    });
  }

  release(c: Connection) {
    const next = this.waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(c);
    } else this.idle.push(c);
  }
}
