import {
  DuckDBArrayValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';

/**
 * A DuckDB value as JSON without surprises: integers (BIGINT, HUGEINT, …) and DECIMALs as numbers when a
 * double holds them exactly, else as strings; DATE as 'YYYY-MM-DD'; timestamps as ISO strings (UTC, ms);
 * lists, structs and maps as arrays and objects; anything else as DuckDB prints it.
 */
export function toJsonValue(v: DuckDBValue): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return safe(v) ? Number(v) : v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof DuckDBDecimalValue) return safe(v.value) ? Number(v.toString()) : v.toString();
  if (v instanceof DuckDBDateValue) return v.toString();
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) return iso(v.micros / 1000n, v);
  if (v instanceof DuckDBTimestampMillisecondsValue) return iso(v.millis, v);
  if (v instanceof DuckDBTimestampSecondsValue) return iso(v.seconds * 1000n, v);
  if (v instanceof DuckDBTimestampNanosecondsValue) return iso(v.nanos / 1_000_000n, v);
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(toJsonValue);
  if (v instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, toJsonValue(x)]));
  if (v instanceof DuckDBMapValue) return v.entries.map((e) => ({ key: toJsonValue(e.key), value: toJsonValue(e.value) }));
  return String(v);
}

const safe = (n: bigint) => n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER);

function iso(ms: bigint, v: { toString(): string }): string {
  const d = new Date(Number(ms));
  return Number.isNaN(d.getTime()) ? v.toString() : d.toISOString(); // infinity and dates beyond JS's range
}
