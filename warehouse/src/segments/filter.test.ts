import { describe, expect, it } from 'vitest';
import { qb } from '../metrics/compile.ts';
import { BUILTIN_SEGMENTS } from './builtin.ts';
import { parseSegmentDefinition } from './definition.ts';
import { columnKind, segmentPredicate, SegmentFilterError, type ColumnKind } from './filter.ts';

const columns = new Map<string, ColumnKind>([
  ['city', columnKind('VARCHAR')],
  ['orders', columnKind('BIGINT')],
  ['revenue', columnKind('DECIMAL(18,2)')],
  ['marketing_consent', columnKind('BOOLEAN')],
  ['last_order_date', columnKind('DATE')],
  ['created_at', columnKind('TIMESTAMP')],
  ['interests', columnKind('VARCHAR[]')],
]);
const compile = (where: unknown) => segmentPredicate(where as never, columns, 'marts.customer_360').compile(qb);

describe('segment filters', () => {
  it('compile to SQL with every value bound, dates and timestamps cast to the column type', () => {
    const c = compile({
      and: [
        { dimension: 'city', op: 'in', values: ['Madrid', 'Porto'] },
        { not: { dimension: 'orders', op: 'lt', value: 2 } },
        { or: [{ dimension: 'last_order_date', op: 'gte', value: '2026-01-01' }, { dimension: 'created_at', op: 'lt', value: '2024-05-01T10:00:00' }] },
        { dimension: 'marketing_consent', op: 'eq', value: true },
      ],
    });
    expect(c.sql).toBe(
      '("city" in ($1, $2) and not ("orders" < $3) and ("last_order_date" >= CAST($4 AS DATE) or "created_at" < CAST($5 AS TIMESTAMP)) and "marketing_consent" = $6)',
    );
    expect(c.parameters).toEqual(['Madrid', 'Porto', 2, '2026-01-01', '2024-05-01T10:00:00', true]);
  });

  it('refuse unknown columns, list columns and values of the wrong type, naming the path', () => {
    const cases: [unknown, string][] = [
      [{ dimension: 'colour', op: 'eq', value: 'x' }, 'where: marts.customer_360 has no column "colour"; columns: city, orders, revenue, marketing_consent, last_order_date, created_at'],
      [{ and: [{ dimension: 'city', op: 'eq', value: 'x' }, { dimension: 'revenue', op: 'gt', value: '100' }] }, 'where.and[1]: column "revenue" holds numbers, not "100"'],
      [{ or: [{ dimension: 'marketing_consent', op: 'eq', value: 'yes' }] }, 'where.or[0]: column "marketing_consent" holds true / false, not "yes"'],
      [{ dimension: 'last_order_date', op: 'in', values: ['2026-01-01', '2026-02-31'] }, 'where: column "last_order_date" holds dates (YYYY-MM-DD), not "2026-02-31"'],
      [{ dimension: 'created_at', op: 'gt', value: 'yesterday' }, 'where: column "created_at" holds timestamps (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS), not "yesterday"'],
      [{ dimension: 'city', op: 'eq', value: 3 }, 'where: column "city" holds text, not 3'],
      [{ not: { dimension: 'revenue', op: 'ilike', value: '1%' } }, 'where.not: ilike needs a text column; "revenue" is number'],
      [{ dimension: 'interests', op: 'is_null' }, 'where: column "interests" is a list or another compound type and cannot be filtered'],
    ];
    for (const [where, message] of cases) expect(() => compile(where), JSON.stringify(where)).toThrow(new SegmentFilterError(message));
  });

  it('validate the definition with the MetricsQuery tree rules (shape, bounds, one message)', () => {
    expect(parseSegmentDefinition({ name: ' VIP ', where: { dimension: 'orders', op: 'gt', value: 10 } })).toEqual({ success: true, data: { name: 'VIP', where: { dimension: 'orders', op: 'gt', value: 10 } } });
    expect(parseSegmentDefinition({ name: 'x', where: { dimension: 'orders', op: '>', value: 1 } })).toEqual({ success: false, message: 'where.op: must be one of eq, neq, gt, gte, lt, lte, like, ilike, in, not_in, is_null, not_null' });
    expect(parseSegmentDefinition({ name: '', where: { dimension: 'orders', op: 'is_null' } })).toEqual({ success: false, message: 'name: a segment needs a name' });
    const wide = { or: Array.from({ length: 201 }, () => ({ dimension: 'orders', op: 'is_null' })) };
    expect(parseSegmentDefinition({ name: 'x', where: wide })).toEqual({ success: false, message: 'where: has more than 200 conditions and groups' });
    expect(parseSegmentDefinition({ name: 'x', where: { dimension: 'orders', op: 'is_null' }, sql: 'DROP' })).toMatchObject({ success: false, message: expect.stringMatching(/Unrecognized key: "sql"/) });
  });

  it('built-in segments have unique slug ids and one condition each', () => {
    const ids = BUILTIN_SEGMENTS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('rfm-cant-lose-them');
    expect(BUILTIN_SEGMENTS.find((s) => s.id === 'frequency-one-time')!.where).toEqual({ dimension: 'frequency_segment', op: 'eq', value: 'one_time' });
  });
});
