import type { Source } from './spec.ts';
import { materialisePostgres } from './external/postgres.ts';
import { materialiseXlsx } from './external/xlsx.ts';

/**
 * Formats DuckDB cannot read here (its excel and postgres extensions would be downloaded at run time) are
 * streamed by a JavaScript reader into a temporary file that DuckDB can read; the rest of the load — typing,
 * validation, quarantine, dedup — is the same for every format.
 */
export interface Materialised {
  /** The temporary file, in a format DuckDB reads natively. */
  path: string;
  format: 'ndjson' | 'csv' | 'parquet';
  /** Content hash of what was read, for "already loaded" detection (a database table has no file to hash). */
  contentHash: string;
  /** Records read from the source. */
  records: number;
  cleanup(): Promise<void>;
}

export function needsMaterialising(source: Source): boolean {
  return source.format === 'xlsx' || source.format === 'postgres';
}

/** Streams the source into a temporary file (`file` is the .xlsx file, or for postgres the source's path). */
export async function materialise(source: Source, file: string): Promise<Materialised> {
  switch (source.format) {
    case 'xlsx':
      return materialiseXlsx(source, file);
    case 'postgres':
      return materialisePostgres(source);
    default:
      throw new Error(`Source ${source.name}: format ${source.format} is read by DuckDB, not materialised`);
  }
}
