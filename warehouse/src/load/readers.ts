import { open } from 'node:fs/promises';
import { literal } from '../db/duckdb.ts';
import type { Source } from './spec.ts';
import { transcodeWindows1252 } from './transcode.ts';

/** The temp tables DuckDB's read_csv writes rejected rows to (see load/rejects.ts). */
export const REJECTS_TABLE = '_rejects';
export const REJECTS_SCAN = '_rejects_scan';

/** The DuckDB table expression for the formats DuckDB types itself; CSV and TSV go through prepareReader. */
function readerSql(source: Source, file: string): string {
  const f = literal(file);
  switch (source.format) {
    case 'parquet':
      return `read_parquet(${f})`;
    case 'ndjson':
      return `read_json(${f}, format = 'newline_delimited')`;
    case 'json':
      return `read_json(${f}, format = 'array')`;
    default:
      throw new Error(`Source ${source.name}: format "${source.format}" is not read by DuckDB directly`);
  }
}

export function normaliseEncoding(e: string): string {
  const k = e.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (k === 'utf8' || k === 'utf8bom') return 'utf-8';
  if (k === 'latin1' || k === 'iso88591' || k === 'l1') return 'latin-1';
  if (k === 'windows1252' || k === 'cp1252' || k === 'win1252') return 'windows-1252';
  if (k === 'utf16' || k === 'utf16le') return 'utf-16';
  return e;
}

export interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
  header: boolean;
  /** Column names: the header's, or column0, column1, … without a header. Empty: the file has no content. */
  columns: string[];
}

export interface PreparedReader {
  sql: string;
  dialect?: CsvDialect;
  cleanup(): Promise<void>;
}

const SAMPLE_BYTES = 1 << 20;
const DELIMITERS = [',', ';', '\t', '|'];

/**
 * The reader for one file. CSV/TSV: the dialect is sniffed here (first MB, quote-aware) and given to
 * read_csv with auto_detect off and every column VARCHAR, so that a malformed row (too many or too few
 * columns, an unterminated quote, bad bytes) is rejected into REJECTS_TABLE instead of failing the file
 * or confusing DuckDB's sniffer; Windows-1252 is transcoded to a temporary UTF-8 file first.
 * Throws when the file is not text at all.
 */
export async function prepareReader(source: Source, file: string): Promise<PreparedReader> {
  if (source.format !== 'csv' && source.format !== 'tsv') return { sql: readerSql(source, file), cleanup: async () => {} };
  const encoding = normaliseEncoding(String(source.options.encoding ?? 'utf-8'));
  let path = file;
  let cleanup = async () => {};
  if (encoding === 'windows-1252') {
    const t = await transcodeWindows1252(file);
    path = t.path;
    cleanup = t.cleanup;
  }
  try {
    const sample = await readSample(path);
    const text = decodeSample(sample, encoding === 'windows-1252' ? 'utf-8' : encoding);
    const dialect = sniffCsv(text, source);
    if (dialect.columns.length === 0) {
      // An empty file: no rows and no columns.
      return { sql: `(SELECT CAST(NULL AS VARCHAR) AS column0 LIMIT 0)`, dialect, cleanup };
    }
    const args = [
      literal(path),
      'auto_detect = false',
      `header = ${dialect.header}`,
      `delim = ${literal(dialect.delimiter)}`,
      `quote = ${literal(dialect.quote)}`,
      `escape = ${literal(dialect.escape)}`,
      `columns = {${dialect.columns.map((c) => `${literal(c)}: 'VARCHAR'`).join(', ')}}`,
      `store_rejects = true`,
      `rejects_table = ${literal(REJECTS_TABLE)}`,
      `rejects_scan = ${literal(REJECTS_SCAN)}`,
    ];
    if (encoding !== 'utf-8' && encoding !== 'windows-1252') args.push(`encoding = ${literal(encoding)}`);
    return { sql: `read_csv(${args.join(', ')})`, dialect, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function readSample(path: string): Promise<Buffer> {
  const h = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await h.read(buf, 0, SAMPLE_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await h.close();
  }
}

/** Decodes the sample; refuses binary content (NUL bytes or mostly undecodable or control characters). */
export function decodeSample(sample: Buffer, encoding: string): string {
  const utf16 = encoding === 'utf-16';
  if (!utf16 && sample.includes(0)) throw new Error('not a text file: it contains binary data (NUL bytes)');
  const text = new TextDecoder(utf16 ? 'utf-16le' : encoding === 'latin-1' ? 'latin1' : 'utf-8').decode(sample, { stream: true });
  let bad = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfffd || (cp < 0x20 && cp !== 9 && cp !== 10 && cp !== 13)) bad++;
  }
  if (text.length > 0 && bad / text.length > 0.05) {
    throw new Error(`not a readable ${encoding} text file: ${bad} of the first ${text.length} characters are undecodable or control characters (binary file, or set options.encoding)`);
  }
  return text.replace(/^\ufeff/, '');
}

/** Splits the first records of `text` (quote-aware); the last, possibly cut, record is dropped unless it is the only one. */
export function splitRecords(text: string, delimiter: string, quote: string, max = 50): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  for (; i < text.length && records.length < max; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === quote) {
        if (text[i + 1] === quote) { field += quote; i++; } else inQuotes = false;
      } else field += ch;
    } else if (ch === quote && field === '') inQuotes = true;
    else if (ch === delimiter) { fields.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
    } else field += ch;
  }
  if (records.length === 0 && (field !== '' || fields.length > 0)) records.push([...fields, field]);
  return records;
}

/** The CSV dialect of a decoded sample, honouring the source's explicit options. */
export function sniffCsv(text: string, source: Pick<Source, 'format' | 'options'>): CsvDialect {
  const o = source.options;
  const quote = o.quote !== undefined ? String(o.quote) : '"';
  const escape = o.escape !== undefined ? String(o.escape) : quote;
  const header = o.header !== false;
  const explicit = o.delimiter ?? (source.format === 'tsv' ? '\t' : undefined);
  let delimiter = explicit !== undefined ? String(explicit) : ',';
  if (text.trim() === '') return { delimiter, quote, escape, header, columns: [] };
  if (explicit === undefined) {
    // The candidate that splits the first line into the most fields, and splits the next lines alike.
    let best = -1;
    for (const d of DELIMITERS) {
      const recs = splitRecords(text, d, quote, 20).filter((r) => r.length > 1 || r[0] !== '');
      if (recs.length === 0 || recs[0].length < 2) continue;
      const same = recs.filter((r) => r.length === recs[0].length).length;
      const score = same * 1000 + recs[0].length;
      if (score > best) { best = score; delimiter = d; }
    }
  }
  const first = splitRecords(text, delimiter, quote, 1)[0] ?? [];
  const seen = new Set<string>();
  const columns = first.map((name, i) => {
    let n = header ? name.trim() : '';
    if (n === '') n = `column${i}`;
    while (seen.has(n.toLowerCase())) n = `${n}_${i}`;
    seen.add(n.toLowerCase());
    return n;
  });
  return { delimiter, quote, escape, header, columns };
}
