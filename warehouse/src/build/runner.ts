import { ident, literal, type Connection } from '../db/duckdb.ts';
import { markInterrupted } from '../db/recovery.ts';
import { ensureSchema } from '../db/schema.ts';
import { modelTests } from './model-tests.ts';
import { discoverModels, loadProjectVars, renderSql, selectModels, topoSort, type Model } from './models.ts';

/**
 * Runs the SQL models in dependency order inside ONE transaction: readers on other connections see the
 * previous marts until the new build commits, and a failing model or test rolls everything back.
 */
export interface BuildOptions {
  sqlDir: string;
  asOf: string;
  select?: string;
  onEvent?: (e: BuildEvent) => void;
}

export type BuildEvent =
  | { type: 'model'; model: string; materialized: string; rows: number | null; ms: number }
  | { type: 'test'; model: string; test: string; failures: number };

export interface ModelRun {
  model: string;
  materialized: string;
  rows: number | null;
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
  const models = opts.select ? selectModels(sorted, opts.select) : sorted;
  const vars = loadProjectVars(opts.sqlDir);
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
        await materialize(c, m, renderSql(m.sql, { asOf: opts.asOf, vars }));
        const rows = m.materialized === 'table' ? Number(await c.value(`SELECT count(*) FROM ${m.name}`)) : null;
        const run = { model: m.name, materialized: m.materialized, rows, ms: performance.now() - t };
        runs.push(run);
        opts.onEvent?.({ type: 'model', ...run });
        for (const test of modelTests(m)) {
          const failures = Number(await c.value(`SELECT count(*) FROM (${test.sql}) AS failing`));
          tests++;
          opts.onEvent?.({ type: 'test', model: m.name, test: test.name, failures });
          if (failures > 0) throw new Error(`test ${test.name} failed on ${m.name}: ${failures} failing row(s)`);
        }
      }
      current = undefined;
      for (const r of runs) {
        await c.run(`INSERT INTO meta.model_runs VALUES ($1, $2, $3, $4, $5, 'ok', NULL)`, [buildId, r.model, r.materialized, r.rows, r.ms]);
      }
      await c.run(`UPDATE meta.builds SET finished_at = now(), status = 'ok', models = $2 WHERE build_id = $1`, [buildId, runs.length]);
    });
  } catch (err) {
    const where = current ? `model ${current.name} (${current.file}): ` : '';
    const message = `${where}${(err as Error).message.split('\n')[0]}`;
    await c.run(`UPDATE meta.builds SET finished_at = now(), status = 'failed', message = $2 WHERE build_id = $1`, [buildId, message]);
    if (current) await c.run(`INSERT INTO meta.model_runs VALUES ($1, $2, $3, NULL, NULL, 'failed', $4)`, [buildId, current.name, current.materialized, message]);
    throw new BuildError(`Build ${buildId} failed; the previous marts keep serving. ${message}`, buildId, current?.name);
  }
  return { buildId, asOf: opts.asOf, models: runs, tests, ms: performance.now() - t0 };
}

async function materialize(c: Connection, m: Model, sql: string): Promise<void> {
  // A model may change from view to table (or back): drop whichever kind is in the way.
  const existing = await c.one<{ kind: string }>(
    `SELECT table_type AS kind FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`,
    [m.layer, m.name.split('.')[1]],
  );
  const wantView = m.materialized === 'view';
  if (existing && (existing.kind === 'VIEW') !== wantView) await c.run(`DROP ${existing.kind === 'VIEW' ? 'VIEW' : 'TABLE'} ${m.name}`);
  await c.run(`CREATE OR REPLACE ${wantView ? 'VIEW' : 'TABLE'} ${m.name} AS ${sql}`);
  await c.run(`COMMENT ON ${wantView ? 'VIEW' : 'TABLE'} ${m.name} IS ${literal(m.description.trim())}`);
  if (!wantView) {
    for (const [col, doc] of Object.entries(m.columns)) {
      await c.run(`COMMENT ON COLUMN ${m.name}.${ident(col)} IS ${literal(doc)}`).catch(() => {
        throw new Error(`column doc names ${col}, which the model does not produce`);
      });
    }
  }
}

/** The latest successful build, or null. */
export async function latestBuild(c: Connection): Promise<{ build_id: number; finished_at: string; as_of: string } | null> {
  const row = await c.one<{ build_id: number; finished_at: string; as_of: string }>(
    `SELECT build_id, finished_at, as_of FROM meta.builds WHERE status = 'ok' ORDER BY build_id DESC LIMIT 1`,
  );
  return row ?? null;
}
