import { describe, expect, it } from 'vitest';
import { SQL_DIR } from '../paths.ts';
import { compileViewQuery, planQuery } from './compile.ts';
import { loadCatalog, parseCatalog } from './definitions.ts';
import { MetricsQuerySchema, previousPeriod, type MetricsQueryInput } from './query.ts';

const catalog = loadCatalog(SQL_DIR);
const compile = (input: MetricsQueryInput) => {
  const q = MetricsQuerySchema.parse(input);
  return planQuery(catalog, q).map((p) => compileViewQuery(p, q, q.timeRange, q.grain));
};
const range = { start: '2026-10-01', end: '2026-10-31' };

describe('metrics compiler', () => {
  it('compiles plain measures with a grain to one grouped query with bound dates', () => {
    const [c] = compile({ measures: ['revenue', 'orders'], timeRange: range, grain: 'week' });
    expect(c.sql).toMatchInlineSnapshot(`"select CAST(date_trunc('week', "order_date") AS DATE) as "period", (sum(net_revenue)) as "revenue", (count(*) FILTER (WHERE kind = 'sale')) as "orders" from "marts"."orders" as "t" where "order_date" >= CAST($1 AS DATE) and "order_date" <= CAST($2 AS DATE) group by CAST(date_trunc('week', "order_date") AS DATE) order by "period" limit $3"`);
    expect(c.parameters).toEqual(['2026-10-01', '2026-10-31', 5000]);
  });

  it('splits measures of different views into one query each, and ignores filters a view lacks', () => {
    const parts = compile({ measures: ['revenue', 'mentions'], timeRange: range, filters: { brand: ['Oliva'] } });
    expect(parts.map((p) => p.view)).toEqual(['sales', 'social']);
    expect(parts[0].sql).not.toContain('brand');
    expect(parts[1].sql).toContain('"brand" IN ($3)');
    expect(parts[1].parameters).toContain('Oliva');
  });

  it('focuses social measures on our brand by default, and shares divide by all brands', () => {
    const [c] = compile({ measures: ['mentions', 'share_of_voice'], timeRange: range });
    expect(c.sql).toMatchInlineSnapshot(`"select "p"."mentions" as "mentions", "s"."share_of_voice" as "share_of_voice" from (select (sum(mentions)) as "mentions" from "marts"."share_of_voice_daily" as "t" where "date" >= CAST($1 AS DATE) and "date" <= CAST($2 AS DATE) and (is_own) = true) as "p" full join (select sum("mentions") FILTER (WHERE (is_own)) / nullif(sum(mentions), 0) as "share_of_voice" from "marts"."share_of_voice_daily" as "t" where "date" >= CAST($3 AS DATE) and "date" <= CAST($4 AS DATE)) as "s" on true limit $5"`);
  });

  it('with the focus dimension, each row gets its share of the period total, and a focus filter applies after the shares', () => {
    const [c] = compile({ measures: ['share_of_voice'], dimensions: ['brand'], timeRange: range, filters: { brand: ['Faro'] }, grain: 'month' });
    expect(c.sql).toContain('sum(mentions) / nullif(sum(sum(mentions)) OVER (PARTITION BY CAST(date_trunc(\'month\', "date") AS DATE)), 0)');
    expect(c.sql).toMatch(/\) as "s" where "brand" in \(\$\d\)/);
  });

  it('rejects unknown measures and dimensions that do not apply to a measure', () => {
    expect(() => compile({ measures: ['profit'], timeRange: range })).toThrowError(/unknown measure "profit"/);
    expect(() => compile({ measures: ['revenue'], dimensions: ['brand'], timeRange: range })).toThrowError(/dimension "brand" does not apply to revenue/);
    expect(() => compile({ measures: ['revenue'], filters: { colour: ['red'] }, timeRange: range })).toThrowError(/unknown dimension "colour"/);
  });
});

describe('MetricsQuery contract', () => {
  it('validates dates and ranges', () => {
    expect(MetricsQuerySchema.safeParse({ measures: ['revenue'], timeRange: { start: '2026-02-30', end: '2026-03-01' } }).success).toBe(false);
    expect(MetricsQuerySchema.safeParse({ measures: ['revenue'], timeRange: { start: '2026-03-02', end: '2026-03-01' } }).success).toBe(false);
    expect(MetricsQuerySchema.safeParse({ measures: ["revenue'--"], timeRange: range }).success).toBe(false);
  });

  it('the previous period has the same length and ends the day before', () => {
    expect(previousPeriod({ start: '2026-10-01', end: '2026-10-31' })).toEqual({ start: '2026-08-31', end: '2026-09-30' });
    expect(previousPeriod({ start: '2026-03-01', end: '2026-03-01' })).toEqual({ start: '2026-02-28', end: '2026-02-28' });
  });
});

describe('metric definitions', () => {
  it('refuse a share measure in a view without focus, and duplicate measures', () => {
    const view = (name: string, measures: string) => ({ file: `${name}.yaml`, text: `name: ${name}\nlabel: X\ntable: marts.x\ntime_column: date\nmeasures:\n${measures}` });
    expect(() => parseCatalog([view('a', '  s: { label: S, description: d, share_of: sum(x) }\n')])).toThrowError(/share but the view has no focus/);
    expect(() => parseCatalog([view('a', '  m: { label: M, description: d, sql: sum(x) }\n'), view('b', '  m: { label: M, description: d, sql: sum(x) }\n')])).toThrowError(/defined twice/);
  });
});
