import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type RawBuilder } from 'kysely';
import type { FilterExpr, FilterValue, SortKey } from './contract.ts';
import type { Measure, MetricCatalog, MetricView } from './definitions.ts';
import { formatPath, type DateRange, type Grain, type MetricsQuery } from './query.ts';

/**
 * Compiles one metric view's part of a MetricsQuery to SQL with bound parameters. Pure: no database.
 * Measure and dimension SQL comes from the YAML definitions (trusted); everything the user sends is
 * either checked against those definitions (names) or bound as a parameter (values).
 */
export const qb = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

export interface CompiledMetricsQuery {
  view: string;
  sql: string;
  parameters: readonly unknown[];
}

/** One top-level AND-ed condition of the query (a `filters` entry or a conjunct of `where`). */
export interface PlannedCondition {
  expr: FilterExpr;
  /** Where it came from in the request, for messages: `where.and[1]`, `filters.brand`. */
  path: string;
  dimensions: string[];
}

export interface ViewPart {
  view: MetricView;
  measures: Measure[];
  /** Conditions on this view that narrow every row (numerator and denominator of shares alike). */
  rowConditions: PlannedCondition[];
  /** Conditions naming the view's focus dimension: they choose whose figures (and whose share) to show. */
  focusConditions: PlannedCondition[];
  /** Dimensions of conditions that do not apply to this view because it lacks them (e.g. brand for sales). */
  unappliedFilters: string[];
}

export interface QueryPlan {
  parts: ViewPart[];
  dimensions: string[];
  /** The query's grain, else the default grain of the first measure's view; undefined: totals only. */
  grain: Grain | undefined;
  sort: SortKey[];
  limit: number;
}

export class MetricsQueryError extends Error {}

/**
 * Checks every name in the query against the catalog, splits the measures by the view that defines them,
 * and decides which conditions apply to which view.
 */
export function planQuery(catalog: MetricCatalog, q: MetricsQuery): QueryPlan {
  const parts = new Map<string, ViewPart>();
  for (const name of q.measures) {
    const m = catalog.measures.get(name);
    if (!m) throw new MetricsQueryError(`unknown measure "${name}"; known: ${[...catalog.measures.keys()].join(', ')}`);
    if (parts.get(m.view)?.measures.some((x) => x.name === name)) throw new MetricsQueryError(`measure "${name}" is asked for twice`);
    const view = catalog.views.find((v) => v.name === m.view)!;
    if (!parts.has(view.name)) parts.set(view.name, { view, measures: [], rowConditions: [], focusConditions: [], unappliedFilters: [] });
    parts.get(view.name)!.measures.push(m);
  }
  const dimensionOwners = new Map<string, MetricView[]>();
  for (const v of catalog.views) for (const d of Object.keys(v.dimensions)) dimensionOwners.set(d, [...(dimensionOwners.get(d) ?? []), v]);
  const known = () => catalog.views.filter((v) => Object.keys(v.dimensions).length > 0).map((v) => `${Object.keys(v.dimensions).join(', ')} (${v.name})`).join('; ');
  const unknownDimension = (d: string, where: string) =>
    new MetricsQueryError(`unknown dimension "${d}" in ${where}; dimensions: ${known()}`);

  for (const [i, d] of q.dimensions.entries()) {
    if (!dimensionOwners.has(d)) throw unknownDimension(d, `dimensions[${i}]`);
    if (q.dimensions.indexOf(d) !== i) throw new MetricsQueryError(`dimension "${d}" is asked for twice`);
    for (const p of parts.values()) {
      if (!p.view.dimensions[d]) {
        throw new MetricsQueryError(`dimension "${d}" does not apply to ${p.measures.map((m) => m.name).join(', ')} (view ${p.view.name}, dimensions: ${Object.keys(p.view.dimensions).join(', ') || 'none'})`);
      }
    }
  }

  // Conditions: each filters entry and each top-level conjunct of `where`, checked leaf by leaf.
  const conditions: PlannedCondition[] = [
    ...Object.entries(q.filters).map(([d, values]) => ({ expr: { dimension: d, op: 'in' as const, values }, path: `filters.${d}`, dimensions: [d] })),
    ...(q.where ? conjuncts(q.where, ['where']) : []).map(({ expr, path }) => ({ expr, path: formatPath(path), dimensions: [] as string[] })),
  ];
  for (const c of conditions) {
    const dims = new Set<string>();
    forEachCondition(c.expr, c.path, (leaf, path) => {
      const owners = dimensionOwners.get(leaf.dimension);
      if (!owners) throw unknownDimension(leaf.dimension, path);
      const type = owners[0].dimensions[leaf.dimension].type;
      const values = 'values' in leaf ? leaf.values : 'value' in leaf ? [leaf.value] : [];
      const wrong = values.find((v) => typeof v !== type);
      if (wrong !== undefined) throw new MetricsQueryError(`${path}: dimension "${leaf.dimension}" holds ${type} values, not ${JSON.stringify(wrong)}`);
      if ((leaf.op === 'like' || leaf.op === 'ilike') && type !== 'string') throw new MetricsQueryError(`${path}: ${leaf.op} needs a string dimension; "${leaf.dimension}" is ${type}`);
      dims.add(leaf.dimension);
    });
    c.dimensions = [...dims];
    if (!catalog.views.some((v) => c.dimensions.every((d) => v.dimensions[d]))) {
      throw new MetricsQueryError(
        `${c.path} combines dimensions of different metric views (${c.dimensions.map((d) => `${d}: ${dimensionOwners.get(d)!.map((v) => v.name).join('/')}`).join(', ')}); no view has them all, so it cannot filter anything — AND separate conditions instead`,
      );
    }
  }
  // A condition applies to the views that have all its dimensions (brand narrows social measures, not sales).
  for (const p of parts.values()) {
    const focus = p.view.focus?.dimension;
    for (const c of conditions) {
      if (!c.dimensions.every((d) => p.view.dimensions[d])) {
        for (const d of c.dimensions) if (!p.view.dimensions[d] && !p.unappliedFilters.includes(d)) p.unappliedFilters.push(d);
      } else if (focus && c.dimensions.includes(focus)) {
        p.focusConditions.push(c);
      } else {
        p.rowConditions.push(c);
      }
    }
    // Grouped by the focus, shares are computed per focus value first and focus conditions filter the rows after:
    // such a condition may only name grouped dimensions.
    if (focus && q.dimensions.includes(focus) && p.measures.some((m) => m.share_of)) {
      for (const c of p.focusConditions) {
        const loose = c.dimensions.filter((d) => !q.dimensions.includes(d));
        if (loose.length) {
          throw new MetricsQueryError(
            `${c.path} mixes ${focus} with ${loose.join(', ')}: with ${focus} as a dimension, a condition on ${focus} may only name dimensions of the query (${q.dimensions.join(', ')}) — AND a separate condition on ${loose.join(', ')} instead`,
          );
        }
      }
    }
  }

  const first = parts.values().next().value!;
  const grain = q.grain === 'none' ? undefined : (q.grain ?? first.view.default_grain);

  const fields = [...(grain ? ['period'] : []), ...q.dimensions, ...q.measures];
  for (const [i, s] of q.sort.entries()) {
    if (!fields.includes(s.field)) {
      const why = s.field === 'period' ? ' (period needs a grain)' : '';
      throw new MetricsQueryError(`sort[${i}].field "${s.field}" is not a field of the query${why}; sort by one of: ${fields.join(', ')}`);
    }
    if (q.sort.findIndex((x) => x.field === s.field) !== i) throw new MetricsQueryError(`sort[${i}].field "${s.field}" appears twice`);
  }
  return { parts: [...parts.values()], dimensions: q.dimensions, grain, sort: q.sort, limit: q.limit };
}

/** Flattens nested top-level ANDs: each conjunct can then apply to a view on its own. */
function conjuncts(e: FilterExpr, path: PropertyKey[]): { expr: FilterExpr; path: PropertyKey[] }[] {
  return 'and' in e ? e.and.flatMap((c, i) => conjuncts(c, [...path, 'and', i])) : [{ expr: e, path }];
}

export type Leaf = Extract<FilterExpr, { dimension: string }>;

export function forEachCondition(e: FilterExpr, path: string, fn: (leaf: Leaf, path: string) => void): void {
  if ('and' in e) e.and.forEach((c, i) => forEachCondition(c, `${path}.and[${i}]`, fn));
  else if ('or' in e) e.or.forEach((c, i) => forEachCondition(c, `${path}.or[${i}]`, fn));
  else if ('not' in e) forEachCondition(e.not, `${path}.not`, fn);
  else fn(e, path);
}

const COMPARE_SQL = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'like', ilike: 'ilike' } as const;

/**
 * A filter tree as SQL: operators are fixed text, dimensions come from `column`, values are parameters
 * (`value` may wrap each bound parameter, e.g. in a CAST to the column's type).
 */
export function conditionSql(
  e: FilterExpr,
  column: (dimension: string) => RawBuilder<unknown>,
  value: (dimension: string, v: FilterValue) => RawBuilder<unknown> = (_, v) => sql`${v}`,
): RawBuilder<boolean> {
  if ('and' in e) return sql<boolean>`(${sql.join(e.and.map((c) => conditionSql(c, column, value)), sql` and `)})`;
  if ('or' in e) return sql<boolean>`(${sql.join(e.or.map((c) => conditionSql(c, column, value)), sql` or `)})`;
  if ('not' in e) return sql<boolean>`not (${conditionSql(e.not, column, value)})`;
  const col = column(e.dimension);
  switch (e.op) {
    case 'in':
      return sql<boolean>`${col} in (${sql.join(e.values.map((v) => value(e.dimension, v)))})`;
    case 'not_in':
      return sql<boolean>`${col} not in (${sql.join(e.values.map((v) => value(e.dimension, v)))})`;
    case 'is_null':
      return sql<boolean>`${col} is null`;
    case 'not_null':
      return sql<boolean>`${col} is not null`;
    default:
      return sql<boolean>`${col} ${sql.raw(COMPARE_SQL[e.op])} ${value(e.dimension, e.value)}`;
  }
}

const dimSql = (v: MetricView, d: string): RawBuilder<unknown> => (v.dimensions[d].sql ? sql.raw(`(${v.dimensions[d].sql})`) : sql.ref(d));
const allOf = (preds: RawBuilder<boolean>[]): RawBuilder<boolean> => (preds.length === 1 ? preds[0] : sql<boolean>`(${sql.join(preds, sql` and `)})`);

export interface CompileOptions {
  /** Rows per period at this grain; undefined: totals. */
  grain: Grain | undefined;
  /** Wanted order; applied here (with the limit) only if this view has every sort field, else by the caller. */
  sort: SortKey[];
}

export function compileViewQuery(plan: QueryPlan, part: ViewPart, range: DateRange, opts: CompileOptions): CompiledMetricsQuery {
  const { view } = part;
  const { grain } = opts;
  const focus = view.focus?.dimension;
  const time = sql.ref(view.time_column);
  const keys: { alias: string; expr: RawBuilder<unknown> }[] = [];
  if (grain) keys.push({ alias: 'period', expr: sql`CAST(date_trunc(${sql.lit(grain)}, ${time}) AS DATE)` });
  for (const d of plan.dimensions) keys.push({ alias: d, expr: dimSql(view, d) });

  const column = (d: string) => dimSql(view, d);
  const rowPredicates = part.rowConditions.map((c) => conditionSql(c.expr, column));
  const focusInDims = !!focus && plan.dimensions.includes(focus);
  const focusPredicate: RawBuilder<boolean> | undefined = !focus
    ? undefined
    : part.focusConditions.length
      ? allOf(part.focusConditions.map((c) => conditionSql(c.expr, column)))
      : focusInDims
        ? undefined
        : sql.raw<boolean>(`(${view.focus!.default})`);

  const base = (applyFocus: boolean) => {
    let s = qb
      .selectFrom(sql.table(view.table).as('t'))
      .where(time, '>=', sql`CAST(${range.start} AS DATE)`)
      .where(time, '<=', sql`CAST(${range.end} AS DATE)`);
    for (const p of rowPredicates) s = s.where(p);
    if (applyFocus && focusPredicate) s = s.where(focusPredicate);
    return s;
  };
  const grouped = <T extends ReturnType<typeof base>>(s: T) => (keys.length ? s.groupBy(keys.map((k) => k.expr)) : s);
  const keySelect = keys.map((k) => k.expr.as(k.alias));
  const plain = part.measures.filter((m) => m.sql);
  const shares = part.measures.filter((m) => m.share_of);

  let query;
  if (shares.length === 0) {
    query = grouped(base(true).select([...keySelect, ...plain.map((m) => sql.raw(`(${m.sql})`).as(m.name))]));
  } else if (focusInDims) {
    // Each row is a focus value: its share is its aggregate over the aggregate of all rows of its period;
    // conditions on the focus choose rows after the shares are computed.
    const partition = keys.filter((k) => k.alias !== focus).map((k) => k.expr);
    const over = partition.length ? sql`OVER (PARTITION BY ${sql.join(partition)})` : sql`OVER ()`;
    const inner = grouped(
      base(false).select([
        ...keySelect,
        ...plain.map((m) => sql.raw(`(${m.sql})`).as(m.name)),
        ...shares.map((m) => sql`${sql.raw(m.share_of!)} / nullif(sum(${sql.raw(m.share_of!)}) ${over}, 0)`.as(m.name)),
      ]),
    );
    let outer = qb.selectFrom(inner.as('s')).selectAll();
    for (const c of part.focusConditions) outer = outer.where(conditionSql(c.expr, (d) => sql.ref(d)));
    query = outer;
  } else {
    // Shares: the focus's aggregate over everyone's, from the unfocused rows; plain measures from focused rows.
    const shareQ = grouped(
      base(false).select([
        ...keySelect,
        ...shares.map((m) => {
          const [, fn, col] = /^([a-z_]+)\(([a-z0-9_]+)\)$/.exec(m.share_of!)!;
          return sql`${sql.raw(fn)}(${sql.ref(col)}) FILTER (WHERE ${focusPredicate!}) / nullif(${sql.raw(m.share_of!)}, 0)`.as(m.name);
        }),
      ]),
    );
    if (plain.length === 0) {
      query = shareQ;
    } else {
      const plainQ = grouped(base(true).select([...keySelect, ...plain.map((m) => sql.raw(`(${m.sql})`).as(m.name))]));
      const cols = [
        ...keys.map((k) => sql`coalesce(p.${sql.ref(k.alias)}, s.${sql.ref(k.alias)})`.as(k.alias)),
        ...plain.map((m) => sql.ref(`p.${m.name}`).as(m.name)),
        ...shares.map((m) => sql.ref(`s.${m.name}`).as(m.name)),
      ];
      const on = keys.length ? sql.join(keys.map((k) => sql`p.${sql.ref(k.alias)} IS NOT DISTINCT FROM s.${sql.ref(k.alias)}`), sql` AND `) : sql`true`;
      query = qb
        .selectFrom(plainQ.as('p'))
        .fullJoin(shareQ.as('s'), (j) => j.on(on as RawBuilder<boolean>))
        .select(cols);
    }
  }

  // Order: the sort fields, then the keys. The limit goes into SQL only when this view has every sort
  // field; otherwise the top rows depend on another view's measures, and the caller sorts and cuts.
  const sort = effectiveSort(opts.sort, grain);
  const own = new Set([...keys.map((k) => k.alias), ...part.measures.map((m) => m.name)]);
  const pushDown = sort.every((s) => own.has(s.field));
  let ordered: any = query;
  if (pushDown) for (const s of sort) ordered = ordered.orderBy(sql`${sql.ref(s.field)} ${sql.raw(s.desc ? 'desc' : 'asc')} nulls last`);
  for (const k of keys) if (!pushDown || !sort.some((s) => s.field === k.alias)) ordered = ordered.orderBy(sql`${sql.ref(k.alias)} asc nulls last`);
  if (pushDown) ordered = ordered.limit(plan.limit);
  const compiled = ordered.compile();
  return { view: view.name, sql: compiled.sql, parameters: compiled.parameters };
}

/** Sorting by period means nothing for totals. */
export function effectiveSort(sort: SortKey[], grain: Grain | undefined): SortKey[] {
  return grain ? sort : sort.filter((s) => s.field !== 'period');
}
