import type { Connection } from '../db/duckdb.ts';
import { modelTests } from './model-tests.ts';
import { discoverModels, modelLineage, topoSort } from './models.ts';

/**
 * The documentation of every model, for `scrm docs` and GET /api/models: what the SQL files declare
 * (description, materialisation, column docs, tests, lineage) joined with what the database holds
 * (column types, row counts, the build that produced each table).
 */
export interface ModelDoc {
  /** `<layer>.<name>` */
  name: string;
  layer: string;
  description: string;
  materialized: 'table' | 'view' | 'incremental';
  /** Incremental models: the key their rows are replaced by. */
  unique_key: string[] | null;
  file: string;
  /** In the order the database holds them; documented columns missing from the database come last with type null. */
  columns: { name: string; type: string | null; doc: string | null }[];
  lineage: {
    /** Models this one reads. */
    depends_on: string[];
    /** Models that read this one. */
    used_by: string[];
    /** raw.* tables it reads, directly or through the models upstream of it. */
    raw_sources: string[];
  };
  /** Names of the tests every build runs on it. */
  tests: string[];
  /** Whether the database holds it (false until a build has created it). */
  built: boolean;
  /** Rows of a table (null for a view or a model not built). */
  rows: number | null;
  /** The last successful build that ran it. */
  freshness: { build_id: number; finished_at: string; as_of: string; mode: string | null } | null;
}

/** All models in dependency order; with `c` null (no database yet) only what the SQL files say. */
export async function describeModels(c: Connection | null, sqlDir: string): Promise<ModelDoc[]> {
  const sorted = topoSort(discoverModels(sqlDir));
  const lineage = modelLineage(sorted);
  const db = c ? await databaseFacts(c, sorted.map((m) => m.name)) : undefined;
  return sorted.map((m) => {
    const l = lineage.get(m.name)!;
    const dbCols = db?.columns.get(m.name) ?? [];
    const columns = [
      ...dbCols.map((col) => ({ name: col.name, type: col.type, doc: m.columns[col.name] ?? null })),
      ...Object.entries(m.columns).filter(([name]) => !dbCols.some((col) => col.name === name)).map(([name, doc]) => ({ name, type: null, doc })),
    ];
    return {
      name: m.name,
      layer: m.layer,
      description: m.description.trim(),
      materialized: m.materialized,
      unique_key: m.unique_key ?? null,
      file: m.file,
      columns,
      lineage: { depends_on: m.dependsOn, used_by: l.usedBy, raw_sources: l.rawSources },
      tests: modelTests(m).map((t) => t.name),
      built: db?.kinds.has(m.name) ?? false,
      rows: db?.rows.get(m.name) ?? null,
      freshness: db?.freshness.get(m.name) ?? null,
    };
  });
}

interface Facts {
  kinds: Map<string, string>;
  columns: Map<string, { name: string; type: string }[]>;
  rows: Map<string, number>;
  freshness: Map<string, NonNullable<ModelDoc['freshness']>>;
}

/** What the database holds about the models, read in one transaction (one build's view of them). */
async function databaseFacts(c: Connection, names: string[]): Promise<Facts> {
  return c.transaction(async () => {
    const tables = await c.all<{ name: string; kind: string }>(
      `SELECT table_schema || '.' || table_name AS name, table_type AS kind FROM information_schema.tables
       WHERE table_schema IN ('staging', 'intermediate', 'marts')`,
    );
    const kinds = new Map(tables.filter((t) => names.includes(t.name)).map((t) => [t.name, t.kind]));
    const columns = new Map<string, { name: string; type: string }[]>();
    const cols = await c.all<{ model: string; name: string; type: string }>(
      `SELECT table_schema || '.' || table_name AS model, column_name AS name, data_type AS type FROM information_schema.columns
       WHERE table_schema IN ('staging', 'intermediate', 'marts') ORDER BY table_schema, table_name, ordinal_position`,
    );
    for (const col of cols) {
      if (!kinds.has(col.model)) continue;
      if (!columns.has(col.model)) columns.set(col.model, []);
      columns.get(col.model)!.push({ name: col.name, type: col.type });
    }
    const counted = [...kinds].filter(([, kind]) => kind === 'BASE TABLE').map(([name]) => name);
    const rows = new Map<string, number>();
    if (counted.length) {
      const r = await c.all<{ model: string; n: number }>(counted.map((t) => `SELECT '${t}' AS model, count(*) AS n FROM ${t}`).join(' UNION ALL '));
      for (const x of r) rows.set(x.model, x.n);
    }
    const freshness = new Map<string, NonNullable<ModelDoc['freshness']>>();
    // A database no build has touched has no meta.model_runs; one older than incremental builds has no mode column.
    const runCols = new Set(
      (await c.all<{ name: string }>(`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'meta' AND table_name = 'model_runs'`)).map((r) => r.name),
    );
    const runs = runCols.size === 0 ? [] : await c.all<{ model: string; build_id: number; finished_at: string; as_of: string; mode: string | null }>(
      `SELECT r.model, b.build_id, b.finished_at, b.as_of, ${runCols.has('mode') ? 'r.mode' : 'NULL'} AS mode
       FROM meta.model_runs r JOIN meta.builds b USING (build_id)
       WHERE r.status = 'ok' AND b.status = 'ok'
       QUALIFY row_number() OVER (PARTITION BY r.model ORDER BY b.build_id DESC) = 1`,
    );
    for (const { model, ...f } of runs) freshness.set(model, f);
    return { kinds, columns, rows, freshness };
  });
}
