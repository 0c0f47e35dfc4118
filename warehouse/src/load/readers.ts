import { literal } from '../db/duckdb.ts';
import type { Source } from './spec.ts';

/** The DuckDB table expression that reads one file of a source, by format. */
export function readerSql(source: Source, file: string): string {
  const o = source.options;
  const f = literal(file);
  switch (source.format) {
    case 'csv':
    case 'tsv': {
      const args = [f, 'all_varchar = true', `header = ${o.header === false ? 'false' : 'true'}`];
      const delim = o.delimiter ?? (source.format === 'tsv' ? '\t' : undefined);
      if (delim !== undefined) args.push(`delim = ${literal(String(delim))}`);
      if (o.quote !== undefined) args.push(`quote = ${literal(String(o.quote))}`);
      if (o.escape !== undefined) args.push(`escape = ${literal(String(o.escape))}`);
      if (o.encoding !== undefined) args.push(`encoding = ${literal(normaliseEncoding(String(o.encoding)))}`);
      return `read_csv(${args.join(', ')})`;
    }
    case 'parquet':
      return `read_parquet(${f})`;
    case 'ndjson':
      return `read_json(${f}, format = 'newline_delimited')`;
    case 'json':
      return `read_json(${f}, format = 'array')`;
    default:
      throw new Error(`Source ${source.name}: format "${source.format}" is not supported by this loader yet`);
  }
}

function normaliseEncoding(e: string): string {
  const k = e.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (k === 'utf8' || k === 'utf8bom') return 'utf-8';
  if (k === 'latin1' || k === 'iso88591') return 'latin-1';
  if (k === 'utf16') return 'utf-16';
  return e;
}
