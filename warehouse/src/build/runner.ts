import { createHash } from 'node:crypto';
import { ident, literal, type Connection } from '../db/duckdb.ts';
import { markInterrupted } from '../db/recovery.ts';
import { ensureSchema } from '../db/schema.ts';
import { runClvStep } from '../analytics/clv-step.ts';
import { runSentimentStep } from '../analytics/sentiment-step.ts';
import { decideMode, incrementalStatements, type ModeDecision } from './incremental.ts';
import { modelTests } from './model-tests.ts';
import { discoverModels, loadProjectVars, modelLineage, renderSql, selectModels, topoSort, type Lineage, type Model, type ProjectVars } from './models.ts';
import { clearModelState, highestLoadId, readModelState, writeModelState } from './state.ts';

/**
 * Runs the SQL models in dependency order inside ONE transaction: readers on other connections see the
 * previous marts until the new build commits, and a failing model or test rolls everything back.
 */
export interface BuildOptions {
  sqlDir: string;
  asOf: string;
  select?: string;
  /** Rebuild incremental models whole. */
  fullRefresh?: boolean;
  /** Project variables; read from <sqlDir>/project.yaml when not given. */
  vars?: ProjectVars;
  onEvent?: (e: BuildEvent) => void;
}

export type BuildEvent =
  | ({ type: 'model' } & ModelRun)
  | { type: 'test'; model: string; test: string; failures: number }
  | { type: 'analytics'; model: string; step: string; status: string; message: string; ms: number };

export interface ModelRun {
  model: string;
  materialized: string;
  /**
   * full: the table or view was replaced whole; incremental: only the rows of new loads were replaced;
   * unchanged: a table whose inputs did not change since its last build was kept.
   */
  mode: 'full' | 'incremental' | 'unchanged';
  /** Why the model ran the way it did (null for full rebuilds of tables and views). */
  reason: string | null;
  /** Rows in the table afterwards (null for views). */
  rows: number | null;
  /** Rows this run wrote: all of them on a full run, the new and changed ones on an incremental run. */
  written: number | null;
  /** Incremental models: the highest raw load id this build saw. */
  watermark: number | null;
  ms: number;
}

export interface BuildResult {
  buildId: number;
  asOf: string;
  models: ModelRun[];
  tests: number;
  ms: number;
}

export class BuildError extends Error {
  constructor(message: string, readonly buildId: number, readonly model?: string) {
    super(message);
  }
}

export async function runBuild(c: Connection, opts: BuildOptions): Promise<BuildResult> {
  const t0 = performance.now();
  await ensureSchema(c);
  await markInterrupted(c);
  const sorted = topoSort(discoverModels(opts.sqlDir));
  if (sorted.length === 0) throw new Error(`no models found under ${opts.sqlDir}/models`);
  const lineage = modelLineage(sorted);
  const models = opts.select ? selectModels(sorted, opts.select) : sorted;
  // Project variables (sql/project.yaml) are read once per build and reach every model's SQL.
  opts = { ...opts, vars: opts.vars ?? loadProjectVars(opts.sqlDir) };
  const buildId = Number(await c.value(`SELECT nextval('meta.build_seq')`));
  await c.run(`INSERT INTO meta.builds (build_id, started_at, as_of, status) VALUES ($1, now(), $2::DATE, 'running')`, [buildId, opts.asOf]);

  const runs: ModelRun[] = [];
  let tests = 0;
  let current: Model | undefined;
  try {
    await c.transaction(async () => {
      for (const m of models) {
        current = m;
        const t = performance.now();
        const lin = await withInputs(c, lineage.get(m.name)!, opts.vars!);
        const done = m.materialized === 'incremental'
          ? await runIncremental(c, m, lin, buildId, opts)
          : m.materialized === 'table'
            ? await runTable(c, m, lin, buildId, opts)
            : await runFull(c, m, opts);
        if (m.analytics && done.mode !== 'unchanged') await runAnalytics(c, m, opts);
        const rows = m.materialized === 'view' ? null : Number(await c.value(`SELECT count(*) FROM ${m.name}`));
        const run: ModelRun = { model: m.name, materialized: m.materialized, ...done, rows, written: done.written ?? rows, ms: performance.now() - t };
        runs.push(run);
        opts.onEvent?.({ type: 'model', ...run });
        // An unchanged table passed its tests when it was built; they would find the same rows again.
        for (const test of done.mode === 'unchanged' ? [] : modelTests(m)) {
          const failures = Number(await c.value(`SELECT count(*) FROM (${test.sql}) AS failing`));
          tests++;
          opts.onEvent?.({ type: 'test', model: m.name, test: test.name, failures });
          if (failures > 0) throw new Error(`test ${test.name} failed on ${m.name}: ${failures} failing row(s)`);
        }
      }
      current = undefined;
      for (const r of runs) {
        await c.run(
          `INSERT INTO meta.model_runs (build_id, model, materialized, rows, ms, status, message, mode, reason, rows_written, watermark)
           VALUES ($1, $2, $3, $4, $5, 'ok', NULL, $6, $7, $8, $9)`,
          [buildId, r.model, r.materialized, r.rows, r.ms, r.mode, r.reason, r.written, r.watermark],
        );
      }
      // Not now(): inside a transaction DuckDB's now() is the time the transaction began.
      await c.run(`UPDATE meta.builds SET finished_at = $3::TIMESTAMP, status = 'ok', models = $2 WHERE build_id = $1`, [buildId, runs.length, wallClock()]);
    });
  } catch (err) {
    const where = current ? `model ${current.name} (${current.file}): ` : '';
    const message = `${where}${(err as Error).message.split('\n')[0]}`;
    await c.run(`UPDATE meta.builds SET finished_at = $3::TIMESTAMP, status = 'failed', message = $2 WHERE build_id = $1`, [buildId, message, wallClock()]);
    if (current) {
      await c.run(`INSERT INTO meta.model_runs (build_id, model, materialized, status, message) VALUES ($1, $2, $3, 'failed', $4)`, [buildId, current.name, current.materialized, message]);
    }
    throw new BuildError(`Build ${buildId} failed; the previous marts keep serving. ${message}`, buildId, current?.name);
  }
  return { buildId, asOf: opts.asOf, models: runs, tests, ms: performance.now() - t0 };
}

/** A model's analytics step (header `analytics:`), on the table just built, inside the build's transaction. */
async function runAnalytics(c: Connection, m: Model, opts: BuildOptions): Promise<void> {
  if (m.analytics === 'clv') {
    const rate = Number(opts.vars?.clv_annual_discount_rate ?? 0.1);
    const r = await runClvStep(c, m.name, { asOf: opts.asOf, annualDiscountRate: rate });
    await documentModel(c, m); // the step rewrote the table
    opts.onEvent?.({ type: 'analytics', model: m.name, step: 'clv', status: r.status, message: r.message, ms: r.fitMs + r.scoreMs });
  } else if (m.analytics === 'sentiment') {
    const r = await runSentimentStep(c, m.name);
    await documentModel(c, m); // a large step rewrites the table
    opts.onEvent?.({ type: 'analytics', model: m.name, step: 'sentiment', status: 'scored', message: `${r.scored.toLocaleString('en-US')} mentions scored (${r.distinct.toLocaleString('en-US')} distinct texts), ${r.detected.toLocaleString('en-US')} languages detected`, ms: r.ms });
  }
}

/** The current UTC time as a TIMESTAMP literal's text. */
const wallClock = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

type Done = Pick<ModelRun, 'mode' | 'reason' | 'written' | 'watermark'>;

async function runFull(c: Connection, m: Model, opts: BuildOptions): Promise<Done> {
  await materialize(c, m, renderSql(m.sql, { asOf: opts.asOf, vars: opts.vars }));
  // A model that was incremental before must not resume from its old watermark if it becomes incremental again.
  await clearModelState(c, m.name);
  return { mode: 'full', reason: null, written: null, watermark: null };
}

/**
 * The lineage fingerprint extended with what else a model's result depends on: the project variables (a changed
 * threshold rebuilds what reads it) and the size of the append-only meta tables it reads (a new review decision).
 */
async function withInputs(c: Connection, l: Lineage, vars: ProjectVars): Promise<Lineage> {
  const meta: number[] = [];
  for (const t of l.metaSources) meta.push(Number(await c.value(`SELECT count(*) FROM ${t}`)));
  const extra = JSON.stringify([Object.entries(vars).sort(), l.metaSources, meta]);
  return { ...l, fingerprint: createHash('sha256').update(l.fingerprint + extra).digest('hex') };
}

/**
 * A table model: rebuilt whole, unless nothing it depends on changed since its last build — same SQL upstream,
 * no rows loaded into its raw sources, the same as-of date where it uses one, no new rows in the meta.* tables it
 * reads (withInputs). Then the table is kept as it is ("unchanged").
 */
async function runTable(c: Connection, m: Model, lineage: Lineage, buildId: number, opts: BuildOptions): Promise<Done> {
  const state = await readModelState(c, m.name);
  const watermark = await highestLoadId(c, lineage.rawSources);
  const unchanged = !opts.fullRefresh && !!state && (await tableKind(c, m)) === 'BASE TABLE' && state.sqlHash === lineage.fingerprint &&
    state.watermark === watermark && (!lineage.usesAsOf || state.asOf === opts.asOf);
  if (unchanged) return { mode: 'unchanged', reason: `nothing upstream changed since load ${watermark}`, written: 0, watermark };
  await materialize(c, m, renderSql(m.sql, { asOf: opts.asOf, vars: opts.vars }));
  await writeModelState(c, m.name, { sqlHash: lineage.fingerprint, watermark, asOf: opts.asOf }, buildId);
  return { mode: 'full', reason: null, written: null, watermark };
}

/**
 * An incremental model: full when decideMode says so (first build, changed SQL, new as-of, --full-refresh),
 * else the rows of loads after the stored watermark replace the target's rows with the same unique_key.
 * The new watermark is written in the build's transaction, so a failed build leaves the old one.
 */
async function runIncremental(c: Connection, m: Model, lineage: Lineage, buildId: number, opts: BuildOptions): Promise<Done> {
  const state = await readModelState(c, m.name);
  const targetExists = (await tableKind(c, m)) === 'BASE TABLE';
  const decision: ModeDecision = decideMode({ fingerprint: lineage.fingerprint, usesAsOf: lineage.usesAsOf, asOf: opts.asOf, state, targetExists, fullRefresh: !!opts.fullRefresh });
  const watermark = await highestLoadId(c, lineage.rawSources);
  let written: number | null = null;
  let reason = decision.reason;
  if (decision.mode === 'full') {
    await materialize(c, m, renderSql(m.sql, { asOf: opts.asOf, vars: opts.vars }));
  } else if (watermark > decision.watermark) {
    const s = incrementalStatements(m.name, m.unique_key!, renderSql(m.sql, { asOf: opts.asOf, watermark: decision.watermark, vars: opts.vars }));
    await c.run(s.stage);
    written = Number(await c.value(s.count));
    await c.run(s.delete);
    await c.run(s.insert);
    await c.run(s.drop);
  } else {
    written = 0;
    reason = `no rows loaded after load ${decision.watermark}`;
  }
  await writeModelState(c, m.name, { sqlHash: lineage.fingerprint, watermark, asOf: opts.asOf }, buildId);
  return { mode: decision.mode, reason, written, watermark };
}

async function tableKind(c: Connection, m: Model): Promise<string | undefined> {
  const r = await c.one<{ kind: string }>(
    `SELECT table_type AS kind FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`,
    [m.layer, m.name.split('.')[1]],
  );
  return r?.kind;
}

async function materialize(c: Connection, m: Model, sql: string): Promise<void> {
  // A model may change from view to table (or back): drop whichever kind is in the way.
  const kind = await tableKind(c, m);
  const wantView = m.materialized === 'view';
  if (kind && (kind === 'VIEW') !== wantView) await c.run(`DROP ${kind === 'VIEW' ? 'VIEW' : 'TABLE'} ${m.name}`);
  await c.run(`CREATE OR REPLACE ${wantView ? 'VIEW' : 'TABLE'} ${m.name} AS ${sql}`);
  await documentModel(c, m);
}

/** The model's description and column docs as DuckDB comments (what `scrm docs` and duckdb_columns() show). */
async function documentModel(c: Connection, m: Model): Promise<void> {
  const wantView = m.materialized === 'view';
  await c.run(`COMMENT ON ${wantView ? 'VIEW' : 'TABLE'} ${m.name} IS ${literal(m.description.trim())}`);
  if (!wantView) {
    for (const [col, doc] of Object.entries(m.columns)) {
      await c.run(`COMMENT ON COLUMN ${m.name}.${ident(col)} IS ${literal(doc)}`).catch(() => {
        throw new Error(`column doc names ${col}, which the model does not produce`);
      });
    }
  }
}

/** One line per model run: `marts.orders incremental: 120 new/changed rows, 55,967 rows (rows loaded after load 12) in 0.3 s`. */
export function describeRun(r: ModelRun): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const what =
    r.materialized === 'view' ? 'view'
    : r.mode === 'incremental' ? `incremental: ${n(r.written ?? 0)} new/changed rows, ${n(r.rows ?? 0)} rows`
    : `${r.materialized === 'incremental' ? 'incremental model, full' : 'table, full'}: ${n(r.rows ?? 0)} rows`;
  return `${r.model} ${what}${r.reason ? ` (${r.reason})` : ''} in ${(r.ms / 1000).toFixed(1)} s`;
}

/** The latest successful build, or null. */
export async function latestBuild(c: Connection): Promise<{ build_id: number; finished_at: string; as_of: string } | null> {
  const row = await c.one<{ build_id: number; finished_at: string; as_of: string }>(
    `SELECT build_id, finished_at, as_of FROM meta.builds WHERE status = 'ok' ORDER BY build_id DESC LIMIT 1`,
  );
  return row ?? null;
}
