import {
  AsyncByteQueue,
  Bool,
  DateDay,
  Field,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import type { ExportType } from '@scrm/warehouse/segments/index';
import type { Columns } from './chunks.ts';

/** Arrow IPC stream format: the schema, then one record batch per DuckDB chunk, then the end-of-stream marker. */
const TYPE: Record<ExportType, () => DataType> = {
  text: () => new Utf8(),
  integer: () => new Int64(),
  double: () => new Float64(),
  boolean: () => new Bool(),
  date: () => new DateDay(),
  timestamp: () => new TimestampMillisecond(),
};

/** Collects what the writer writes, for the caller to take after each batch (the writer's own queue would hold it until read). */
class Collector extends AsyncByteQueue {
  private parts: Uint8Array[] = [];
  override write(value: Uint8Array | ArrayBufferView) {
    const bytes = value instanceof Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (bytes.byteLength) this.parts.push(bytes.slice()); // the writer may reuse its buffers
  }
  take(): Uint8Array[] {
    const out = this.parts;
    this.parts = [];
    return out;
  }
}

export class ArrowEncoder {
  private readonly schema: Schema;
  private readonly writer = new RecordBatchStreamWriter();
  private readonly sink = new Collector();

  constructor(private readonly columns: readonly { name: string; type: ExportType }[]) {
    this.schema = new Schema(columns.map((c) => new Field(c.name, TYPE[c.type](), true)));
    this.writer.reset(this.sink, this.schema);
  }

  /** The schema message (before any batch). */
  start(): Uint8Array[] {
    return this.sink.take();
  }

  batch(values: Columns, rows: number): Uint8Array[] {
    const children = this.columns.map((c, i) => vectorFromArray(values[i], this.schema.fields[i].type).data[0]);
    const data = makeData({ type: new Struct(this.schema.fields), length: rows, nullCount: 0, children });
    this.writer.write(new RecordBatch(this.schema, data));
    return this.sink.take();
  }

  end(): Uint8Array[] {
    this.writer.finish();
    return this.sink.take();
  }
}
