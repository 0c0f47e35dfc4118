import { ident, literal } from '../db/duckdb.ts';
import { SQL_TYPES, type ColumnSpec, type EntitySpec } from '../entities.ts';
import { sourceSql, type ColumnMapping } from './column-mapping.ts';

/**
 * Builds the one SELECT that turns a source's rows into canonical, typed rows, each with the reasons it
 * cannot be loaded (none = good). Pure: the loader runs it; tests read it.
 *
 * Levels: `typed` casts every mapped column without failing (TRY_CAST / try_strptime) and keeps its
 * text form; the outer level applies defaults and collects reasons (missing, invalid, not allowed,
 * implausible) and the content hash. The SELECT keeps the source's record order but does not number the
 * records: numbering them here (row_number() OVER ()) would read the file on one thread. The loader
 * materialises it and takes record numbers from the table's row ids (loader.ts).
 *
 * It runs over every record of a file, so what a good record costs matters: text is trimmed only when
 * it may carry surrounding spaces, a number is cast straight from the source text before the slower
 * forms are tried, and the reasons list and the raw-values JSON are built only for bad records.
 */
export interface StageOptions {
  dateformat?: string;
  timestampformat?: string;
  /** Keep unmapped source columns in `extra` (default true). */
  keepExtra?: boolean;
  /**
   * Decimal separator of text numbers: '.' (default: "1,234.50" has thousands separators) or ','
   * (European: "1.234,50"; a '.' that is not a thousands separator makes the value invalid).
   */
  decimal?: '.' | ',';
  /**
   * IANA time zone of naive timestamps in the source (e.g. Europe/Madrid): converted to UTC.
   * Timestamps that carry an offset or Z are converted by their own offset whatever this says.
   */
  timezone?: string;
}

/** The SQL (over the trimmed text `text`) for a number's text normalised to DuckDB syntax, by decimal separator. */
export function numberTextSql(text: string, decimal: '.' | ',' = '.'): { fast: string | null; slow: string } {
  if (decimal === ',') {
    // 1.234,5 → 1234.5; 12,5 → 12.5; a '.' that is not a thousands separator → NULL (invalid)
    return {
      fast: null,
      slow: `CASE WHEN regexp_full_match(${text}, '[-+]?\\d{1,3}(\\.\\d{3})+(,\\d*)?') THEN replace(replace(${text}, '.', ''), ',', '.') WHEN NOT contains(${text}, '.') THEN replace(${text}, ',', '.') END`,
    };
  }
  // The plain form casts directly; only values with thousands separators (1,234.50) take the slow path.
  return { fast: text, slow: `CASE WHEN regexp_full_match(${text}, '[-+]?\\d{1,3}(,\\d{3})+(\\.\\d*)?') THEN replace(${text}, ',', '') END` };
}

/** A trimmed text value with the column's case and synonyms applied. */
export function normalisedTextSql(col: ColumnSpec, text: string): string {
  const lower = col.case === 'lower' || (col.case === undefined && (col.allowed !== undefined || col.synonyms !== undefined));
  const base = col.case === 'upper' ? `upper(${text})` : lower ? `lower(${text})` : text;
  const syn = Object.entries(col.synonyms ?? {});
  if (syn.length === 0) return base;
  const map = `MAP {${syn.map(([k, v]) => `${literal(k.toLowerCase())}: ${literal(v)}`).join(', ')}}`;
  return `coalesce(${map}[${base}], ${base})`;
}

/** Matches a timestamp text that carries its own UTC offset (…10:00+02:00, …10:00Z). */
export const OFFSET_REGEX = '\\d:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*([Zz]|[+-]\\d{2}(:?\\d{2})?)$';

const TRUE_WORDS = ['true', 't', '1', 'y', 'yes', 'si', 'sí', 's', 'sim', 'x'];
const FALSE_WORDS = ['false', 'f', '0', 'n', 'no', 'não', 'nao'];
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

/**
 * trim(s), without trimming (allocating a new string for) values that cannot need it: trim removes only
 * spaces (' ' and non-ASCII Unicode spaces), so an all-ASCII value that neither starts nor ends with ' '
 * is returned as it is.
 */
export function trimSql(s: string): string {
  return `CASE WHEN prefix(${s}, ' ') OR suffix(${s}, ' ') OR strlen(${s}) <> length(${s}) THEN trim(${s}) ELSE ${s} END`;
}

export function typedSql(col: ColumnSpec, x: string, sourceType: string, opts: StageOptions): { typed: string; text: string; canFail: boolean } {
  const text = `nullif(${trimSql(sourceType === 'VARCHAR' ? x : `CAST(${x} AS VARCHAR)`)}, '')`;
  const target = SQL_TYPES[col.type];
  switch (col.type) {
    case 'varchar':
      return { typed: normalisedTextSql(col, text), text, canFail: false };
    case 'integer':
    case 'bigint':
    case 'double':
    case 'decimal': {
      if (NUMERIC.test(sourceType)) return { typed: `TRY_CAST(${x} AS ${target})`, text, canFail: true };
      const n = numberTextSql(text, opts.decimal);
      const slow = `TRY_CAST(${n.slow} AS ${target})`;
      if (n.fast === null) return { typed: slow, text, canFail: true };
      // A value the cast reads straight from the source text reads the same from its trimmed text (the cast
      // skips surrounding white space itself); only the others are trimmed and tried in the slower forms.
      const direct = sourceType === 'VARCHAR' ? `TRY_CAST(${x} AS ${target}), ` : '';
      return { typed: `coalesce(${direct}TRY_CAST(${n.fast} AS ${target}), ${slow})`, text, canFail: true };
    }
    case 'boolean':
      if (sourceType === 'BOOLEAN') return { typed: x, text, canFail: false };
      return {
        typed: `CASE WHEN lower(${text}) IN (${TRUE_WORDS.map(literal).join(', ')}) THEN true WHEN lower(${text}) IN (${FALSE_WORDS.map(literal).join(', ')}) THEN false END`,
        text,
        canFail: true,
      };
    case 'date':
      if (sourceType === 'DATE') return { typed: x, text, canFail: false };
      if (sourceType.startsWith('TIMESTAMP')) return { typed: `CAST(${x} AS DATE)`, text, canFail: false };
      if (opts.dateformat) return { typed: `CAST(try_strptime(${text}, ${literal(opts.dateformat)}) AS DATE)`, text, canFail: true };
      return { typed: `TRY_CAST(${text} AS DATE)`, text, canFail: true };
    case 'timestamp': {
      // A naive timestamp `t` is local time in opts.timezone when given, else UTC.
      const local = (t: string) => (opts.timezone ? `timezone('UTC', timezone(${literal(opts.timezone)}, ${t}))` : t);
      if (sourceType === 'TIMESTAMP') return { typed: local(x), text, canFail: false };
      if (sourceType.startsWith('TIMESTAMP WITH')) return { typed: `timezone('UTC', ${x})`, text, canFail: false };
      if (sourceType.startsWith('TIMESTAMP') || sourceType === 'DATE') return { typed: local(`CAST(${x} AS TIMESTAMP)`), text, canFail: false };
      const naive = opts.timestampformat ? `try_strptime(${text}, ${literal(opts.timestampformat)})` : `TRY_CAST(${text} AS TIMESTAMP)`;
      // ISO 8601 with an offset or Z is converted to UTC by its offset (TRY_CAST AS TIMESTAMP would drop the offset).
      return {
        typed: `CASE WHEN regexp_matches(${text}, '${OFFSET_REGEX}') THEN timezone('UTC', TRY_CAST(${text} AS TIMESTAMPTZ)) ELSE ${local(naive)} END`,
        text,
        canFail: true,
      };
    }
    case 'varchar[]':
      if (sourceType.endsWith('[]')) return { typed: `CAST(${x} AS VARCHAR[])`, text, canFail: false };
      return { typed: `CASE WHEN ${text} IS NOT NULL THEN list_transform(string_split(${text}, '|'), k -> trim(k)) END`, text, canFail: false };
  }
}

export interface StagePlan {
  /**
   * One row per source record, in the source's order: the canonical columns that vary (see `constants`),
   * `extra` unless it is constant, `_hash` (of all canonical columns) and `_bad`: NULL for a good row, else
   * JSON {"reasons": [the non-empty list of reasons], "raw": {the record's text values}}.
   */
  sql: string;
  /** All canonical columns. */
  columns: string[];
  /**
   * The columns (canonical ones, or `extra`) that have the same value in every row, as SQL: they are left out
   * of `sql` (a staged column costs memory even when it is all NULL) and added where the rows are used.
   */
  constants: Record<string, string>;
}

/**
 * @param reader   a table expression over the source, e.g. `read_csv('f.csv', all_varchar = true)`
 * @param types    DuckDB type of each mapped canonical column as the source delivers it
 */
export function stageSql(entity: EntitySpec, mapping: ColumnMapping, reader: string, types: Record<string, string>, opts: StageOptions = {}): StagePlan {
  const cols = Object.keys(entity.columns);
  const inner: string[] = [];
  const outer: string[] = [];
  /** Each reason: the condition under which a row has it, and its text. */
  const reasons: { when: string; text: string }[] = [];
  const constants: Record<string, string> = {};

  for (const c of cols) {
    const spec = entity.columns[c];
    const src = mapping.columns[c];
    const q = ident(c);
    const t = ident(`_t_${c}`);
    const r = ident(`_r_${c}`);
    if (src.kind === 'missing') {
      inner.push(`CAST(NULL AS ${SQL_TYPES[spec.type]}) AS ${t}`, `CAST(NULL AS VARCHAR) AS ${r}`);
      constants[c] = `CAST(${spec.default !== undefined ? literal(spec.default) : 'NULL'} AS ${SQL_TYPES[spec.type]})`;
    } else {
      const { typed, text, canFail } = typedSql(spec, sourceSql(src), types[c] ?? 'VARCHAR', opts);
      inner.push(`${typed} AS ${t}`, `${text} AS ${r}`);
      if (canFail) reasons.push({ when: `${t} IS NULL AND ${r} IS NOT NULL`, text: `'invalid ${spec.type} in ${c}: "' || left(${r}, 80) || '"'` });
    }
    const value = spec.default !== undefined ? `coalesce(${t}, CAST(${literal(spec.default)} AS ${SQL_TYPES[spec.type]}))` : t;
    outer.push(`${value} AS ${q}`);
    if (spec.required) reasons.push({ when: `${value} IS NULL AND ${r} IS NULL`, text: `'missing ${c}'` });
    if (spec.allowed) {
      reasons.push({ when: `${value} IS NOT NULL AND ${value} NOT IN (${spec.allowed.map(literal).join(', ')})`, text: `'${c} "' || ${r} || '" is not one of ${spec.allowed.join(', ')}'` });
    }
    if (spec.pattern) {
      reasons.push({ when: `${value} IS NOT NULL AND NOT regexp_full_match(${value}, ${literal(spec.pattern.regex)})`, text: `'${c} "' || ${r} || '" is ' || ${literal(spec.pattern.message)}` });
    }
    if (spec.check) {
      const cond = spec.check.sql.replace(/\bv\b/g, value);
      reasons.push({ when: `${value} IS NOT NULL AND NOT (${cond})`, text: `${literal(`${spec.check.message} in ${c}: `)} || ${r}` });
    }
  }
  const keepExtra = mapping.extra.length > 0 && opts.keepExtra !== false;
  const extraSql = keepExtra ? `json_object(${mapping.extra.map((e) => `${literal(e)}, ${ident(e)}`).join(', ')})` : 'CAST(NULL AS JSON)';
  if (!keepExtra) constants.extra = extraSql;
  inner.push(`${extraSql} AS extra`);
  outer.push('extra');
  const rawJson = `json_object(${cols.map((c) => `${literal(c)}, ${ident(`_r_${c}`)}`).join(', ')})`;
  // A good row only evaluates the conditions; the list of reasons is built for the few bad ones.
  const reasonsSql = reasons.length === 0
    ? 'CAST(NULL AS VARCHAR[])'
    : `CASE WHEN ${reasons.map((x) => `(${x.when})`).join('\n      OR ')}
    THEN list_filter([${reasons.map((x) => `CASE WHEN ${x.when} THEN ${x.text} END`).join(',\n      ')}], x -> x IS NOT NULL) END`;

  const select = [
    ...[...cols, 'extra'].filter((c) => !(c in constants)).map(ident),
    `hash(${cols.map(ident).join(', ')}) AS _hash`,
    `CASE WHEN _reasons IS NOT NULL THEN json_object('reasons', _reasons, 'raw', json_merge_patch(${rawJson}, coalesce(extra, '{}'))) END AS _bad`,
  ];

  const sql = `
SELECT ${select.join(',\n  ')}
FROM (
  SELECT ${outer.join(',\n    ')},
    ${cols.map((c) => ident(`_r_${c}`)).join(', ')},
    ${reasonsSql} AS _reasons
  FROM (
    SELECT ${inner.join(',\n      ')}
    FROM ${reader} AS src
  ) AS typed
) AS checked`;
  return { sql, columns: cols, constants };
}
