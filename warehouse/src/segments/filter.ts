import { sql, type RawBuilder } from 'kysely';
import { conditionSql, forEachCondition } from '../metrics/compile.ts';
import type { FilterExpr, FilterValue } from '../metrics/contract.ts';

/**
 * Segment filters over a table's real columns: every column a condition names must exist (identifiers are
 * never taken from the request as text), every value must suit the column's type, and values are bound as
 * parameters — cast to the column's type for dates and timestamps. Pure: the columns come from the caller.
 */
export type ColumnKind = 'string' | 'number' | 'boolean' | 'date' | 'timestamp' | 'other';

export class SegmentFilterError extends Error {}

/** The kind of a DuckDB column type (as information_schema.columns.data_type spells it). */
export function columnKind(type: string): ColumnKind {
  const t = type.toUpperCase();
  if (t === 'VARCHAR') return 'string';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/.test(t)) return 'number';
  return 'other';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([ T]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?Z?)?$/;

/** A calendar day that exists (2026-02-31 does not, though Date.parse rolls it over). */
const realDay = (d: string) => {
  const t = Date.parse(d + 'T00:00:00Z');
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
};

function valueError(kind: ColumnKind, v: FilterValue): string | null {
  switch (kind) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'holds numbers';
    case 'boolean':
      return typeof v === 'boolean' ? null : 'holds true / false';
    case 'date':
      return typeof v === 'string' && DATE.test(v) && realDay(v) ? null : 'holds dates (YYYY-MM-DD)';
    case 'timestamp':
      return typeof v === 'string' && TIMESTAMP.test(v) && realDay(v.slice(0, 10)) ? null : 'holds timestamps (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)';
    default:
      return typeof v === 'string' ? null : 'holds text';
  }
}

/** Checks every condition of the tree against the columns; throws one message naming the path and what is wrong. */
export function checkSegmentFilter(where: FilterExpr, columns: ReadonlyMap<string, ColumnKind>, table: string): void {
  forEachCondition(where, 'where', (leaf, path) => {
    const kind = columns.get(leaf.dimension);
    if (!kind) {
      const usable = [...columns].filter(([, k]) => k !== 'other').map(([c]) => c);
      throw new SegmentFilterError(`${path}: ${table} has no column "${leaf.dimension}"; columns: ${usable.join(', ')}`);
    }
    if (kind === 'other') throw new SegmentFilterError(`${path}: column "${leaf.dimension}" is a list or another compound type and cannot be filtered`);
    if ((leaf.op === 'like' || leaf.op === 'ilike') && kind !== 'string') throw new SegmentFilterError(`${path}: ${leaf.op} needs a text column; "${leaf.dimension}" is ${kind}`);
    const values = 'values' in leaf ? leaf.values : 'value' in leaf ? [leaf.value] : [];
    for (const v of values) {
      const wrong = valueError(kind, v);
      if (wrong) throw new SegmentFilterError(`${path}: column "${leaf.dimension}" ${wrong}, not ${JSON.stringify(v)}`);
    }
  });
}

/** The tree as a SQL predicate over `columns` (checked first), values bound as parameters. */
export function segmentPredicate(where: FilterExpr, columns: ReadonlyMap<string, ColumnKind>, table: string): RawBuilder<boolean> {
  checkSegmentFilter(where, columns, table);
  return conditionSql(
    where,
    (column) => sql.ref(column),
    (column, v) => {
      const kind = columns.get(column);
      if (kind === 'date') return sql`CAST(${v} AS DATE)`;
      if (kind === 'timestamp') return sql`CAST(${v} AS TIMESTAMP)`;
      return sql`${v}`;
    },
  );
}
