/**
 * What an analyst's SQL console query may touch, decided on DuckDB's own parse tree (the JSON of
 * `json_serialize_sql`), never on the text: one SELECT whose every table reference is a table of the
 * `marts` schema or a CTE in scope; table functions only from a small allowlist; no scalar function that
 * reads the environment, the settings, files or sequences. Pure: AST in, verdict out.
 *
 * The walk is generic (every object of the tree is visited), so a subquery hidden in a window frame, a
 * lambda or a PIVOT list is seen like any other. What it does not know it refuses.
 */

/** The parts of a BASE_TABLE node the console reads and rewrites. */
export interface BaseTableNode {
  type: 'BASE_TABLE';
  catalog_name: string;
  schema_name: string;
  table_name: string;
  alias: string;
  at_clause?: unknown;
  [k: string]: unknown;
}

/** A table reference that is not a CTE: the node in the tree (for rewriting) and the mart it names. */
export interface TableRef {
  node: BaseTableNode;
  /** The mart's name, lower case. */
  table: string;
}

export type Verdict = { ok: true; statement: unknown; refs: TableRef[] } | { ok: false; message: string };

/** Table functions a console query may call: they generate values and read nothing. */
export const TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest']);

const READS = 'reads files, the network or the server\'s state';
/** Scalar functions refused, with why: everything else DuckDB offers is computation on values. */
const REFUSED_FUNCTIONS: [RegExp, string][] = [
  [/^getenv$/, "reads the server's environment variables"],
  [/^(current_setting|getvariable)$/, "reads the server's settings and variables"],
  [/^(nextval|currval|setseed)$/, 'changes or reads sequence or session state'],
  [/^(write_log|sleep_ms|pg_sleep)$/, 'writes logs or holds a console slot doing nothing'],
  [/^(pg_get_viewdef|pg_get_constraintdef|get_block_size)$/, 'reads the catalog outside marts'],
  [/^(json_execute_serialized_sql|query|query_table|sql_auto_complete)$/, 'runs SQL the guard cannot see'],
  [/^(read_|write_|glob|sniff_|parquet_|duckdb_|pragma_|http|enable_|disable_|import_|export_|install|load|attach|detach|checkpoint|force_checkpoint|which_secret)/, READS],
];

/** Why a statement that is not a SELECT is refused, by its first keyword. */
const STATEMENT_REASONS: Record<string, string> = {
  COPY: 'it reads or writes files',
  EXPORT: 'it writes the database to files',
  IMPORT: 'it reads a database from files',
  ATTACH: 'it opens another database or file',
  DETACH: 'it detaches a database',
  INSTALL: 'it installs extensions',
  LOAD: 'it loads extensions',
  FORCE: 'it installs or loads extensions',
  UPDATE: 'it writes to the database',
  SET: 'it changes settings',
  RESET: 'it changes settings',
  PRAGMA: 'it runs a pragma (settings and catalog commands)',
  CALL: 'it calls a table function outside SELECT',
  DROP: 'it writes to the database',
  CREATE: 'it writes to the database',
  ALTER: 'it writes to the database',
  INSERT: 'it writes to the database',
  DELETE: 'it writes to the database',
  TRUNCATE: 'it writes to the database',
  MERGE: 'it writes to the database',
  CHECKPOINT: 'it checkpoints the database',
  VACUUM: 'it maintains the database',
  ANALYZE: 'it maintains the database',
  BEGIN: 'the console manages transactions itself',
  START: 'the console manages transactions itself',
  COMMIT: 'the console manages transactions itself',
  ROLLBACK: 'the console manages transactions itself',
  ABORT: 'the console manages transactions itself',
  END: 'the console manages transactions itself',
  USE: 'it changes the default schema',
  EXPLAIN: 'EXPLAIN (ANALYZE) runs or plans the query outside the console\'s checks',
  PREPARE: 'prepared statements are not available',
  EXECUTE: 'prepared statements are not available',
  DEALLOCATE: 'prepared statements are not available',
  PIVOT: 'the PIVOT statement runs several statements; write SELECT … FROM … PIVOT (… FOR … IN (…)) instead',
  UNPIVOT: 'write SELECT … FROM … UNPIVOT (…) instead',
};

const QUERY_NODES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE', 'CTE_NODE']);
const TABLE_REFS = new Set(['BASE_TABLE', 'JOIN', 'SUBQUERY', 'TABLE_FUNCTION', 'EMPTY', 'EMPTY_FROM', 'EXPRESSION_LIST', 'PIVOT', 'SHOW_REF', 'COLUMN_DATA', 'DELIM_GET', 'CTE', 'BOUND_TABLE_REF']);
const PLAIN_TABLE_REFS = new Set(['JOIN', 'SUBQUERY', 'EMPTY', 'EMPTY_FROM', 'EXPRESSION_LIST', 'PIVOT']);

class Refusal extends Error {}

/** The first keyword of a statement, past comments and parentheses (for the message only: the verdict is the parser's). */
export function firstKeyword(sql: string): string {
  const s = sql.replace(/^(\s|\(|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return (/^[A-Za-z_]+/.exec(s)?.[0] ?? '').toUpperCase();
}

/** Why a statement DuckDB would not serialise (not a SELECT) is refused. */
export function nonSelectMessage(sql: string): string {
  const kw = firstKeyword(sql);
  const why = STATEMENT_REASONS[kw];
  const what = kw ? `${kw} statements are refused` : 'this statement is refused';
  return `${what}: the SQL console runs one read-only SELECT over marts.*${why ? ` (${why})` : ''}`;
}

export interface GuardInput {
  /** The statement text as sent (for messages). */
  sql: string;
  /** How many statements DuckDB's statement extraction found in it. */
  statementCount: number;
  /** The parsed output of `json_serialize_sql(sql)`. */
  serialized: unknown;
  /** The tables of the marts schema, lower case. */
  marts: ReadonlySet<string>;
}

/** The verdict on one console query. */
export function guardQuery(input: GuardInput): Verdict {
  if (input.statementCount === 0) return { ok: false, message: 'the query is empty: send one SELECT' };
  if (input.statementCount > 1) {
    return { ok: false, message: `several statements (${input.statementCount}) are refused: send one SELECT at a time (a ';' ends a statement, even after a comment)` };
  }
  const s = input.serialized as { error?: boolean; error_type?: string; error_message?: string; statements?: unknown[] } | null;
  if (!s || typeof s !== 'object') return { ok: false, message: 'the query could not be parsed' };
  if (s.error) {
    if (s.error_type === 'not implemented' || /only SELECT/i.test(s.error_message ?? '')) return { ok: false, message: nonSelectMessage(input.sql) };
    return { ok: false, message: `syntax error: ${s.error_message ?? 'the query could not be parsed'}` };
  }
  if (!Array.isArray(s.statements) || s.statements.length !== 1) {
    return { ok: false, message: `several statements (${s.statements?.length ?? 0}) are refused: send one SELECT at a time` };
  }
  const statement = structuredClone(s.statements[0]);
  try {
    const refs = inspect(statement, (ref) => {
      const schema = ref.schema_name.toLowerCase();
      const table = ref.table_name.toLowerCase();
      if (ref.catalog_name) throw new Refusal(`${ref.catalog_name}.${ref.schema_name}.${ref.table_name}: name a mart as marts.<table> or <table>, without a database name`);
      if (schema !== '' && schema !== 'marts') {
        throw new Refusal(`${ref.schema_name}.${ref.table_name} is outside the marts: the console reads the marts schema only (marts.*); see GET /api/sql/schema`);
      }
      if (!input.marts.has(table)) {
        if (schema === '' && /[/\\.:]/.test(ref.table_name)) {
          throw new Refusal(`FROM '${ref.table_name}' would read a file or URL (a replacement scan): the console reads the marts only`);
        }
        throw new Refusal(`there is no mart named ${ref.table_name}${schema ? ` in ${ref.schema_name}` : ''}: the marts are ${[...input.marts].sort().join(', ')}`);
      }
      return table;
    });
    return { ok: true, statement, refs };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, message: err.message };
    throw err;
  }
}

/**
 * Walks a serialised statement, refusing what a console query may not contain, and returns its table
 * references that are not CTEs, each named by `resolve` (which refuses what it does not accept).
 * Exported for the second pass over the rewritten statement.
 */
export function inspect(statement: unknown, resolve: (ref: BaseTableNode) => string): TableRef[] {
  const refs: TableRef[] = [];
  const walk = (v: unknown, ctes: ReadonlySet<string>): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, ctes);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.class === 'string') {
      expression(o, ctes);
      return;
    }
    if (typeof o.type === 'string' && QUERY_NODES.has(o.type)) return queryNode(o, ctes);
    if (typeof o.type === 'string' && TABLE_REFS.has(o.type)) return tableRef(o, ctes);
    for (const x of Object.values(o)) walk(x, ctes);
  };

  // Where a table reference must stand, anything unknown is refused rather than walked past.
  const fromPosition = (v: unknown, ctes: ReadonlySet<string>) => {
    if (v === null || v === undefined) return;
    const o = v as Record<string, unknown>;
    if (typeof o !== 'object' || typeof o.type !== 'string' || !TABLE_REFS.has(o.type)) {
      throw new Refusal(`a ${typeof o === 'object' ? String(o.type) : typeof o} table reference is not available in the console`);
    }
    tableRef(o, ctes);
  };
  const TABLE_POSITIONS: Record<string, string[]> = { SELECT_NODE: ['from_table'], JOIN: ['left', 'right'], PIVOT: ['source'] };

  const expression = (o: Record<string, unknown>, ctes: ReadonlySet<string>) => {
    if (typeof o.function_name === 'string') checkFunction(o);
    for (const x of Object.values(o)) walk(x, ctes);
  };

  // CTE i sees the CTEs before it (a CTE naming itself outside WITH RECURSIVE means the table, as in
  // PostgreSQL, so it must not count as a CTE here); the query body sees them all.
  const queryNode = (o: Record<string, unknown>, outer: ReadonlySet<string>) => {
    const entries = ((o.cte_map as { map?: { key: string; value: unknown }[] } | undefined)?.map ?? []) as { key: string; value: unknown }[];
    let scope = new Set(outer);
    for (const e of entries) {
      walk(e.value, scope);
      scope = new Set(scope).add(String(e.key).toLowerCase());
    }
    if (o.type === 'RECURSIVE_CTE_NODE') {
      walk(o.left, scope);
      walk(o.right, new Set(scope).add(String(o.cte_name).toLowerCase()));
      for (const [k, x] of Object.entries(o)) if (k !== 'left' && k !== 'right' && k !== 'cte_map') walk(x, scope);
      return;
    }
    const positions = TABLE_POSITIONS[o.type as string] ?? [];
    for (const [k, x] of Object.entries(o)) {
      if (positions.includes(k)) fromPosition(x, scope);
      else if (k !== 'cte_map') walk(x, scope);
    }
  };

  const tableRef = (o: Record<string, unknown>, ctes: ReadonlySet<string>) => {
    const type = o.type as string;
    if (type === 'BASE_TABLE') {
      const node = o as BaseTableNode;
      if (node.at_clause) throw new Refusal(`${node.table_name} AT (…): time travel is not available in the console`);
      const name = String(node.table_name).toLowerCase();
      if (!node.schema_name && !node.catalog_name && ctes.has(name)) return;
      refs.push({ node, table: resolve(node) });
      for (const [k, x] of Object.entries(o)) if (k !== 'at_clause') walk(x, ctes);
      return;
    }
    if (type === 'TABLE_FUNCTION') {
      const fn = o.function as Record<string, unknown> | undefined;
      const name = String(fn?.function_name ?? '').toLowerCase();
      if (fn?.schema || fn?.catalog || !TABLE_FUNCTIONS.has(name)) {
        throw new Refusal(`the table function ${name || '?'}() is refused: the console allows only ${[...TABLE_FUNCTIONS].join(', ')} (${READS.replace('reads', 'others read')})`);
      }
      for (const [k, x] of Object.entries(o)) {
        if (k === 'function') walk(fn!.children, ctes);
        else walk(x, ctes);
      }
      return;
    }
    if (type === 'SHOW_REF') {
      if (!o.query) throw new Refusal('SHOW is refused in the console: the marts and their columns are at GET /api/sql/schema');
      for (const x of Object.values(o)) walk(x, ctes);
      return;
    }
    if (!PLAIN_TABLE_REFS.has(type)) throw new Refusal(`a ${type} table reference is not available in the console`);
    const positions = TABLE_POSITIONS[type] ?? [];
    for (const [k, x] of Object.entries(o)) {
      if (positions.includes(k)) fromPosition(x, ctes);
      else walk(x, ctes);
    }
  };

  walk(statement, new Set());
  return refs;
}

function checkFunction(o: Record<string, unknown>) {
  const name = String(o.function_name).toLowerCase();
  // The parser itself writes some built-ins as main.x (list literals are main.list_value); other schemas hold no built-ins.
  const schema = String(o.schema ?? '').toLowerCase();
  const catalog = String(o.catalog ?? '').toLowerCase();
  if (!['', 'main', 'pg_catalog'].includes(schema) || !['', 'system'].includes(catalog)) {
    throw new Refusal(`${[o.catalog, o.schema, o.function_name].filter(Boolean).join('.')}(): only built-in functions may be called`);
  }
  for (const [re, why] of REFUSED_FUNCTIONS) if (re.test(name)) throw new Refusal(`the function ${name}() is refused in the console: it ${why}`);
}
