import { ident } from '@scrm/warehouse';
import type { TableRef } from '@scrm/warehouse/console/guard';

/**
 * PII in the SQL console. For a principal who may not see personal data, every reference to a mart with
 * PII columns is pointed at a TEMP view of that connection which masks those columns at the source — so
 * no alias, function or WHERE clause of the query ever sees a clear value. The masks are the SQL twins of
 * pii.ts's (`maskField`); mask.test.ts checks they agree value for value.
 */

/** The SQL expression masking column `col` (a quoted identifier) the way `maskField(name, …)` does; VARCHAR. */
export function maskExpression(name: string, col: string): string {
  const text = `CAST(${col} AS VARCHAR)`;
  if (name === 'email') {
    // maskEmail: first character, ***, and the domain from the last '@'; '***' without an '@' past the first character.
    return `CASE WHEN ${col} IS NULL THEN NULL WHEN NOT regexp_matches(${text}, '(?s).@') THEN '***' ELSE left(${text}, 1) || '***' || regexp_extract(${text}, '@[^@]*$') END`;
  }
  if (name === 'phone') {
    const digits = `regexp_replace(${text}, '[^0-9]', '', 'g')`;
    return `CASE WHEN ${col} IS NULL THEN NULL WHEN length(${digits}) >= 4 THEN '***' || right(${digits}, 2) ELSE '***' END`;
  }
  if (name === 'birth_date') {
    return `CASE WHEN ${col} IS NULL THEN NULL WHEN regexp_matches(${text}, '^[0-9]{4}') THEN left(${text}, 3) || '0s' ELSE '***' END`;
  }
  // maskName: the initial of every word.
  return `CASE WHEN ${col} IS NULL THEN NULL ELSE array_to_string(list_transform(list_filter(regexp_split_to_array(${text}, '\\s+'), lambda w: w <> ''), lambda w: left(w, 1) || '.'), ' ') END`;
}

/** The TEMP view (name and DDL) that shows `marts.<table>` with `piiColumns` masked. */
export function maskedView(catalog: string, table: string, piiColumns: string[]): { name: string; sql: string } {
  const name = `console_masked_${table}`;
  const replace = piiColumns.map((c) => `${maskExpression(c, ident(c))} AS ${ident(c)}`).join(', ');
  return { name, sql: `CREATE OR REPLACE TEMP VIEW ${ident(name)} AS SELECT * REPLACE (${replace}) FROM ${ident(catalog)}.marts.${ident(table)}` };
}

/**
 * Points every table reference at an explicit target: `<catalog>.marts.<table>`, or the masked TEMP view
 * for the tables in `masked`. The reference keeps its name as alias, so `customer_360.email` still binds.
 * Mutates the nodes (they belong to the guard's copy of the tree).
 */
export function retarget(refs: TableRef[], catalog: string, masked: ReadonlyMap<string, string>): void {
  for (const { node, table } of refs) {
    const view = masked.get(table);
    if (!node.alias) node.alias = node.table_name;
    if (view) {
      node.catalog_name = 'temp';
      node.schema_name = 'main';
      node.table_name = view;
    } else {
      node.catalog_name = catalog;
      node.schema_name = 'marts';
      node.table_name = table;
    }
  }
}
