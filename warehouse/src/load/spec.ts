import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ENTITIES, ENTITY_NAMES } from '../entities.ts';
import { normaliseEncoding } from './readers.ts';

/** Text encodings of CSV sources: DuckDB reads the first three; windows-1252 is transcoded first (transcode.ts). */
const ENCODINGS = ['utf-8', 'latin-1', 'utf-16', 'windows-1252'];

/** The source specification (DESIGN.md, contract): what `scrm load` accepts, as YAML or JSON. */
export const FORMATS = ['csv', 'tsv', 'parquet', 'ndjson', 'json', 'xlsx', 'postgres'] as const;
export type Format = (typeof FORMATS)[number];

const OptionValue = z.union([z.string(), z.number(), z.boolean()]);

export const SourceSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, _ . - only'),
    entity: z.enum(ENTITY_NAMES as [string, ...string[]]),
    path: z.string().min(1),
    format: z.enum(FORMATS).optional(),
    options: z.record(z.string(), OptionValue).default({}),
    columns: z.record(z.string(), z.string().min(1)).default({}),
  })
  .superRefine((s, ctx) => {
    const o = s.options;
    if (o.decimal !== undefined && o.decimal !== '.' && o.decimal !== ',') {
      ctx.addIssue({ code: 'custom', path: ['options', 'decimal'], message: 'decimal must be "." or ","' });
    }
    if (o.timezone !== undefined) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: String(o.timezone) });
      } catch {
        ctx.addIssue({ code: 'custom', path: ['options', 'timezone'], message: `unknown time zone "${o.timezone}" (use an IANA name such as Europe/Madrid)` });
      }
    }
    if (o.encoding !== undefined && !ENCODINGS.includes(normaliseEncoding(String(o.encoding)))) {
      ctx.addIssue({ code: 'custom', path: ['options', 'encoding'], message: `encoding must be one of ${ENCODINGS.join(', ')}` });
    }
    const known = Object.keys(ENTITIES[s.entity as keyof typeof ENTITIES].columns);
    for (const col of Object.keys(s.columns)) {
      if (!known.includes(col)) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', col],
          message: `"${col}" is not a column of ${s.entity}; its columns are: ${known.join(', ')}`,
        });
      }
    }
  });

export const SpecSchema = z.object({ sources: z.array(SourceSchema).min(1, 'a spec needs at least one source') }).superRefine((spec, ctx) => {
  const seen = new Set<string>();
  spec.sources.forEach((s, i) => {
    if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'name'], message: `duplicate source name "${s.name}"` });
    seen.add(s.name);
  });
});

export type SourceInput = z.input<typeof SourceSchema>;
export interface Source extends z.output<typeof SourceSchema> {
  format: Format;
  /** Absolute path or glob. */
  path: string;
}
export interface Spec {
  file: string;
  sources: Source[];
}

export class SpecError extends Error {}

export function parseSpecText(text: string, file: string): Spec {
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new SpecError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  const parsed = SpecSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new SpecError(`${file}: invalid source spec:\n${lines.join('\n')}`);
  }
  const base = dirname(resolve(file));
  return {
    file: resolve(file),
    sources: parsed.data.sources.map((s) => ({
      ...s,
      path: s.format === 'postgres' || isAbsolute(s.path) ? s.path : resolve(base, s.path),
      format: s.format ?? inferFormat(s.path),
    })),
  };
}

export function readSpec(file: string): Spec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SpecError(`Cannot read source spec ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseSpecText(text, file);
}

export function inferFormat(path: string): Format {
  const ext = extname(path.replace(/\.gz$/, '')).toLowerCase();
  const byExt: Record<string, Format> = {
    '.csv': 'csv', '.txt': 'csv', '.tsv': 'tsv', '.tab': 'tsv', '.parquet': 'parquet', '.pq': 'parquet',
    '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.json': 'json', '.xlsx': 'xlsx',
  };
  const f = byExt[ext];
  if (!f) throw new SpecError(`Cannot infer the format of ${path}; add "format:" (one of ${FORMATS.join(', ')})`);
  return f;
}
