import { createHash } from 'node:crypto';
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

export const HeaderSchema = z
  .object({
    description: z.string().min(1, 'every model needs a description'),
    /** incremental: a table that later builds update with the rows of new loads only (see renderSql). */
    materialized: z.enum(['table', 'view', 'incremental']).default('table'),
    /** The column(s) an incremental run replaces rows by. */
    unique_key: z
      .union([z.string(), z.array(z.string()).min(1)])
      .transform((k) => (Array.isArray(k) ? k : [k]))
      .optional(),
    columns: z.record(z.string(), z.string()).default({}),
    tests: TestsSchema,
    /**
     * A TypeScript step the runner applies to the table right after building it, in the same transaction, for
     * what SQL does badly (warehouse/src/analytics): clv fits BG/NBD + Gamma-Gamma and fills the predictive columns;
     * sentiment scores the mentions not scored yet (and detects missing languages).
     */
    analytics: z.enum(['clv', 'sentiment']).optional(),
  })
  .refine((h) => h.materialized !== 'incremental' || h.unique_key, { message: 'an incremental model needs a unique_key', path: ['unique_key'] })
  .refine((h) => h.materialized === 'incremental' || !h.unique_key, { message: 'unique_key is for incremental models only', path: ['unique_key'] });

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
  /** sha256 of the whole file (header and SQL). */
  hash: string;
  /** Whether the SQL uses {{ as_of }}. */
  usesAsOf: boolean;
  /** meta.* tables the SQL reads (append-only state that changes without loads, e.g. review decisions). */
  metaSources: string[];
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
  const used = new Set(placeholders(sql).map((p) => p.name));
  for (const p of placeholders(sql)) {
    if (!KNOWN_PLACEHOLDERS.has(p.name)) throw new Error(`${file}: unknown build variable {{ ${p.name} }}`);
    if (p.name === 'as_of' && p.arg !== undefined) throw new Error(`${file}: {{ as_of }} takes no argument`);
    if (p.name !== 'as_of' && !p.arg?.trim()) throw new Error(`${file}: {{ ${p.name}(…) }} needs an argument`);
  }
  if (header.data.materialized === 'incremental' && !used.has('new_rows')) {
    throw new Error(`${file}: an incremental model picks its new rows with {{ new_rows(<table>._load_id) }}`);
  }
  if (header.data.materialized !== 'incremental' && (used.has('new_rows') || used.has('if_incremental'))) {
    throw new Error(`${file}: {{ new_rows(…) }} and {{ if_incremental(…) }} belong in incremental models (materialized: incremental)`);
  }
  const refs = [...sql.replace(/--.*$/gm, '').matchAll(REF)].map((r) => `${r[1]}.${r[2]}`);
  return {
    ...header.data,
    name,
    layer,
    file,
    sql,
    dependsOn: [...new Set(refs.filter((r) => !r.startsWith('raw.') && r !== name))],
    sources: [...new Set(refs.filter((r) => r.startsWith('raw.')))],
    hash: createHash('sha256').update(text).digest('hex'),
    usesAsOf: used.has('as_of'),
    metaSources: [...new Set([...sql.replace(/--.*$/gm, '').matchAll(/\bmeta\.([a-z_][a-z0-9_]*)\b/g)].map((r) => `meta.${r[1]}`))].sort(),
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

/** What a model inherits from everything upstream of it. */
export interface Lineage {
  /** Hash of the model's file and of every upstream model's file: a change anywhere upstream changes it. */
  fingerprint: string;
  /** The model or anything upstream of it uses {{ as_of }}. */
  usesAsOf: boolean;
  /** raw.* tables read by the model or by anything upstream of it. */
  rawSources: string[];
  /** meta.* tables read by the model or by anything upstream of it. */
  metaSources: string[];
  /** Models that read this one directly. */
  usedBy: string[];
}

/** Lineage of every model; `sorted` in dependency order (topoSort). Pure. */
export function modelLineage(sorted: Model[]): Map<string, Lineage> {
  const out = new Map<string, Lineage>();
  for (const m of sorted) {
    const ups = m.dependsOn.map((d) => out.get(d)!);
    out.set(m.name, {
      fingerprint: createHash('sha256').update([m.hash, ...ups.map((u) => u.fingerprint)].join('\n')).digest('hex'),
      usesAsOf: m.usesAsOf || ups.some((u) => u.usesAsOf),
      metaSources: [...new Set([...m.metaSources, ...ups.flatMap((u) => u.metaSources)])].sort(),
      rawSources: [...new Set([...m.sources, ...ups.flatMap((u) => u.rawSources)])].sort(),
      usedBy: [],
    });
  }
  for (const m of sorted) for (const d of m.dependsOn) out.get(d)!.usedBy.push(m.name);
  return out;
}

/**
 * Build variables, written {{ name }} or {{ name(argument) }}:
 * - {{ as_of }}: the build's analysis date, a DATE literal;
 * - {{ new_rows(<expr>) }}: in incremental models, the rows loaded since the model's last build — `true` on a full
 *   build, `(<expr>) > <watermark>` on an incremental one, where <expr> is a raw table's `_load_id`;
 * - {{ if_incremental(<condition>) }}: `true` on a full build, `(<condition>)` on an incremental one (to narrow a
 *   query to the keys the new rows touch without costing the full build anything);
 * - {{ var('name') }}: the project variable `name` from sql/project.yaml, as a literal.
 */
const KNOWN_PLACEHOLDERS = new Set(['as_of', 'var', 'new_rows', 'if_incremental']);
const PLACEHOLDER = /\{\{([\s\S]*?)\}\}/g;

function placeholders(sql: string): { name: string; arg?: string; text: string }[] {
  return [...sql.matchAll(PLACEHOLDER)].map((m) => {
    const p = /^\s*(\w+)\s*(?:\(([\s\S]*)\))?\s*$/.exec(m[1]);
    if (!p) throw new Error(`cannot read the build variable {{${m[1]}}}`);
    return { name: p[1], arg: p[2], text: m[0] };
  });
}

export interface RenderVars {
  asOf: string;
  /** Set on an incremental run: the highest raw _load_id the model's last build saw. */
  watermark?: number;
  /** Project variables (sql/project.yaml). */
  vars?: ProjectVars;
}

/** Substitutes build variables (see KNOWN_PLACEHOLDERS). Pure. */
export function renderSql(sql: string, vars: RenderVars): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(vars.asOf)) throw new Error(`as-of date must be YYYY-MM-DD, got "${vars.asOf}"`);
  const w = vars.watermark;
  if (w !== undefined && !Number.isSafeInteger(w)) throw new Error(`watermark must be a whole number, got ${w}`);
  return sql.replace(PLACEHOLDER, (text) => {
    const [p] = placeholders(text);
    if (p.name === 'as_of' && p.arg === undefined) return `DATE '${vars.asOf}'`;
    if (p.name === 'new_rows' && p.arg?.trim()) return w === undefined ? 'true' : `(${p.arg.trim()}) > ${w}`;
    if (p.name === 'if_incremental' && p.arg?.trim()) return w === undefined ? 'true' : `(${p.arg.trim()})`;
    if (p.name === 'var') return projectVar(vars.vars ?? {}, p.arg ?? '');
    throw new Error(`unknown build variable ${text}`);
  });

function projectVar(vars: ProjectVars, arg: string): string {
  const name = /^\s*'([a-z_][a-z0-9_]*)'\s*$/.exec(arg)?.[1];
  if (!name) throw new Error(`{{ var(...) }} takes one quoted variable name, e.g. {{ var('lapsed_days') }}, not (${arg})`);
  const v = vars[name];
  if (v === undefined) throw new Error(`unknown project variable ${name} (define it under vars: in sql/project.yaml)`);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`project variable ${name} must be a finite number`);
    return String(v);
  }
  return `'${v.replaceAll("'", "''")}'`;
}
}
