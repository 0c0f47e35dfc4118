import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '../db/duckdb.ts';
import { parseTree, stringifyTree } from './ast-json.ts';
import { firstKeyword, guardQuery, inspect, type Verdict } from './guard.ts';

/** The guard on trees from DuckDB's own parser (an in-memory instance: parsing needs no data). */
let db: Database;
let conn: Connection;
const marts = new Set(['orders', 'customer_360', 'kpi_daily']);

beforeAll(async () => {
  db = await Database.open(':memory:');
  conn = await db.connect();
});
afterAll(() => {
  conn?.close();
  db?.close();
});

async function verdict(sql: string): Promise<Verdict> {
  let statementCount: number;
  try {
    statementCount = (await conn.raw.extractStatements(sql)).count;
  } catch {
    statementCount = 1; // a syntax error: json_serialize_sql says which
  }
  const serialized = parseTree(await conn.value<string>('SELECT json_serialize_sql($1::VARCHAR)', [sql]));
  return guardQuery({ sql, statementCount, serialized, marts });
}
const refused = async (sql: string) => {
  const v = await verdict(sql);
  if (v.ok) throw new Error(`accepted: ${sql}`);
  return v.message;
};
const tablesOf = async (sql: string) => {
  const v = await verdict(sql);
  if (!v.ok) throw new Error(`refused: ${sql}: ${v.message}`);
  return v.refs.map((r) => r.table);
};

describe('console guard: accepted queries and the marts they read', () => {
  it('names every mart a query reads, in joins, subqueries, CTE bodies, set operations and window clauses', async () => {
    expect(await tablesOf('SELECT * FROM orders')).toEqual(['orders']);
    expect(await tablesOf('FROM marts.orders o JOIN customer_360 c USING (customer_id)')).toEqual(['orders', 'customer_360']);
    expect(await tablesOf('SELECT (SELECT max(revenue) FROM kpi_daily), EXISTS (FROM orders) FROM customer_360')).toEqual(['kpi_daily', 'orders', 'customer_360']);
    expect(await tablesOf('WITH a AS (SELECT * FROM orders) SELECT * FROM a UNION ALL SELECT * FROM marts.orders')).toEqual(['orders', 'orders']);
    expect(await tablesOf('SELECT sum(x) OVER (ORDER BY (SELECT 1 FROM kpi_daily LIMIT 1)) FROM range(3) t(x)')).toEqual(['kpi_daily']);
    expect(await tablesOf("SELECT list_transform([1], lambda x: (SELECT count(*) FROM orders)) FROM generate_series(1, 2), unnest([1])")).toEqual(['orders']);
    expect(await tablesOf('DESCRIBE customer_360')).toEqual(['customer_360']);
  });

  it('treats a name as a CTE only where the CTE is in scope', async () => {
    expect(await tablesOf('WITH t AS (SELECT 1) SELECT * FROM t')).toEqual([]);
    expect(await tablesOf('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) SELECT * FROM t')).toEqual([]);
    // A CTE naming itself without RECURSIVE reads the table of that name (PostgreSQL rules): it must be checked as one.
    expect(await tablesOf('WITH customer_360 AS (SELECT * FROM customer_360) SELECT email FROM customer_360')).toEqual(['customer_360']);
    // A CTE defined inside a subquery is not in scope outside it.
    expect(await refused('SELECT * FROM (WITH "x.csv" AS (SELECT 1) SELECT * FROM "x.csv"), "x.csv"')).toMatch(/FROM 'x\.csv' would read a file/);
    // A later sibling is not in scope of an earlier CTE.
    expect(await refused('WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a')).toMatch(/no mart named b/);
  });
});

describe('console guard: refusals name what and why', () => {
  const cases: [string, RegExp][] = [
    ["SELECT * FROM read_csv('/etc/passwd')", /table function read_csv\(\) is refused/],
    ["SELECT * FROM orders, read_text('/etc/hosts')", /table function read_text\(\)/],
    ["FROM '/etc/passwd'", /FROM '\/etc\/passwd' would read a file/],
    ["SELECT * FROM 'data.parquet'", /would read a file/],
    ['SELECT * FROM raw.customers', /raw\.customers is outside the marts/],
    ['SELECT * FROM meta.loads', /meta\.loads is outside the marts/],
    ['SELECT * FROM information_schema.tables', /information_schema\.tables is outside the marts/],
    ['SELECT * FROM duckdb_settings()', /table function duckdb_settings\(\)/],
    ['SELECT * FROM duckdb_tables', /no mart named duckdb_tables/],
    ['SELECT * FROM small.marts.orders', /without a database name/],
    ['SELECT * FROM nope', /no mart named nope: the marts are customer_360, kpi_daily, orders/],
    ["SELECT getenv('HOME')", /function getenv\(\) is refused.*environment/],
    ["SELECT current_setting('memory_limit')", /current_setting\(\) is refused/],
    ["SELECT marts.lower('x')", /only built-in functions may be called/],
    ["SELECT nextval('s')", /nextval\(\) is refused/],
    ["SELECT * FROM query('SELECT 1')", /table function query\(\)/],
    ['SELECT * FROM orders AT (VERSION => 1)', /time travel/],
    ['SHOW TABLES', /SHOW is refused/],
    ['SELECT (SELECT count(*) FROM staging.stg_orders) FROM orders', /staging\.stg_orders is outside the marts/],
    ["SELECT x FROM orders WHERE x IN (FROM read_json('/tmp/x.json'))", /read_json\(\)/],
    ["SELECT sum(x) OVER (PARTITION BY getenv('A')) FROM range(2) t(x)", /getenv\(\)/],
    ["COPY (SELECT 1) TO '/tmp/x.csv'", /^COPY statements are refused.*files/],
    ["EXPORT DATABASE '/tmp/x'", /^EXPORT statements are refused/],
    ["ATTACH '/tmp/x.duckdb' AS x", /^ATTACH statements are refused/],
    ['DETACH x', /^DETACH statements are refused/],
    ['INSTALL httpfs', /^INSTALL statements are refused.*extensions/],
    ['LOAD httpfs', /^LOAD statements are refused/],
    ["SET memory_limit = '1GB'", /^SET statements are refused.*settings/],
    ['RESET memory_limit', /^RESET statements are refused/],
    ['PRAGMA show_tables', /^PRAGMA statements are refused/],
    ['CALL duckdb_settings()', /^CALL statements are refused/],
    ['DROP TABLE marts.orders', /^DROP statements are refused.*writes/],
    ['INSERT INTO marts.orders SELECT * FROM marts.orders', /^INSERT statements are refused/],
    ["UPDATE marts.orders SET channel = 'x'", /^UPDATE statements are refused/],
    ['DELETE FROM marts.orders', /^DELETE statements are refused/],
    ['CREATE TABLE t AS SELECT 1', /^CREATE statements are refused/],
    ['CHECKPOINT', /^CHECKPOINT statements are refused/],
    ['EXPLAIN ANALYZE SELECT 1', /^EXPLAIN statements are refused/],
    ['SELECT 1; DROP TABLE marts.orders', /several statements \(2\)/],
    ['SELECT 1 /* harmless */; -- really\nDROP TABLE marts.orders', /several statements \(2\)/],
    ['SELEC 1', /syntax error/],
  ];
  for (const [sql, message] of cases) {
    it(sql.replace(/\s+/g, ' '), async () => expect(await refused(sql)).toMatch(message));
  }

  it('the empty query', () => {
    expect(guardQuery({ sql: '', statementCount: 0, serialized: null, marts })).toEqual({ ok: false, message: 'the query is empty: send one SELECT' });
  });

  it('refuses a table reference kind it does not know, rather than skipping it', () => {
    const tree = { node: { type: 'SELECT_NODE', cte_map: { map: [] }, select_list: [], from_table: { type: 'SOMETHING_NEW', table_name: 'x' } } };
    const v = guardQuery({ sql: 'SELECT …', statementCount: 1, serialized: { error: false, statements: [tree] }, marts });
    expect(v).toEqual({ ok: false, message: 'a SOMETHING_NEW table reference is not available in the console' });
  });
});

describe('console guard: helpers', () => {
  it('firstKeyword skips comments and parentheses', () => {
    expect(firstKeyword('  -- x\n/* y */ (copy t TO x)')).toBe('COPY');
    expect(firstKeyword('')).toBe('');
  });

  it('inspect hands every non-CTE table reference to the resolver, which may refuse', async () => {
    const serialized = JSON.parse(await conn.value<string>('SELECT json_serialize_sql($1::VARCHAR)', ['WITH c AS (SELECT 1) SELECT * FROM c, a.b, d']));
    const seen: string[] = [];
    inspect(serialized.statements[0], (ref) => (seen.push(`${ref.schema_name}.${ref.table_name}`), ref.table_name));
    expect(seen).toEqual(['a.b', '.d']);
  });
});

describe('console trees: 64-bit integers survive the trip through JavaScript', () => {
  it('a BIGINT constant past 2^53 and the 2^64-1 query locations come back exact', async () => {
    const sql = 'SELECT 9007199254740993::BIGINT AS b, -9223372036854775807 AS m, 170141183460469231731687303715884105727::HUGEINT AS h';
    const text = await conn.value<string>('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    expect(text).toContain('18446744073709551615');
    const back = await conn.value<string>('SELECT json_deserialize_sql($1::JSON)', [stringifyTree(parseTree(text))]);
        expect(String((await conn.raw.runAndReadAll(back)).getRowsJS()[0][0])).toBe('9007199254740993');
  });

  it('strings that look like numbers or like the mark stay strings', () => {
    const tree = parseTree('{"s":"18446744073709551615","n":12345678901234567890,"f":0.1}') as Record<string, unknown>;
    expect(tree.s).toBe('18446744073709551615');
    expect(tree.f).toBe(0.1);
    expect(stringifyTree(tree)).toBe('{"s":"18446744073709551615","n":12345678901234567890,"f":0.1}');
  });
});
