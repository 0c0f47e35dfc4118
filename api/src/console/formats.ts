import type { DuckDBDataChunk, DuckDBType } from '@duckdb/node-api';
import { DuckDBTypeId } from '@duckdb/node-api';
import {
  Bool,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { toJsonValue } from './values.ts';

/** The rows of a chunk as arrays of JSON values. */
export function chunkRows(chunk: DuckDBDataChunk, limit = chunk.rowCount): unknown[][] {
  const rows: unknown[][] = [];
  for (let r = 0; r < Math.min(limit, chunk.rowCount); r++) rows.push(chunk.getRowValues(r).map(toJsonValue));
  return rows;
}

// ---- CSV (RFC 4180; NULL as an empty field, lists and structs as JSON text)

export function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

// ---- Arrow IPC stream

/**
 * The Arrow type of a DuckDB column. Exact where Arrow and JSON agree (booleans, 32/64-bit integers,
 * doubles, dates, timestamps in ms UTC, text); DECIMAL as a double when its width fits one exactly (≤ 15
 * digits), else as text like HUGEINT; lists, structs and the rest as their JSON or printed text.
 */
export function arrowType(t: DuckDBType): DataType {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new Bool();
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return new Int32();
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return new Int64();
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return new Float64();
    case DuckDBTypeId.DECIMAL:
      return (t as unknown as { width: number }).width <= 15 ? new Float64() : new Utf8();
    case DuckDBTypeId.DATE:
      return new DateDay();
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return new TimestampMillisecond('UTC');
    default:
      return new Utf8();
  }
}

export function arrowSchema(names: string[], types: DuckDBType[]): Schema {
  return new Schema(names.map((n, i) => new Field(n, arrowType(types[i]), true)));
}

/** One record batch from the first `limit` rows of a chunk. */
export function arrowBatch(schema: Schema, rows: unknown[][]): RecordBatch {
  const children = schema.fields.map((f, i) => {
    const values = rows.map((r) => arrowValue(f.type, r[i]));
    return vectorFromArray(values as never[], f.type).data[0];
  });
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children }));
}

function arrowValue(type: DataType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type instanceof Int64) return BigInt(v as number | string);
  if (type instanceof Float64 || type instanceof Int32) return Number(v);
  if (type instanceof DateDay || type instanceof TimestampMillisecond) return new Date(v as string);
  if (type instanceof Utf8) return typeof v === 'object' ? JSON.stringify(v) : String(v);
  return v;
}

export { RecordBatchStreamWriter };
