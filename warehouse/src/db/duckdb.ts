import { DuckDBInstance, DuckDBPendingResultState, DuckDBResultReader, DuckDBTypeId, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Row = Record<string, unknown>;

/** SCRM_TRACE=1 logs every statement with its time on stderr. */
const TRACE = !!process.env.SCRM_TRACE;
export type Params = DuckDBValue[] | Record<string, DuckDBValue>;

/** Options every instance gets: no extension downloads (there is no network), UTC everywhere. */
const BASE_OPTIONS: Record<string, string> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};

export interface OpenOptions {
  readOnly?: boolean;
  threads?: number;
  memoryLimit?: string;
  /**
   * Run DuckDB's tasks on this JavaScript thread too, sleeping while the rest finish on DuckDB's threads (see
   * Connection.execute). For batch work in a process of its own (CLI loads and builds): on a 2-core machine it
   * is up to twice as fast. Never in a server: a task runs to its end (seconds for a heavy one) with the event
   * loop blocked, so no request — nor the abort that would interrupt the query — is served meanwhile.
   */
  inlineTasks?: boolean;
}

/**
 * One DuckDB database file. DuckDB allows one read-write process or many read-only ones, so a
 * process opens the file once and hands out connections; each connection has its own transaction.
 */
export class Database {
  private constructor(
    readonly path: string,
    readonly instance: DuckDBInstance,
    readonly readOnly: boolean,
    readonly inlineTasks = false,
  ) {}

  static async open(path: string, opts: OpenOptions = {}): Promise<Database> {
    if (path !== ':memory:' && !opts.readOnly) mkdirSync(dirname(path), { recursive: true });
    const options: Record<string, string> = { ...BASE_OPTIONS };
    if (opts.readOnly) options.access_mode = 'READ_ONLY';
    if (opts.threads) options.threads = String(opts.threads);
    if (opts.memoryLimit) options.memory_limit = opts.memoryLimit;
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, options);
    } catch (err) {
      throw explainOpenError(path, err);
    }
    return new Database(path, instance, !!opts.readOnly, !!opts.inlineTasks);
  }

  async connect(): Promise<Connection> {
    const raw = await this.instance.connect();
    await raw.run("SET TimeZone = 'UTC'");
    return new Connection(raw, this.inlineTasks);
  }

  /** Runs `fn` on a fresh connection and closes it afterwards. */
  async with<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
    const c = await this.connect();
    try {
      return await fn(c);
    } finally {
      c.close();
    }
  }

  close(): void {
    this.instance.closeSync();
  }
}

export class Connection {
  constructor(readonly raw: DuckDBConnection, private readonly inlineTasks = false) {}

  async run(sql: string, params?: Params): Promise<void> {
    const t = TRACE ? performance.now() : 0;
    await this.execute(sql, params);
    if (TRACE) console.error(`[sql ${(performance.now() - t).toFixed(0)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 140)}`);
  }

  /**
   * Runs `sql`. With `inlineTasks` (batch work), its last statement runs through a pending result with this
   * thread taking its share of DuckDB's tasks and sleeping while the remaining tasks run on DuckDB's other
   * threads: DuckDBConnection.run instead busy-waits for them, and on a 2-core machine that spinning thread
   * takes a core from the worker finishing a statement's last task (an insert took up to twice as long).
   * Otherwise (servers) DuckDB runs it on its own threads and this thread stays free.
   */
  private execute(sql: string, params?: Params): Promise<DuckDBResultReader> {
    // A connection runs one statement at a time: starting another would close the pending one, so callers that
    // share a connection (concurrent API requests) queue here, as DuckDBConnection.run made them wait.
    const result = this.queue.then(() => (this.inlineTasks ? this.executeInline(sql, params) : this.raw.runAndReadAll(sql, params)));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private queue: Promise<unknown> = Promise.resolve();

  private async executeInline(sql: string, params?: Params): Promise<DuckDBResultReader> {
    const pending = await this.raw.start(sql, params);
    let yielded = performance.now();
    for (;;) {
      const state = pending.runTask();
      if (state === DuckDBPendingResultState.RESULT_READY) break;
      if (state === DuckDBPendingResultState.NO_TASKS_AVAILABLE) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        yielded = performance.now();
      } else if (performance.now() - yielded > 25) {
        // Let timers and I/O run (progress reports, a server's requests) during a long statement.
        await new Promise((resolve) => setImmediate(resolve));
        yielded = performance.now();
      }
    }
    const reader = new DuckDBResultReader(await pending.getResult());
    await reader.readAll();
    return reader;
  }

  /** Rows as plain JSON-safe objects: BIGINT/HUGEINT/DECIMAL as numbers, DATE as 'YYYY-MM-DD', TIMESTAMP as ISO. */
  async all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.execute(sql, params);
    const names = reader.columnNames();
    const kinds = names.map((_, i) => reader.columnTypeId(i));
    const rows = reader.getRowsJS();
    return rows.map((r) => {
      const o: Row = {};
      for (let i = 0; i < names.length; i++) o[names[i]] = toPlain(r[i], kinds[i]);
      return o as T;
    });
  }

  async one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async value<T = unknown>(sql: string, params?: Params): Promise<T> {
    const row = await this.one(sql, params);
    return (row ? Object.values(row)[0] : undefined) as T;
  }

  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.execute('BEGIN TRANSACTION');
    try {
      const result = await fn();
      await this.execute('COMMIT');
      return result;
    } catch (err) {
      try {
        await this.execute('ROLLBACK');
      } catch {
        /* the transaction may already be aborted; the original error matters */
      }
      throw err;
    }
  }

  close(): void {
    this.raw.closeSync();
  }
}

export function toPlain(v: unknown, kind?: DuckDBTypeId): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) {
    if (kind === DuckDBTypeId.DATE) return v.toISOString().slice(0, 10);
    return v.toISOString();
  }
  if (Array.isArray(v)) return v.map((x) => toPlain(x));
  if (typeof v === 'object') {
    const o: Row = {};
    for (const [k, x] of Object.entries(v as Row)) o[k] = toPlain(x);
    return o;
  }
  return v;
}

/** Quotes an identifier for DuckDB. */
export function ident(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

/** Quotes a string literal for DuckDB (for DDL where parameters are not allowed). */
export function literal(value: string): string {
  return "'" + value.replaceAll("'", "''") + "'";
}

function explainOpenError(path: string, err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  if (/lock/i.test(msg)) {
    return new Error(
      `The database ${path} is in use by another process (DuckDB allows one writer). ` +
        `If \`scrm serve\` runs on it, \`scrm load\` and \`scrm build\` hand their work to the server; stop it for other commands, or point --db at another file. (${msg.split('\n')[0]})`,
    );
  }
  return new Error(`Cannot open database ${path}: ${msg}`);
}
