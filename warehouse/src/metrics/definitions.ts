import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { COMPARISONS, DIMENSION_TYPES, FILTER_OPS, GRAINS, MEASURE_FORMATS, QUERY_LIMITS, type MetricsCatalogInfo } from './contract.ts';

/** Metric views: measures and dimensions over one mart, defined once in sql/metrics/*.yaml. */
const Identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case identifier');
export const FORMATS = MEASURE_FORMATS;

const MeasureSchema = z
  .object({
    label: z.string(),
    format: z.enum(FORMATS).default('number'),
    description: z.string().min(1),
    sql: z.string().optional(),
    /** A share measure: this aggregate for the focus over the same aggregate for all rows. */
    share_of: z
      .string()
      .regex(/^[a-z_]+\([a-z_][a-z0-9_]*\)$/, 'share_of is one aggregate over one column, e.g. sum(mentions)')
      .optional(),
  })
  .refine((m) => !!m.sql !== !!m.share_of, 'a measure has either sql or share_of');

export const MetricViewSchema = z.object({
  name: Identifier,
  label: z.string(),
  table: z.string().regex(/^[a-z_]+\.[a-z_][a-z0-9_]*$/),
  time_column: Identifier,
  /** The grain of a query's rows when the query names none (without it: totals only). */
  default_grain: z.enum(GRAINS).optional(),
  focus: z.object({ dimension: Identifier, default: z.string() }).optional(),
  dimensions: z
    .record(Identifier, z.object({ label: z.string(), sql: z.string().optional(), type: z.enum(DIMENSION_TYPES).default('string') }))
    .default({}),
  measures: z.record(Identifier, MeasureSchema),
});

export type MetricView = z.output<typeof MetricViewSchema>;
export type Measure = z.output<typeof MeasureSchema> & { name: string; view: string };

export interface MetricCatalog {
  views: MetricView[];
  measures: Map<string, Measure>;
}

export function parseCatalog(docs: { file: string; text: string }[]): MetricCatalog {
  const views: MetricView[] = [];
  const measures = new Map<string, Measure>();
  const dimTypes = new Map<string, { type: string; view: string }>();
  for (const { file, text } of docs) {
    const parsed = MetricViewSchema.safeParse(parseYaml(text));
    if (!parsed.success) {
      throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const v = parsed.data;
    if (v.focus && !v.dimensions[v.focus.dimension]) throw new Error(`${file}: focus dimension ${v.focus.dimension} is not a dimension`);
    if (views.some((w) => w.name === v.name)) throw new Error(`${file}: metric view ${v.name} is defined twice`);
    // A filter names a dimension, not a view: the same name must mean the same kind of value everywhere.
    for (const [name, d] of Object.entries(v.dimensions)) {
      const seen = dimTypes.get(name);
      if (seen && seen.type !== d.type) throw new Error(`${file}: dimension ${name} is ${d.type} here but ${seen.type} in view ${seen.view}`);
      dimTypes.set(name, { type: d.type, view: v.name });
    }
    for (const [name, m] of Object.entries(v.measures)) {
      if (m.share_of && !v.focus) throw new Error(`${file}: measure ${name} is a share but the view has no focus`);
      if (measures.has(name)) throw new Error(`${file}: measure ${name} is defined twice`);
      measures.set(name, { ...m, name, view: v.name });
    }
    views.push(v);
  }
  return { views, measures };
}

export function loadCatalog(sqlDir: string): MetricCatalog {
  const dir = join(sqlDir, 'metrics');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  return parseCatalog(files.map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') })));
}

/** What GET /api/metrics lists: every view with its dimensions, measures and default grain (no SQL). */
export function describeCatalog(catalog: MetricCatalog): MetricsCatalogInfo {
  return {
    views: catalog.views.map((v) => ({
      name: v.name,
      label: v.label,
      table: v.table,
      timeColumn: v.time_column,
      defaultGrain: v.default_grain ?? null,
      focus: v.focus ? { dimension: v.focus.dimension } : null,
      dimensions: Object.entries(v.dimensions).map(([name, d]) => ({ name, label: d.label, type: d.type })),
      measures: Object.entries(v.measures).map(([name, m]) => ({
        name,
        label: m.label,
        format: m.format,
        description: m.description,
        kind: m.share_of ? ('share' as const) : ('aggregate' as const),
      })),
    })),
    grains: GRAINS,
    comparisons: COMPARISONS,
    operators: FILTER_OPS,
    limits: QUERY_LIMITS,
  };
}
