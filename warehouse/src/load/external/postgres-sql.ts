import type { Value } from './csv-records.ts';

/** Pure parts of the PostgreSQL reader: connection string, the SELECT to run, values as text. */

/**
 * The connection string of a source's `path`: the path itself, or with `env:NAME` the value of environment
 * variable NAME (so passwords need not sit in spec files).
 */
export function connectionString(sourceName: string, path: string, env: Record<string, string | undefined>): string {
  const m = /^env:(.+)$/.exec(path.trim());
  const value = m ? env[m[1]] : path.trim();
  if (m && !value) throw new Error(`source ${sourceName}: environment variable ${m[1]} (path: env:${m[1]}) is not set`);
  if (!/^postgres(ql)?:\/\//.test(value!)) {
    throw new Error(`source ${sourceName}: ${m ? `environment variable ${m[1]}` : 'path'} must be a connection string like postgres://user:password@host:5432/database`);
  }
  return value!;
}

/** The connection string without its password, for messages: postgres://scrm@127.0.0.1:5432/shop. */
export function redact(conn: string): string {
  try {
    const u = new URL(conn);
    u.password = '';
    u.search = [...u.searchParams.keys()].some((k) => /pass/i.test(k)) ? '' : u.search;
    return u.toString().replace(/^(postgres(?:ql)?:\/\/[^@/]*):@/, '$1@');
  } catch {
    return conn.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1@').replace(/\?.*$/, '');
  }
}

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * `schema.table` or `table` as written (case-sensitive; no case folding), each part double-quoted. A part may be
 * given in double quotes already, e.g. `"my.schema".orders`.
 */
export function qualifiedName(table: string): string {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")+)"|([^".]+?))\s*(\.|$)/y;
  let m: RegExpExecArray | null;
  let rest = table;
  while (rest.length && (m = re.exec(rest))) {
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]);
    rest = rest.slice(re.lastIndex);
    re.lastIndex = 0;
    if (m[3] === '' ) break;
  }
  if (rest.trim() || parts.length < 1 || parts.length > 3 || parts.some((p) => !p.trim())) {
    throw new Error(`option table must be a table name, optionally schema-qualified (schema.table), not ${JSON.stringify(table)}`);
  }
  return parts.map(quoteIdent).join('.');
}

/** Drops leading SQL comments and whitespace. */
function stripLeadingComments(sql: string): string {
  let s = sql;
  for (;;) {
    const t = s.replace(/^\s+/, '').replace(/^--[^\n]*(\n|$)/, '').replace(/^\/\*[\s\S]*?\*\//, '');
    if (t === s) return s;
    s = t;
  }
}

/** The one SELECT to run for a source's options: `table` or `query` (a SELECT or WITH … SELECT), not both. */
export function selectSql(sourceName: string, o: Record<string, string | number | boolean>): string {
  const known = ['table', 'query', 'extra', 'dateformat', 'timestampformat'];
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`source ${sourceName}: unknown postgres option ${unknown.join(', ')} (postgres options: table or query)`);
  const { table, query } = o;
  if (table !== undefined && query !== undefined) throw new Error(`source ${sourceName}: give either option table or option query, not both`);
  if (table === undefined && query === undefined) throw new Error(`source ${sourceName}: a postgres source needs option table (schema.table) or option query (a SELECT)`);
  if (table !== undefined) {
    try {
      return `SELECT * FROM ${qualifiedName(String(table))}`;
    } catch (err) {
      throw new Error(`source ${sourceName}: ${(err as Error).message}`);
    }
  }
  const sql = stripLeadingComments(String(query)).replace(/[\s;]+$/, '');
  if (!/^(select|with)\b/i.test(sql)) throw new Error(`source ${sourceName}: option query must be a SELECT (or WITH … SELECT); got ${JSON.stringify(String(query).slice(0, 40))}`);
  if (sql.includes(';')) {
    // A semicolon is fine inside a string literal; a second statement is not.
    const outside = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""');
    if (outside.includes(';')) throw new Error(`source ${sourceName}: option query must be a single SELECT statement`);
  }
  return sql;
}

/**
 * A value as node-postgres gives it (with dates and timestamps without time zone left as text) as text:
 * Dates (timestamptz) as ISO timestamps in UTC, numeric and bigint strings unchanged, JSON stringified,
 * arrays joined with "|" (the loader's list separator), bytea as \x hex.
 */
export function pgText(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  if (Array.isArray(v)) {
    return v.every((x) => x === null || typeof x !== 'object' || x instanceof Date) ? v.map((x) => pgText(x) ?? '').join('|') : JSON.stringify(v);
  }
  if (typeof v === 'object' && typeof (v as { toPostgres?: unknown }).toPostgres === 'function') {
    return String((v as { toPostgres(): unknown }).toPostgres());
  }
  return JSON.stringify(v);
}
