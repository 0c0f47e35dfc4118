import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** Metric views: measures and dimensions over one mart, defined once in sql/metrics/*.yaml. */
const Identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case identifier');
export const FORMATS = ['currency', 'integer', 'number', 'percent', 'signed_ratio'] as const;

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
  focus: z.object({ dimension: Identifier, default: z.string() }).optional(),
  dimensions: z.record(Identifier, z.object({ label: z.string(), sql: z.string().optional() })).default({}),
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
  for (const { file, text } of docs) {
    const parsed = MetricViewSchema.safeParse(parseYaml(text));
    if (!parsed.success) {
      throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const v = parsed.data;
    if (v.focus && !v.dimensions[v.focus.dimension]) throw new Error(`${file}: focus dimension ${v.focus.dimension} is not a dimension`);
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
