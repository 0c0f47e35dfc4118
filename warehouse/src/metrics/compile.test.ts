import { describe, expect, it } from 'vitest';
import { SQL_DIR } from '../paths.ts';
import { compileViewQuery, planQuery } from './compile.ts';
import { describeCatalog, loadCatalog, parseCatalog } from './definitions.ts';
import { addYears, MetricsQuerySchema, parseMetricsQuery, previousPeriod, previousYear, type MetricsQueryInput } from './query.ts';

const catalog = loadCatalog(SQL_DIR);
const range = { start: '2026-10-01', end: '2026-10-31' };

/** The rows query of every view part (the totals query when the plan has no grain). */
const compile = (input: Omit<MetricsQueryInput, 'timeRange'> & { timeRange?: MetricsQueryInput['timeRange'] }) => {
  const q = MetricsQuerySchema.parse({ timeRange: range, ...input });
  const plan = planQuery(catalog, q);
  return plan.parts.map((p) => compileViewQuery(plan, p, q.timeRange, { grain: plan.grain, sort: plan.sort }));
};
/** SQL on a few lines (a new line before each clause) with its parameters, for readable snapshots. */
const shown = (c: { sql: string; parameters: readonly unknown[] }) => ({
  sql: c.sql.replace(/ (from|where|group by|order by|limit|full join) /g, '\n$1 '),
  parameters: c.parameters,
});
const planError = (input: Omit<MetricsQueryInput, 'timeRange'>) => {
  try {
    compile(input);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the query to be refused');
};
const parseError = (input: unknown) => {
  const r = parseMetricsQuery(input);
  if (r.success) throw new Error('expected the request to be refused');
  return r.message;
};

describe('metrics compiler: grains', () => {
  it('compiles plain measures with a grain to one grouped query with bound dates', () => {
    const [c] = compile({ measures: ['revenue', 'orders'], grain: 'week' });
    expect(shown(c)).toMatchInlineSnapshot(`
      {
        "parameters": [
          "2026-10-01",
          "2026-10-31",
          5000,
        ],
        "sql": "select CAST(date_trunc('week', "order_date") AS DATE) as "period", (sum(net_revenue)) as "revenue", (count(*) FILTER (WHERE kind = 'sale')) as "orders"
      from "marts"."orders" as "t"
      where "order_date" >= CAST($1 AS DATE) and "order_date" <= CAST($2 AS DATE)
      group by CAST(date_trunc('week', "order_date") AS DATE)
      order by "period" asc nulls last
      limit $3",
      }
    `);
  });

  it('uses the default grain of the first measure’s view when the query names none, and none for totals only', () => {
    const plan = (input: Omit<MetricsQueryInput, 'timeRange'>) => planQuery(catalog, MetricsQuerySchema.parse({ timeRange: range, ...input })).grain;
    expect(plan({ measures: ['revenue'] })).toBe('week');
    expect(plan({ measures: ['mentions', 'revenue'] })).toBe('day');
    expect(plan({ measures: ['revenue'], grain: 'month' })).toBe('month');
    expect(plan({ measures: ['revenue'], grain: 'none' })).toBeUndefined();
  });

  it('buckets by quarter and year', () => {
    expect(compile({ measures: ['revenue'], grain: 'quarter' })[0].sql).toContain(`CAST(date_trunc('quarter', "order_date") AS DATE) as "period"`);
    expect(compile({ measures: ['revenue'], grain: 'year' })[0].sql).toContain(`CAST(date_trunc('year', "order_date") AS DATE) as "period"`);
  });
});

describe('metrics compiler: filter trees', () => {
  it('compiles and / or / not and every operator with the values bound as parameters', () => {
    const [c] = compile({
      measures: ['revenue'],
      grain: 'none',
      where: {
        and: [
          { or: [{ dimension: 'channel', op: 'eq', value: 'web' }, { dimension: 'channel', op: 'in', values: ['app', 'store'] }] },
          { not: { dimension: 'country', op: 'like', value: 'E%' } },
          { dimension: 'country', op: 'not_null' },
          { or: [{ dimension: 'channel', op: 'neq', value: 'x' }, { dimension: 'channel', op: 'is_null' }] },
          { dimension: 'country', op: 'not_in', values: ['PT'] },
          { dimension: 'channel', op: 'gte', value: 'a' },
          { dimension: 'channel', op: 'ilike', value: '%E%' },
        ],
      },
    });
    expect(shown(c)).toMatchInlineSnapshot(`
      {
        "parameters": [
          "2026-10-01",
          "2026-10-31",
          "web",
          "app",
          "store",
          "E%",
          "x",
          "PT",
          "a",
          "%E%",
          5000,
        ],
        "sql": "select (sum(net_revenue)) as "revenue"
      from "marts"."orders" as "t"
      where "order_date" >= CAST($1 AS DATE) and "order_date" <= CAST($2 AS DATE) and ("channel" = $3 or "channel" in ($4, $5)) and not ("country" like $6) and "country" is not null and ("channel" <> $7 or "channel" is null) and "country" not in ($8) and "channel" >= $9 and "channel" ilike $10
      limit $11",
      }
    `);
  });

  it('never puts a value into the SQL text', () => {
    const evil = "web') OR 1=1; DROP TABLE marts.orders; --";
    const [c] = compile({ measures: ['revenue'], where: { dimension: 'channel', op: 'eq', value: evil }, filters: { country: [evil] } });
    expect(c.sql).not.toContain('DROP');
    expect(c.parameters.filter((p) => p === evil)).toHaveLength(2);
  });

  it('ANDs the filters shorthand with the tree', () => {
    const [c] = compile({ measures: ['orders'], grain: 'none', filters: { channel: ['web'] }, where: { dimension: 'country', op: 'eq', value: 'ES' } });
    expect(shown(c)).toMatchInlineSnapshot(`
      {
        "parameters": [
          "2026-10-01",
          "2026-10-31",
          "web",
          "ES",
          5000,
        ],
        "sql": "select (count(*) FILTER (WHERE kind = 'sale')) as "orders"
      from "marts"."orders" as "t"
      where "order_date" >= CAST($1 AS DATE) and "order_date" <= CAST($2 AS DATE) and "channel" in ($3) and "country" = $4
      limit $5",
      }
    `);
  });

  it('applies each top-level condition to the views that have its dimensions, and reports the others', () => {
    const q = MetricsQuerySchema.parse({
      measures: ['revenue', 'mentions'],
      timeRange: range,
      where: { and: [{ dimension: 'channel', op: 'eq', value: 'web' }, { dimension: 'network', op: 'in', values: ['x'] }] },
    });
    const plan = planQuery(catalog, q);
    const [sales, social] = plan.parts;
    expect(sales.rowConditions.map((c) => c.path)).toEqual(['where.and[0]']);
    expect(sales.unappliedFilters).toEqual(['network']);
    expect(social.rowConditions.map((c) => c.path)).toEqual(['where.and[1]']);
    expect(social.unappliedFilters).toEqual(['channel']);
  });
});

describe('metrics compiler: sort and limit', () => {
  it('sorts in SQL, then by the remaining keys, with nulls last and a bound limit', () => {
    const [c] = compile({ measures: ['revenue', 'orders'], dimensions: ['channel'], grain: 'month', sort: [{ field: 'revenue', desc: true }, { field: 'period' }], limit: 10 });
    expect(shown(c)).toMatchInlineSnapshot(`
      {
        "parameters": [
          "2026-10-01",
          "2026-10-31",
          10,
        ],
        "sql": "select CAST(date_trunc('month', "order_date") AS DATE) as "period", "channel" as "channel", (sum(net_revenue)) as "revenue", (count(*) FILTER (WHERE kind = 'sale')) as "orders"
      from "marts"."orders" as "t"
      where "order_date" >= CAST($1 AS DATE) and "order_date" <= CAST($2 AS DATE)
      group by CAST(date_trunc('month', "order_date") AS DATE), "channel"
      order by "revenue" desc nulls last, "period" asc nulls last, "channel" asc nulls last
      limit $3",
      }
    `);
  });

  it('leaves order and limit to the merge for a view that lacks a sort field', () => {
    const [sales, social] = compile({ measures: ['revenue', 'mentions'], grain: 'week', sort: [{ field: 'mentions', desc: true }], limit: 3 });
    expect(sales.sql).toMatch(/order by "period" asc nulls last$/);
    expect(sales.parameters).toEqual(['2026-10-01', '2026-10-31']);
    expect(social.sql).toMatch(/order by "mentions" desc nulls last, "period" asc nulls last limit \$\d+$/);
  });
});

describe('metrics compiler: share measures and the focus', () => {
  it('focuses social measures on our brand by default, and shares divide by all brands', () => {
    const [c] = compile({ measures: ['mentions', 'share_of_voice'], grain: 'none' });
    expect(shown(c)).toMatchInlineSnapshot(`
      {
        "parameters": [
          "2026-10-01",
          "2026-10-31",
          "2026-10-01",
          "2026-10-31",
          5000,
        ],
        "sql": "select "p"."mentions" as "mentions", "s"."share_of_voice" as "share_of_voice"
      from (select (sum(mentions)) as "mentions"
      from "marts"."share_of_voice_daily" as "t"
      where "date" >= CAST($1 AS DATE) and "date" <= CAST($2 AS DATE) and (is_own)) as "p"
      full join (select sum("mentions") FILTER (WHERE (is_own)) / nullif(sum(mentions), 0) as "share_of_voice"
      from "marts"."share_of_voice_daily" as "t"
      where "date" >= CAST($3 AS DATE) and "date" <= CAST($4 AS DATE)) as "s" on true
      limit $5",
      }
    `);
  });

  it('conditions on the focus choose whose share; other conditions narrow numerator and denominator alike', () => {
    const [c] = compile({
      measures: ['share_of_voice'],
      grain: 'week',
      where: { and: [{ dimension: 'brand', op: 'in', values: ['Oliva', 'Faro'] }, { not: { dimension: 'network', op: 'eq', value: 'x' } }] },
    });
    expect(shown(c)).toMatchInlineSnapshot(`
      {
        "parameters": [
          "Oliva",
          "Faro",
          "2026-10-01",
          "2026-10-31",
          "x",
          5000,
        ],
        "sql": "select CAST(date_trunc('week', "date") AS DATE) as "period", sum("mentions") FILTER (WHERE "brand" in ($1, $2)) / nullif(sum(mentions), 0) as "share_of_voice"
      from "marts"."share_of_voice_daily" as "t"
      where "date" >= CAST($3 AS DATE) and "date" <= CAST($4 AS DATE) and not ("network" = $5)
      group by CAST(date_trunc('week', "date") AS DATE)
      order by "period" asc nulls last
      limit $6",
      }
    `);
  });

  it('with the focus dimension, each row gets its share of the period total, and focus conditions apply after the shares', () => {
    const [c] = compile({ measures: ['share_of_voice', 'mentions'], dimensions: ['brand'], grain: 'month', where: { dimension: 'brand', op: 'neq', value: 'Marea' }, sort: [{ field: 'share_of_voice', desc: true }] });
    expect(shown(c)).toMatchInlineSnapshot(`
      {
        "parameters": [
          "2026-10-01",
          "2026-10-31",
          "Marea",
          5000,
        ],
        "sql": "select *
      from (select CAST(date_trunc('month', "date") AS DATE) as "period", "brand" as "brand", (sum(mentions)) as "mentions", sum(mentions) / nullif(sum(sum(mentions)) OVER (PARTITION BY CAST(date_trunc('month', "date") AS DATE)), 0) as "share_of_voice"
      from "marts"."share_of_voice_daily" as "t"
      where "date" >= CAST($1 AS DATE) and "date" <= CAST($2 AS DATE)
      group by CAST(date_trunc('month', "date") AS DATE), "brand") as "s"
      where "brand" <> $3
      order by "share_of_voice" desc nulls last, "period" asc nulls last, "brand" asc nulls last
      limit $4",
      }
    `);
  });

  it('joins plain and share measures by key, treating null keys as equal', () => {
    const [c] = compile({ measures: ['mentions', 'share_of_engagement'], dimensions: ['network'], grain: 'none' });
    expect(c.sql).toContain('on p."network" IS NOT DISTINCT FROM s."network"');
  });
});

describe('metrics compiler: refusals', () => {
  it('rejects unknown measures and dimensions that do not apply to a measure', () => {
    expect(planError({ measures: ['profit'] })).toMatch(/unknown measure "profit"/);
    expect(planError({ measures: ['revenue'], dimensions: ['brand'] })).toMatch(/dimension "brand" does not apply to revenue \(view sales, dimensions: channel, country\)/);
    expect(planError({ measures: ['revenue'], filters: { colour: ['red'] } })).toMatch(/unknown dimension "colour" in filters.colour/);
  });

  it('names the valid dimensions when a condition names an unknown one', () => {
    expect(planError({ measures: ['revenue'], where: { and: [{ dimension: 'channel', op: 'eq', value: 'web' }, { not: { dimension: 'colour', op: 'is_null' } }] } })).toBe(
      'unknown dimension "colour" in where.and[1].not; dimensions: channel (campaigns); channel, country (sales); channel (service); brand, network (social); channel, priority (tickets)',
    );
  });

  it('refuses a condition that mixes dimensions no single view has', () => {
    expect(planError({ measures: ['revenue', 'mentions'], where: { or: [{ dimension: 'brand', op: 'eq', value: 'Oliva' }, { dimension: 'channel', op: 'eq', value: 'web' }] } })).toMatch(
      /^where combines dimensions of different metric views \(brand: social, channel: campaigns\/sales\/service\/tickets\)/,
    );
  });

  it('refuses values of the wrong type for a dimension', () => {
    expect(planError({ measures: ['revenue'], where: { dimension: 'channel', op: 'in', values: ['web', 3] } })).toBe('where: dimension "channel" holds string values, not 3');
  });

  it('refuses, with the focus as a dimension, a focus condition that names an ungrouped dimension', () => {
    expect(planError({ measures: ['share_of_voice'], dimensions: ['brand'], where: { or: [{ dimension: 'brand', op: 'eq', value: 'Oliva' }, { dimension: 'network', op: 'eq', value: 'x' }] } })).toMatch(
      /^where mixes brand with network: with brand as a dimension/,
    );
  });

  it('refuses sort fields that are not fields of the query', () => {
    expect(planError({ measures: ['revenue'], sort: [{ field: 'orders' }] })).toBe('sort[0].field "orders" is not a field of the query; sort by one of: period, revenue');
    expect(planError({ measures: ['revenue'], grain: 'none', sort: [{ field: 'period' }] })).toBe('sort[0].field "period" is not a field of the query (period needs a grain); sort by one of: revenue');
    expect(planError({ measures: ['revenue'], sort: [{ field: 'revenue' }, { field: 'revenue', desc: true }] })).toMatch(/sort\[1\].field "revenue" appears twice/);
  });
});

describe('MetricsQuery contract', () => {
  it('validates dates and ranges', () => {
    expect(MetricsQuerySchema.safeParse({ measures: ['revenue'], timeRange: { start: '2026-02-30', end: '2026-03-01' } }).success).toBe(false);
    expect(MetricsQuerySchema.safeParse({ measures: ['revenue'], timeRange: { start: '2026-03-02', end: '2026-03-01' } }).success).toBe(false);
    expect(MetricsQuerySchema.safeParse({ measures: ["revenue'--"], timeRange: range }).success).toBe(false);
  });

  it('explains a malformed filter tree by the branch the input meant', () => {
    const q = (where: unknown) => ({ measures: ['revenue'], timeRange: range, where });
    expect(parseError(q({ and: [{ dimension: 'channel', op: 'between', value: 'a' }] }))).toBe(
      'where.and[0].op: must be one of eq, neq, gt, gte, lt, lte, like, ilike, in, not_in, is_null, not_null',
    );
    expect(parseError(q({ or: [{ dimension: 'channel', op: 'in', value: 'web' }] }))).toBe(
      'where.or[0].values: Invalid input: expected array, received undefined; where.or[0]: Unrecognized key: "value"',
    );
    expect(parseError(q({ not: { dimension: 'channel', op: 'eq', value: { $gt: 1 } } }))).toBe('where.not.value: must be a string, a number or a boolean');
    expect(parseError(q({ and: [] }))).toBe('where.and: Too small: expected array to have >=1 items');
    expect(parseError(q({ any: [] }))).toMatch(/^where: a condition is \{"and": \[...\]\}, \{"or": \[...\]\}, \{"not": \{...\}\} or \{"dimension", "op", "value" or "values"\}$/);
    expect(parseError(q('channel = web'))).toMatch(/^where: a condition is/);
  });

  it('bounds the depth and size of a filter tree, without recursing into it', () => {
    let deep: unknown = { dimension: 'channel', op: 'eq', value: 'web' };
    for (let i = 0; i < 100_000; i++) deep = { not: deep };
    expect(parseError({ measures: ['revenue'], timeRange: range, where: deep })).toBe('where: nests and / or / not more than 8 levels deep');
    const wide = { or: Array.from({ length: 300 }, () => ({ dimension: 'channel', op: 'eq', value: 'web' })) };
    expect(parseError({ measures: ['revenue'], timeRange: range, where: wide })).toBe('where: has more than 200 conditions and groups');
    const many = { or: Array.from({ length: 5 }, () => ({ dimension: 'channel', op: 'in', values: Array.from({ length: 500 }, (_, i) => `c${i}`) })) };
    expect(parseError({ measures: ['revenue'], timeRange: range, where: many })).toBe('where: has 2500 values; at most 2000');
  });

  it('accepts the old shape unchanged', () => {
    const r = parseMetricsQuery({ measures: ['revenue'], timeRange: range, filters: { brand: ['Oliva'] }, comparison: 'none' });
    expect(r.success && r.data).toMatchObject({ dimensions: [], sort: [], limit: 5000, comparison: 'none', filters: { brand: ['Oliva'] } });
  });

  it('the previous period has the same length and ends the day before', () => {
    expect(previousPeriod({ start: '2026-10-01', end: '2026-10-31' })).toEqual({ start: '2026-08-31', end: '2026-09-30' });
    expect(previousPeriod({ start: '2026-03-01', end: '2026-03-01' })).toEqual({ start: '2026-02-28', end: '2026-02-28' });
  });

  it('the previous year is the same dates a year earlier, 29 February becoming the 28th', () => {
    expect(previousYear({ start: '2026-10-01', end: '2026-10-31' })).toEqual({ start: '2025-10-01', end: '2025-10-31' });
    expect(previousYear({ start: '2024-02-01', end: '2024-02-29' })).toEqual({ start: '2023-02-01', end: '2023-02-28' });
    expect(addYears('2025-03-01', -1)).toBe('2024-03-01');
  });
});

describe('metric definitions', () => {
  const view = (name: string, body: string) => ({ file: `${name}.yaml`, text: `name: ${name}\nlabel: X\ntable: marts.x\ntime_column: date\n${body}` });
  it('refuse a share measure in a view without focus, and duplicate measures', () => {
    expect(() => parseCatalog([view('a', 'measures:\n  s: { label: S, description: d, share_of: sum(x) }\n')])).toThrowError(/share but the view has no focus/);
    expect(() => parseCatalog([view('a', 'measures:\n  m: { label: M, description: d, sql: sum(x) }\n'), view('b', 'measures:\n  m: { label: M, description: d, sql: sum(x) }\n')])).toThrowError(/defined twice/);
  });

  it('take a default grain, and refuse an unknown one', () => {
    expect(parseCatalog([view('a', 'default_grain: month\nmeasures:\n  m: { label: M, description: d, sql: sum(x) }\n')]).views[0].default_grain).toBe('month');
    expect(() => parseCatalog([view('a', 'default_grain: hour\nmeasures:\n  m: { label: M, description: d, sql: sum(x) }\n')])).toThrowError(/default_grain/);
  });

  it('refuse a dimension name with different types in different views', () => {
    const a = view('a', 'dimensions:\n  d: { label: D }\nmeasures:\n  m: { label: M, description: d, sql: sum(x) }\n');
    const b = view('b', 'dimensions:\n  d: { label: D, type: number }\nmeasures:\n  n: { label: N, description: d, sql: sum(x) }\n');
    expect(() => parseCatalog([a, b])).toThrowError(/dimension d is number here but string in view a/);
  });

  it('describe every view with its dimensions, measures and default grain, without SQL', () => {
    const info = describeCatalog(catalog);
    expect(info.views.map((v) => [v.name, v.defaultGrain, v.focus?.dimension ?? null])).toEqual([
      ['awareness', 'day', null],
      ['campaigns', 'month', null],
      ['sales', 'week', null],
      ['service', 'day', null],
      ['social', 'day', 'brand'],
      ['tickets', 'day', null],
    ]);
    expect(info.views.find((v) => v.name === 'social')!.measures.find((m) => m.name === 'share_of_voice')).toMatchObject({ label: 'Share of voice', format: 'percent', kind: 'share' });
    expect(JSON.stringify(info)).not.toMatch(/sum\(|is_own/);
  });
});
