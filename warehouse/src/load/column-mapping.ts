import { ident } from '../db/duckdb.ts';
import type { EntitySpec } from '../entities.ts';

/**
 * Decides, for every canonical column of an entity, which source column or SQL expression feeds it.
 * Pure: takes the source's column names and the spec's explicit mapping.
 */
export type ColumnSource =
  | { kind: 'column'; source: string }
  | { kind: 'expression'; sql: string }
  | { kind: 'missing' };

export interface ColumnMapping {
  columns: Record<string, ColumnSource>;
  /** Source columns that feed no canonical column: kept in `extra`. */
  extra: string[];
}

/** Lower-case, accents and punctuation removed: "E-mail " → "email", "Código Postal" → "codigopostal". */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function mapColumns(entity: EntitySpec, sourceColumns: string[], explicit: Record<string, string> = {}): ColumnMapping {
  const byNorm = new Map<string, string>();
  for (const c of sourceColumns) if (!byNorm.has(normaliseName(c))) byNorm.set(normaliseName(c), c);
  const used = new Set<string>();
  const columns: Record<string, ColumnSource> = {};

  // Explicit mappings first, so that name matching cannot steal a column the spec assigned.
  for (const [canonical, value] of Object.entries(explicit)) {
    const exact = sourceColumns.find((c) => c === value) ?? byNorm.get(normaliseName(value));
    if (exact !== undefined && /^[^()'"]+$/.test(value)) {
      columns[canonical] = { kind: 'column', source: exact };
      used.add(exact);
    } else {
      columns[canonical] = { kind: 'expression', sql: value };
      for (const c of sourceColumns) if (value.includes(c)) used.add(c);
    }
  }
  for (const [canonical, spec] of Object.entries(entity.columns)) {
    if (columns[canonical]) continue;
    const candidates = [canonical, ...(spec.aliases ?? [])].map(normaliseName);
    const match = candidates.map((n) => byNorm.get(n)).find((c) => c !== undefined && !used.has(c));
    if (match !== undefined) {
      columns[canonical] = { kind: 'column', source: match };
      used.add(match);
    } else {
      columns[canonical] = { kind: 'missing' };
    }
  }
  const extra = sourceColumns.filter((c) => !used.has(c));
  return { columns, extra };
}

/** SQL for a mapped column over the source row. */
export function sourceSql(src: ColumnSource): string {
  switch (src.kind) {
    case 'column':
      return ident(src.source);
    case 'expression':
      return `(${src.sql})`;
    case 'missing':
      return 'NULL';
  }
}

/** A one-line description of the mapping, for `scrm load` output. */
export function describeMapping(m: ColumnMapping): string {
  const parts = Object.entries(m.columns)
    .filter(([, s]) => s.kind !== 'missing')
    .map(([c, s]) => (s.kind === 'column' ? (s.source === c ? c : `${c} ← ${s.source}`) : s.kind === 'expression' ? `${c} ← ${s.sql}` : c));
  return parts.join(', ') + (m.extra.length ? `; extra: ${m.extra.join(', ')}` : '');
}
