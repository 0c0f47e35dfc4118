import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * A model is one SQL file under sql/models/<layer>/<name>.sql, published as <layer>.<name>.
 * Its header is YAML inside a leading block comment  /*--- … ---*\/  : description, materialization,
 * column docs and tests. Dependencies are read from the SQL itself (references to <layer>.<name>).
 */
export const LAYERS = ['staging', 'intermediate', 'marts'] as const;

const TestsSchema = z
  .object({
    unique: z.array(z.union([z.string(), z.array(z.string())])).default([]),
    not_null: z.array(z.string()).default([]),
    accepted_values: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()]))).default({}),
    relationships: z.array(z.object({ column: z.string(), to: z.string(), field: z.string() })).default([]),
    /** SQL returning the rows that violate an expectation; the test fails when any row comes back. */
    no_rows: z.array(z.object({ name: z.string(), sql: z.string() })).default([]),
  })
  .default({ unique: [], not_null: [], accepted_values: {}, relationships: [], no_rows: [] });

export const HeaderSchema = z.object({
  description: z.string().min(1, 'every model needs a description'),
  materialized: z.enum(['table', 'view']).default('table'),
  columns: z.record(z.string(), z.string()).default({}),
  tests: TestsSchema,
});

export type ModelHeader = z.output<typeof HeaderSchema>;

export interface Model extends ModelHeader {
  /** `<layer>.<name>` */
  name: string;
  layer: (typeof LAYERS)[number];
  file: string;
  sql: string;
  dependsOn: string[];
  /** raw.* tables it reads. */
  sources: string[];
}

const HEADER = /^\s*\/\*---\n([\s\S]*?)\n---\*\/\s*/;
const REF = /\b(raw|staging|intermediate|marts)\.([a-z_][a-z0-9_]*)\b/g;

export function parseModel(file: string, text: string, layer: Model['layer']): Model {
  const name = `${layer}.${basename(file, '.sql')}`;
  const m = HEADER.exec(text);
  if (!m) throw new Error(`${file}: a model starts with a /*--- YAML header ---*/ (description, columns, tests)`);
  const header = HeaderSchema.safeParse(parseYaml(m[1]));
  if (!header.success) {
    throw new Error(`${file}: invalid header: ${header.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const sql = text.slice(m[0].length).trim().replace(/;\s*$/, '');
  const refs = [...sql.replace(/--.*$/gm, '').matchAll(REF)].map((r) => `${r[1]}.${r[2]}`);
  return {
    ...header.data,
    name,
    layer,
    file,
    sql,
    dependsOn: [...new Set(refs.filter((r) => !r.startsWith('raw.') && r !== name))],
    sources: [...new Set(refs.filter((r) => r.startsWith('raw.')))],
  };
}

export function discoverModels(sqlDir: string): Model[] {
  const models: Model[] = [];
  for (const layer of LAYERS) {
    let files: string[] = [];
    try {
      files = readdirSync(join(sqlDir, 'models', layer)).filter((f) => f.endsWith('.sql')).sort();
    } catch {
      continue;
    }
    for (const f of files) {
      const path = join(sqlDir, 'models', layer, f);
      models.push(parseModel(relative(process.cwd(), path), readFileSync(path, 'utf8'), layer));
    }
  }
  return models;
}

/** Models in an order where every model comes after what it depends on. Throws on unknown refs and cycles. */
export function topoSort(models: Model[]): Model[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  for (const m of models) {
    for (const d of m.dependsOn) if (!byName.has(d)) throw new Error(`${m.file}: refers to ${d}, which is no model`);
  }
  const out: Model[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: Model, path: string[]) => {
    if (state.get(m.name) === 'done') return;
    if (state.get(m.name) === 'visiting') throw new Error(`dependency cycle: ${[...path, m.name].join(' → ')}`);
    state.set(m.name, 'visiting');
    for (const d of m.dependsOn) visit(byName.get(d)!, [...path, m.name]);
    state.set(m.name, 'done');
    out.push(m);
  };
  for (const m of models) visit(m, []);
  return out;
}

/**
 * `--select a+` picks a and everything downstream of it; `--select +a` a and everything upstream;
 * a bare name picks that model only. Names may omit the layer.
 */
export function selectModels(sorted: Model[], selector: string): Model[] {
  const down = selector.endsWith('+');
  const up = selector.startsWith('+');
  const bare = selector.replace(/^\+|\+$/g, '');
  const target = sorted.find((m) => m.name === bare || m.name.split('.')[1] === bare);
  if (!target) throw new Error(`--select ${selector}: no model named ${bare}`);
  const picked = new Set([target.name]);
  if (down) {
    for (const m of sorted) if (m.dependsOn.some((d) => picked.has(d))) picked.add(m.name);
  }
  if (up) {
    for (const m of [...sorted].reverse()) if (picked.has(m.name)) m.dependsOn.forEach((d) => picked.add(d));
  }
  return sorted.filter((m) => picked.has(m.name));
}

/**
 * Project settings from sql/project.yaml: `vars` are named thresholds the models read as {{ var('name') }}
 * (numbers or strings), so segment rules and SLA targets are configured in one documented place.
 */
const ProjectSchema = z.object({
  vars: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), z.union([z.number(), z.string()])).default({}),
});
export type ProjectVars = Record<string, number | string>;

export function loadProjectVars(sqlDir: string, overrides: ProjectVars = {}): ProjectVars {
  let text: string;
  try {
    text = readFileSync(join(sqlDir, 'project.yaml'), 'utf8');
  } catch {
    return { ...overrides };
  }
  const parsed = ProjectSchema.safeParse(parseYaml(text) ?? {});
  if (!parsed.success) throw new Error(`${join(sqlDir, 'project.yaml')}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  for (const k of Object.keys(overrides)) {
    if (!(k in parsed.data.vars)) throw new Error(`unknown variable ${k}; project.yaml defines ${Object.keys(parsed.data.vars).join(', ')}`);
  }
  return { ...parsed.data.vars, ...overrides };
}

/** Substitutes build variables: {{ as_of }} becomes a DATE literal, {{ var('x') }} the project variable x as a literal. */
export function renderSql(sql: string, ctx: { asOf: string; vars?: ProjectVars }): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ctx.asOf)) throw new Error(`as-of date must be YYYY-MM-DD, got "${ctx.asOf}"`);
  return sql
    .replace(/\{\{\s*as_of\s*\}\}/g, `DATE '${ctx.asOf}'`)
    .replace(/\{\{\s*var\(\s*'([a-z_][a-z0-9_]*)'\s*\)\s*\}\}/g, (_, name: string) => {
      const v = ctx.vars?.[name];
      if (v === undefined) throw new Error(`unknown project variable ${name} (define it under vars: in sql/project.yaml)`);
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new Error(`project variable ${name} must be a finite number`);
        return String(v);
      }
      return `'${v.replaceAll("'", "''")}'`;
    })
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (_, v) => {
      throw new Error(`unknown build variable {{ ${v} }}`);
    });
}
