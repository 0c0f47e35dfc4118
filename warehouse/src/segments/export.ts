import { sql } from 'kysely';
import type { Segment } from './definition.ts';
import { segmentPredicate } from './filter.ts';
import { compiled, SEGMENT_TABLE, type Columns } from './store.ts';

/**
 * What a segment export holds: the consented members only (`marketing_consent IS TRUE`: no consent or an
 * unknown one is left out), with contact details in clear (campaigns need them), one row per customer in no
 * particular order (an ORDER BY would make DuckDB hold and sort the whole segment before the first byte).
 * Types are plain so every format carries them alike: text, integer, double, boolean, date, timestamp.
 */
export const CONSENT_RULE = 'marketing_consent = true';

export type ExportType = 'text' | 'integer' | 'double' | 'boolean' | 'date' | 'timestamp';

export const EXPORT_COLUMNS: readonly { name: string; type: ExportType }[] = [
  { name: 'customer_id', type: 'text' },
  { name: 'first_name', type: 'text' },
  { name: 'last_name', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'phone', type: 'text' },
  { name: 'loyalty_id', type: 'text' },
  { name: 'gender', type: 'text' },
  { name: 'birth_date', type: 'date' },
  { name: 'city', type: 'text' },
  { name: 'region', type: 'text' },
  { name: 'country', type: 'text' },
  { name: 'marketing_consent', type: 'boolean' },
  { name: 'consent_updated_at', type: 'timestamp' },
  { name: 'orders', type: 'integer' },
  { name: 'revenue', type: 'double' },
  { name: 'last_order_date', type: 'date' },
  { name: 'rfm_segment', type: 'text' },
  { name: 'frequency_segment', type: 'text' },
  { name: 'clv_tier', type: 'text' },
  { name: 'historical_clv', type: 'double' },
  { name: 'predicted_clv_12m', type: 'double' },
  { name: 'p_alive', type: 'double' },
  { name: 'advocacy_role', type: 'text' },
];

const CAST = { text: 'VARCHAR', integer: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP' } as const;

/** The export's SELECT: the segment's filter AND the consent rule, values bound as parameters. */
export function exportQuery(s: Segment, columns: Columns): { sql: string; parameters: never[] } {
  const p = segmentPredicate(s.where, columns, SEGMENT_TABLE);
  const cols = EXPORT_COLUMNS.map((c) => sql`CAST(${sql.ref(c.name)} AS ${sql.raw(CAST[c.type])}) AS ${sql.ref(c.name)}`);
  return compiled(sql`SELECT ${sql.join(cols)} FROM ${sql.table(SEGMENT_TABLE)} WHERE marketing_consent IS TRUE AND ${p}`);
}
