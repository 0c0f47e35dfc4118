import type { Connection } from '@scrm/warehouse';
import { parseTree, stringifyTree } from '@scrm/warehouse/console/ast-json';
import { guardQuery, inspect } from '@scrm/warehouse/console/guard';
import { seesPii, type Principal } from '../auth.ts';
import { PII_FIELDS } from '../pii.ts';
import { maskedView, retarget } from './mask.ts';

/** A console query refused before it ran (400), with the reason. */
export class ConsoleRefusal extends Error {}

/** What the server knows of PII beyond column names: the columns the model docs mark "(PII)", by mart. */
export type PiiDocs = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * From the analyst's text to the SQL the console runs: DuckDB's statement extraction (one statement),
 * its parse tree (json_serialize_sql), the guard's verdict, every table reference pointed at an explicit
 * target (the masked TEMP view for PII marts when the principal may not see PII), and back to SQL with
 * json_deserialize_sql. The SQL that comes back is parsed and walked again: it must name exactly the
 * targets the rewrite chose, or it does not run.
 */
export async function prepareConsoleSql(conn: Connection, sql: string, principal: Principal, piiDocs: PiiDocs): Promise<string> {
  const catalog = await conn.value<string>('SELECT current_database()');
  const columns = await conn.all<{ t: string; c: string }>(
    `SELECT lower(table_name) AS t, column_name AS c FROM information_schema.columns
     WHERE table_catalog = current_database() AND table_schema = 'marts' ORDER BY table_name, ordinal_position`,
  );
  const marts = new Set(columns.map((r) => r.t));

  const serialized = await serialize(conn, sql);
  const verdict = guardQuery({ sql, statementCount: await statementCount(conn, sql), serialized, marts });
  if (!verdict.ok) throw new ConsoleRefusal(verdict.message);

  const masked = new Map<string, string>();
  if (!seesPii(principal)) {
    for (const table of new Set(verdict.refs.map((r) => r.table))) {
      const pii = columns.filter((r) => r.t === table && (PII_FIELDS.has(r.c) || piiDocs.get(table)?.has(r.c))).map((r) => r.c);
      if (!pii.length) continue;
      const view = maskedView(catalog, table, pii);
      await conn.run(view.sql); // re-created per query: always over the current build's columns
      masked.set(table, view.name);
    }
  }
  retarget(verdict.refs, catalog, masked);
  const rewritten = await conn.value<string>('SELECT json_deserialize_sql($1::JSON)', [stringifyTree({ error: false, statements: [verdict.statement] })]);

  // The second pass: what will run must be one SELECT naming only the chosen targets.
  const again = (await serialize(conn, rewritten)) as { error?: boolean; statements?: unknown[] };
  const views = new Set(masked.values());
  const expected = (cat: string, schema: string, table: string) =>
    (cat === 'temp' && schema === 'main' && views.has(table)) || (cat === catalog && schema === 'marts' && marts.has(table.toLowerCase()) && !masked.has(table.toLowerCase()));
  try {
    if (again.error || again.statements?.length !== 1) throw new Error('not one SELECT');
    inspect(again.statements[0], (ref) => {
      if (!expected(ref.catalog_name, ref.schema_name, ref.table_name)) throw new Error(`${ref.catalog_name}.${ref.schema_name}.${ref.table_name}`);
      return ref.table_name;
    });
  } catch (err) {
    throw new ConsoleRefusal(`the console could not rewrite this query safely (${(err as Error).message}); simplify it or write it another way`);
  }
  return rewritten;
}

async function serialize(conn: Connection, sql: string): Promise<unknown> {
  return parseTree(await conn.value<string>('SELECT json_serialize_sql($1::VARCHAR)', [sql]));
}

async function statementCount(conn: Connection, sql: string): Promise<number> {
  // Only comments, blanks and semicolons: DuckDB's extraction fails on those, and there is nothing to run.
  if (!sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|[\s;]/g, '')) return 0;
  try {
    return (await conn.raw.extractStatements(sql)).count;
  } catch {
    return 1; // a syntax error: json_serialize_sql reports it with DuckDB's message
  }
}
