import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { ident, literal, type Connection } from '../db/duckdb.ts';
import { markInterrupted } from '../db/recovery.ts';
import { ensureSchema } from '../db/schema.ts';
import { entity as entitySpec, type EntitySpec } from '../entities.ts';
import { describeMapping, mapColumns, sourceSql, type ColumnMapping } from './column-mapping.ts';
import { materialise, needsMaterialising, type Materialised } from './external.ts';
import { redact } from './external/postgres-sql.ts';
import { prepareReader, type PreparedReader } from './readers.ts';
import { recordOrphans } from './orphans.ts';
import { dropRejects, quarantineRejects } from './rejects.ts';
import type { Source, Spec } from './spec.ts';
import { stageSql } from './stage-sql.ts';

/**
 * Loads files described by a source spec into `raw.<entity>`. Each file loads in one transaction:
 * every record ends up loaded, updated, counted as a duplicate, or quarantined with its reasons.
 */
export interface LoadResult {
  source: string;
  entity: string;
  file: string;
  status: 'loaded' | 'skipped' | 'failed';
  read: number;
  loaded: number;
  updated: number;
  duplicate: number;
  quarantined: number;
  /** Loaded rows whose parent is unknown (load/orphans.ts). */
  orphans?: number;
  ms: number;
  mapping?: string;
  message?: string;
}

/** One line for logs: what happened to a file's records. */
export function describeLoad(r: LoadResult): string {
  return `${r.source}: ${r.status}, read ${r.read}, new ${r.loaded}, updated ${r.updated}, duplicate ${r.duplicate}, quarantined ${r.quarantined} (${(r.ms / 1000).toFixed(1)} s)${r.message ? ' — ' + r.message : ''}`;
}

const NO_ROWS = { read: 0, loaded: 0, updated: 0, duplicate: 0, quarantined: 0 } as const;

export type LoadEvent =
  | { type: 'start'; source: string; file: string }
  /** While a file loads: DuckDB's estimate of the running statement's progress (null when it has none). */
  | { type: 'progress'; source: string; file: string; percent: number | null }
  | { type: 'done'; result: LoadResult };

export interface LoadOptions {
  only?: string;
  /** Load again even when the same file content was loaded before. */
  force?: boolean;
  onEvent?: (e: LoadEvent) => void;
}

export async function loadSpec(c: Connection, spec: Spec, opts: LoadOptions = {}): Promise<LoadResult[]> {
  const sources = opts.only ? spec.sources.filter((s) => s.name === opts.only) : spec.sources;
  if (opts.only && sources.length === 0) {
    throw new Error(`No source named "${opts.only}" in ${spec.file}; sources: ${spec.sources.map((s) => s.name).join(', ')}`);
  }
  await ensureSchema(c);
  await markInterrupted(c);
  const results: LoadResult[] = [];
  for (const source of sources) results.push(...(await loadSource(c, source, opts)));
  return results;
}

export async function loadSource(c: Connection, source: Source, opts: LoadOptions = {}): Promise<LoadResult[]> {
  let files: string[];
  try {
    // A database source has no file: it is named by its connection string, without the password (the
    // reader takes the real one from the source), so neither results nor meta.loads ever hold a secret.
    files = source.format === 'postgres' ? [redact(source.path)] : await expandFiles(c, source.path);
  } catch (err) {
    return [failed(source, source.path, (err as Error).message)];
  }
  if (files.length === 0) return [failed(source, source.path, `no file matches ${source.path}`)];
  const results: LoadResult[] = [];
  for (const file of files) {
    opts.onEvent?.({ type: 'start', source: source.name, file });
    const stop = watchProgress(c, (percent) => opts.onEvent?.({ type: 'progress', source: source.name, file, percent }));
    const result = await loadFile(c, source, file, opts)
      .catch((err: Error) => failed(source, file, err.message))
      .finally(stop);
    opts.onEvent?.({ type: 'done', result });
    results.push(result);
  }
  return results;
}

/** Polls the connection's progress of its running statement (the file scan dominates a load). */
function watchProgress(c: Connection, report: (percent: number | null) => void, everyMs = 250): () => void {
  const timer = setInterval(() => {
    const p = c.raw.progress;
    report(p && p.percentage >= 0 ? p.percentage : null);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

async function expandFiles(c: Connection, path: string): Promise<string[]> {
  if (!/[*?[]/.test(path)) {
    if (!existsSync(path)) throw new Error(`file not found: ${path}`);
    return [path];
  }
  const rows = await c.all<{ file: string }>(`SELECT file FROM glob(${literal(path)}) ORDER BY file`);
  return rows.map((r) => r.file);
}

function failed(source: Source, file: string, message: string): LoadResult {
  return { source: source.name, entity: source.entity, file, status: 'failed', ...NO_ROWS, ms: 0, message };
}

/** SHA-256 of a file, reading the next 4 MB while the current ones are hashed (a 10 M-line file: 0.6 s, not 0.9). */
async function fileHash(path: string): Promise<string> {
  const h = createHash('sha256');
  const f = await open(path, 'r');
  try {
    const size = 4 << 20;
    const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
    let i = 0;
    let next = f.read(buffers[i], 0, size, null);
    for (;;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) break;
      const current = buffers[i];
      i ^= 1;
      next = f.read(buffers[i], 0, size, null);
      h.update(current.subarray(0, bytesRead));
    }
  } finally {
    await f.close();
  }
  return h.digest('hex');
}

async function loadFile(c: Connection, source: Source, file: string, opts: LoadOptions): Promise<LoadResult> {
  const t0 = performance.now();
  let external: Materialised | undefined;
  try {
    if (needsMaterialising(source)) external = await materialise(source, file);
    return await loadReadable(c, source, file, external, opts, t0);
  } finally {
    await external?.cleanup();
  }
}

/** Loads one file (or the temporary file an external source was streamed to) in one transaction. */
async function loadReadable(c: Connection, source: Source, file: string, external: Materialised | undefined, opts: LoadOptions, t0: number): Promise<LoadResult> {
  const e = entitySpec(source.entity);
  const base = { source: source.name, entity: source.entity, file };
  const hash = external ? external.contentHash : await fileHash(file);
  if (!opts.force) {
    const prior = await c.one(`SELECT load_id FROM meta.loads WHERE source = $1 AND file_hash = $2 AND status = 'loaded' LIMIT 1`, [source.name, hash]);
    if (prior) {
      return { ...base, status: 'skipped', ...NO_ROWS, ms: performance.now() - t0, message: 'same file content already loaded' };
    }
  }
  const loadId = Number(await c.value(`SELECT nextval('meta.load_seq')`));
  await c.run(`INSERT INTO meta.loads (load_id, source, entity, file, file_hash, started_at, status) VALUES ($1, $2, $3, $4, $5, now(), 'running')`, [loadId, source.name, source.entity, file, hash]);

  // CSV (including the temporary CSV of an external source): dialect sniffed, malformed rows rejected rather
  // than fatal, Windows-1252 transcoded to a temporary file that `finally` removes.
  let prepared: PreparedReader | undefined;
  try {
    prepared = external
      ? await prepareReader({ ...source, format: external.format, options: {} }, external.path)
      : await prepareReader(source, file);
    const reader = prepared.sql;
    const sourceColumns = (await c.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader}`)).map((r) => r.column_name);
    const mapping = mapColumns(e, sourceColumns, source.columns);
    const types = await mappedTypes(c, reader, mapping);
    // The audit row says 'loaded' in the same transaction that commits the rows: a crash leaves either both
    // (the file is skipped next time) or neither (the row still says 'running', and the next run loads the file).
    let orphans = 0;
    const counts = await stageAndMerge(c, e, source, file, loadId, reader, mapping, types, async (counts) => {
      orphans = await recordOrphans(c, e.name, loadId);
      await c.run(
        `UPDATE meta.loads SET finished_at = now(), status = 'loaded', rows_read = $2, rows_loaded = $3, rows_updated = $4, rows_duplicate = $5, rows_quarantined = $6 WHERE load_id = $1`,
        [loadId, counts.read, counts.loaded, counts.updated, counts.duplicate, counts.quarantined],
      );
    });
    return { ...base, status: 'loaded', ...counts, orphans, ms: performance.now() - t0, mapping: describeMapping(mapping) };
  } catch (err) {
    const message = `cannot load ${file}: ${(err as Error).message.split('\n')[0]}`;
    await c.run(`UPDATE meta.loads SET finished_at = now(), status = 'failed', message = $2 WHERE load_id = $1`, [loadId, message]);
    return { ...failed(source, file, message), ms: performance.now() - t0 };
  } finally {
    await prepared?.cleanup();
  }
}

async function mappedTypes(c: Connection, reader: string, mapping: ColumnMapping): Promise<Record<string, string>> {
  const present = Object.entries(mapping.columns).filter(([, s]) => s.kind !== 'missing');
  if (present.length === 0) return {};
  const select = present.map(([col, s]) => `${sourceSql(s)} AS ${ident(col)}`).join(', ');
  let rows: { column_name: string; column_type: string }[];
  try {
    rows = await c.all(`DESCRIBE SELECT ${select} FROM ${reader}`);
  } catch (err) {
    throw new Error(`a column mapping does not fit the file: ${(err as Error).message.split('\n')[0]}`);
  }
  return Object.fromEntries(rows.map((r) => [r.column_name, r.column_type]));
}

/** The per-file working tables of stageAndMerge (temporary: they live and die with the connection). */
const DROP_TEMP_TABLES = ['_stage', '_dups', '_final', '_orders', '_scattered'].map((t) => `DROP TABLE IF EXISTS ${t}`).join('; ');

type Counts = {
  read: number;
  loaded: number;
  updated: number;
  duplicate: number;
  quarantined: number;
};

/**
 * Stages the file's records in temporary tables, then merges them into `raw.<entity>` and the quarantine in
 * one transaction, which `beforeCommit` ends (with the load's audit row). The staging runs before the
 * transaction: temporary tables made inside it are the transaction's own and DuckDB scans those on one thread,
 * which made the merge's insert single-threaded.
 */
async function stageAndMerge(
  c: Connection, e: EntitySpec, source: Source, file: string, loadId: number,
  reader: string, mapping: ColumnMapping, types: Record<string, string>,
  beforeCommit: (counts: Counts) => Promise<void>,
): Promise<Counts> {
  const plan = stageSql(e, mapping, reader, types, {
    dateformat: source.options.dateformat as string | undefined,
    timestampformat: source.options.timestampformat as string | undefined,
    decimal: source.options.decimal as '.' | ',' | undefined,
    timezone: source.options.timezone as string | undefined,
    keepExtra: source.options.extra !== false,
  });
  const key = e.key.map(ident);
  const cols = plan.columns.map(ident);
  const on = (a: string, b: string) => e.key.map((k) => `${a}.${ident(k)} = ${b}.${ident(k)}`).join(' AND ');
  const meta = `${loadId}, ${literal(source.name)}, ${literal(e.name)}, ${literal(file)}`;
  const table = `raw.${e.name}`;

  await c.run(DROP_TEMP_TABLES);
  await dropRejects(c);
  try {
    await c.run(`CREATE TEMP TABLE _stage AS ${plan.sql}`);
    // Record numbers are the staged rows' positions: _stage keeps the source's order, so its row ids number the
    // records (numbering them inside the stage SELECT would make DuckDB read the file on one thread).
    const ids = await c.one<{ before: string; consecutive: boolean }>(
      `SELECT CAST(coalesce(min(rowid), 0) - 1 AS VARCHAR) AS before, coalesce(max(rowid) - min(rowid) + 1, 0) = count(*) AS consecutive FROM _stage`,
    );
    if (!ids!.consecutive) throw new Error('internal error: the staged rows are not numbered consecutively');
    const constants = Object.entries(plan.constants).map(([col, sql]) => `, ${sql} AS ${ident(col)}`).join('');
    const records = `SELECT rowid - ${ids!.before} AS _record, *${constants} FROM _stage`;
    // Exports that list order lines without a number get a stable one: the line's position within its order.
    // Keys made that way cannot repeat within the file, so the duplicate check below is not needed.
    const derivedKeys = e.name === 'order_lines' && mapping.columns.line_number.kind === 'missing';
    const rows = derivedKeys ? await numberOrderLines(c, records) : records;
    if (!derivedKeys) {
      // Keys that occur more than once in this file (few): a hash aggregate, not a sort of the whole file.
      await c.run(`CREATE TEMP TABLE _dups AS
        SELECT ${key.join(', ')}, max(_record) AS _kept, count(*) AS _n, min(_hash) <> max(_hash) AS _conflict
        FROM (${rows}) WHERE _bad IS NULL GROUP BY ALL HAVING count(*) > 1`);
    }
    const anyDups = !derivedKeys && (await c.one(`SELECT 1 FROM _dups LIMIT 1`)) !== undefined;
    const inFile = (await c.one<{ bad: number; dup: number; conflicts: number; read: number }>(`SELECT
        (SELECT count(*) FROM _stage) AS read,
        (SELECT count(*) FROM _stage WHERE _bad IS NOT NULL) AS bad,
        ${anyDups ? '(SELECT coalesce(sum(_n - 1), 0) FROM _dups WHERE NOT _conflict)' : '0'} AS dup,
        ${anyDups ? '(SELECT coalesce(sum(_n - 1), 0) FROM _dups WHERE _conflict)' : '0'} AS conflicts`))!;
    // Without duplicate keys in the file (the common case) every good row is kept: no join needed.
    const kept = anyDups
      ? `SELECT s.* FROM (${rows}) s LEFT JOIN _dups d ON ${on('s', 'd')} WHERE s._bad IS NULL AND (d._kept IS NULL OR s._record = d._kept)`
      : `SELECT * FROM (${rows}) WHERE _bad IS NULL`;
    const insert = (from: string, where = '') =>
      c.run(`INSERT INTO ${table} (${cols.join(', ')}, extra, _hash, _load_id, _record)
        SELECT ${cols.join(', ')}, extra, _hash, ${loadId}, _record FROM (${from}) ${where}`);

    return await c.transaction(async () => {
      // Lines read_csv could not split (wrong column count, unterminated quote): quarantined by line number.
      const rejected = await quarantineRejects(c, { loadId, source: source.name, entity: e.name, file });
      await c.run(`INSERT INTO meta.quarantine SELECT ${meta}, _record, CAST(_bad->'reasons' AS VARCHAR[]), _bad->'raw', now() FROM (${records}) WHERE _bad IS NOT NULL`);
      if (anyDups) {
        // The same key twice in one file with different content: the last record wins, the others go to quarantine.
        await c.run(`INSERT INTO meta.quarantine
          SELECT ${meta}, s._record, ['conflicting duplicate of key ${e.key.join(' + ')}: record ' || d._kept || ' of this file was loaded instead'],
            json_object(${plan.columns.map((col) => `${literal(col)}, s.${ident(col)}`).join(', ')}), now()
          FROM (${rows}) s JOIN _dups d ON ${on('s', 'd')} WHERE s._bad IS NULL AND d._conflict AND s._record <> d._kept`);
      }
      let loaded: number, updated = 0, unchanged = 0;
      if ((await c.one(`SELECT 1 FROM ${table} LIMIT 1`)) === undefined) {
        // First load of this entity: nothing to compare against.
        await insert(kept);
        loaded = inFile.read - inFile.bad - inFile.dup - inFile.conflicts;
      } else {
        await c.run(`CREATE TEMP TABLE _final AS SELECT k.*, r._hash AS _old_hash FROM (${kept}) k LEFT JOIN ${table} r ON ${on('k', 'r')}`);
        await c.run(`DELETE FROM ${table} r USING _final f WHERE ${on('r', 'f')} AND f._old_hash <> f._hash`);
        await insert('SELECT * FROM _final', 'WHERE _old_hash IS NULL OR _old_hash <> _hash');
        const f = await c.one<{ loaded: number; updated: number; unchanged: number }>(`SELECT
            count(*) FILTER (WHERE _old_hash IS NULL) AS loaded,
            count(*) FILTER (WHERE _old_hash <> _hash) AS updated,
            count(*) FILTER (WHERE _old_hash = _hash) AS unchanged FROM _final`);
        ({ loaded, updated, unchanged } = f!);
      }
      const counts = { read: inFile.read + rejected, loaded, updated, duplicate: inFile.dup + unchanged, quarantined: inFile.bad + inFile.conflicts + rejected };
      await beforeCommit(counts);
      return counts;
    });
  } finally {
    await c.run(DROP_TEMP_TABLES);
    await dropRejects(c);
  }
}

/**
 * The staged records (`records`, numbered by `_record`) with each order line numbered by its position within
 * its order, counting every record of the order. Most exports list an order's lines one after another: then a
 * line's number is its distance from the order's first record, which needs no sort of the file. Only the
 * lines of orders spread over the file are numbered by a window.
 */
async function numberOrderLines(c: Connection, records: string): Promise<string> {
  await c.run(`CREATE TEMP TABLE _orders AS
    SELECT order_id, min(_record) AS _first, max(_record) - min(_record) + 1 = count(*) AS _together
    FROM (${records}) GROUP BY order_id`);
  await c.run(`CREATE TEMP TABLE _scattered AS
    SELECT _record, row_number() OVER (PARTITION BY order_id ORDER BY _record) AS _n
    FROM (${records}) WHERE order_id IN (SELECT order_id FROM _orders WHERE NOT _together)`);
  const scattered = (await c.one(`SELECT 1 FROM _scattered LIMIT 1`)) !== undefined;
  return `SELECT r.* REPLACE (CAST(${scattered ? 'CASE WHEN o._together THEN r._record - o._first + 1 ELSE s._n END' : 'r._record - o._first + 1'} AS INTEGER) AS line_number)
    FROM (${records}) r LEFT JOIN _orders o ON r.order_id = o.order_id${scattered ? ' LEFT JOIN _scattered s ON r._record = s._record' : ''}`;
}
