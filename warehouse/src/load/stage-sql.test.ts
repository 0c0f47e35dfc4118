import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../entities.ts';
import { ENTITIES } from '../entities.ts';
import { normalisedTextSql, numberTextSql, trimSql, typedSql } from './stage-sql.ts';

/** The generated SQL fragments, evaluated in an in-memory DuckDB. */
let inst: DuckDBInstance;
let conn: Awaited<ReturnType<DuckDBInstance['connect']>>;
beforeAll(async () => {
  inst = await DuckDBInstance.create(':memory:');
  conn = await inst.connect();
  await conn.run("SET TimeZone = 'UTC'");
});
afterAll(() => inst.closeSync());

async function evalOver(expr: (x: string) => string, values: (string | null)[]): Promise<unknown[]> {
  const rows = values.map((v) => `(${v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`})`).join(', ');
  const r = await conn.runAndReadAll(`SELECT CAST(${expr('x')} AS VARCHAR) AS v FROM (VALUES ${rows}) t(x)`);
  return r.getRowObjectsJS().map((o) => o.v);
}

describe('synonyms and case', () => {
  it('maps order channel synonyms after lower-casing; unknown values pass through for the allowed check', async () => {
    const sql = normalisedTextSql(ENTITIES.orders.columns.channel as ColumnSpec, 'x');
    expect(sql).toContain('MAP {');
    expect(await evalOver(() => sql, ['Online', 'E-Commerce', 'shop', 'In-Store', 'POS', 'web', 'Carrier', null])).toEqual(['web', 'web', 'store', 'store', 'store', 'web', 'carrier', null]);
  });
  it('maps order and ticket status synonyms and twitter → x', async () => {
    const s = normalisedTextSql(ENTITIES.orders.columns.status as ColumnSpec, 'x');
    expect(await evalOver(() => s, ['Complete', 'paid', 'SHIPPED', 'canceled', 'void', 'refunded', 'return'])).toEqual(['completed', 'completed', 'completed', 'cancelled', 'cancelled', 'returned', 'returned']);
    const n = normalisedTextSql(ENTITIES.mentions.columns.network as ColumnSpec, 'x');
    expect(await evalOver(() => n, ['Twitter', 'X', 'Instagram'])).toEqual(['x', 'x', 'instagram']);
  });
  it('upper-cases currency and leaves plain text alone', () => {
    expect(normalisedTextSql({ type: 'varchar', case: 'upper' }, 'x')).toBe('upper(x)');
    expect(normalisedTextSql({ type: 'varchar' }, 'x')).toBe('x');
  });
});

describe('trimming', () => {
  it('trimSql equals trim: spaces and Unicode spaces go, tabs, line ends and inner spaces stay', async () => {
    const values = ['a', ' a', 'a ', '  a b  ', '\u00a0a\u3000', '\ta\t', 'a\n', 'Málaga', ' Málaga', 'é ', '', ' ', null];
    expect(await evalOver(trimSql, values)).toEqual(await evalOver((x) => `trim(${x})`, values));
  });
  it('a number read from text is the same whether the cast reads it directly or from the trimmed text', async () => {
    const values = [' 12.5 ', '\u00a012.5', '\t7\t', '1,234.50', '12,5x', '', ' ', '-3', null];
    const dec = (sourceType: string) => (x: string) => typedSql({ type: 'decimal' }, x, sourceType, {}).typed;
    expect(await evalOver(dec('VARCHAR'), values)).toEqual(['12.5000', '12.5000', '7.0000', '1234.5000', null, null, null, '-3.0000', null]);
    // A source type other than VARCHAR gets no direct cast: only the trimmed text is cast (the earlier form)
    expect(await evalOver(dec('VARCHAR'), values)).toEqual(await evalOver(dec('"NULL"'), values));
  });
});

describe('numbers', () => {
  const dec = (d: '.' | ',') => (x: string) => {
    const n = numberTextSql(x, d);
    const slow = `TRY_CAST(${n.slow} AS DECIMAL(18,4))`;
    return n.fast === null ? slow : `coalesce(TRY_CAST(${n.fast} AS DECIMAL(18,4)), ${slow})`;
  };
  it('decimal point: thousands commas accepted, a lone comma invalid', async () => {
    expect(await evalOver(dec('.'), ['12.5', '1,234.50', '-1,000', '12,5', '12,5x'])).toEqual(['12.5000', '1234.5000', '-1000.0000', null, null]);
  });
  it('decimal comma: 12,5 and 1.234,50; a non-thousands point is invalid', async () => {
    expect(await evalOver(dec(','), ['12,5', '1.234,50', '1.000.000', '7', '1.5', 'x'])).toEqual(['12.5000', '1234.5000', '1000000.0000', '7.0000', null, null]);
  });
});

describe('timestamps', () => {
  const ts = (opts: { timezone?: string; timestampformat?: string }) => (x: string) => typedSql({ type: 'timestamp' }, x, 'VARCHAR', opts).typed;
  it('offsets and Z convert to UTC; naive values stay', async () => {
    expect(await evalOver(ts({}), ['2026-01-02T10:00:00+02:00', '2026-01-02 10:00:00Z', '2026-01-02 10:00', '2026-01-02'])).toEqual([
      '2026-01-02 08:00:00', '2026-01-02 10:00:00', '2026-01-02 10:00:00', '2026-01-02 00:00:00',
    ]);
  });
  it('naive values are read in the given time zone (DST aware)', async () => {
    expect(await evalOver(ts({ timezone: 'Europe/Madrid' }), ['2026-01-15 10:00', '2026-07-15 10:00', '2026-07-15T10:00:00-03:00'])).toEqual([
      '2026-01-15 09:00:00', '2026-07-15 08:00:00', '2026-07-15 13:00:00',
    ]);
  });
});
