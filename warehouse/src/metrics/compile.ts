import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type RawBuilder } from 'kysely';
import type { Measure, MetricCatalog, MetricView } from './definitions.ts';
import type { DateRange, Grain, MetricsQuery } from './query.ts';

/**
 * Compiles one metric view's part of a MetricsQuery to SQL with bound parameters. Pure: no database.
 * Measure and dimension SQL comes from the YAML definitions (trusted); everything the user sends is
 * either checked against those definitions or bound as a parameter.
 */
const qb = new Kysely<any>({
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

export interface ViewPart {
  view: MetricView;
  measures: Measure[];
}

export class MetricsQueryError extends Error {}

/** Splits the query's measures by the view that defines them, and checks dimensions and filters. */
export function planQuery(catalog: MetricCatalog, q: MetricsQuery): ViewPart[] {
  const parts = new Map<string, ViewPart>();
  for (const name of q.measures) {
    const m = catalog.measures.get(name);
    if (!m) throw new MetricsQueryError(`unknown measure "${name}"; known: ${[...catalog.measures.keys()].join(', ')}`);
    const view = catalog.views.find((v) => v.name === m.view)!;
    if (!parts.has(view.name)) parts.set(view.name, { view, measures: [] });
    parts.get(view.name)!.measures.push(m);
  }
  const allDims = new Set(catalog.views.flatMap((v) => Object.keys(v.dimensions)));
  for (const d of [...q.dimensions, ...Object.keys(q.filters)]) {
    if (!allDims.has(d)) throw new MetricsQueryError(`unknown dimension "${d}"; known: ${[...allDims].join(', ')}`);
  }
  for (const d of q.dimensions) {
    for (const p of parts.values()) {
      if (!p.view.dimensions[d]) {
        throw new MetricsQueryError(`dimension "${d}" does not apply to ${p.measures.map((m) => m.name).join(', ')} (view ${p.view.name})`);
      }
    }
  }
  return [...parts.values()];
}

const dimSql = (v: MetricView, d: string): RawBuilder<unknown> => (v.dimensions[d].sql ? sql.raw(`(${v.dimensions[d].sql})`) : sql.ref(d));

export function compileViewQuery(part: ViewPart, q: MetricsQuery, range: DateRange, grain: Grain | undefined): CompiledMetricsQuery {
  const { view } = part;
  const focus = view.focus?.dimension;
  const time = sql.ref(view.time_column);
  const keys: { alias: string; expr: RawBuilder<unknown> }[] = [];
  if (grain) keys.push({ alias: 'period', expr: sql`CAST(date_trunc(${sql.lit(grain)}, ${time}) AS DATE)` });
  for (const d of q.dimensions) keys.push({ alias: d, expr: dimSql(view, d) });

  // Filters on dimensions this view lacks do not apply to it (e.g. brand on sales measures).
  const filters = Object.entries(q.filters).filter(([d]) => view.dimensions[d]);
  const rowFilters = filters.filter(([d]) => d !== focus);
  const focusValues = filters.find(([d]) => d === focus)?.[1];
  const focusInDims = !!focus && q.dimensions.includes(focus);
  const focusPredicate: RawBuilder<unknown> | undefined = !focus
    ? undefined
    : focusValues
      ? sql`${dimSql(view, focus)} IN (${sql.join(focusValues)})`
      : focusInDims
        ? undefined
        : sql.raw(`(${view.focus!.default})`);

  const base = (applyFocus: boolean) => {
    let s = qb
      .selectFrom(sql.table(view.table).as('t'))
      .where(time, '>=', sql`CAST(${range.start} AS DATE)`)
      .where(time, '<=', sql`CAST(${range.end} AS DATE)`);
    for (const [d, values] of rowFilters) s = s.where(sql`${dimSql(view, d)} IN (${sql.join(values)})`, '=', sql`true`);
    if (applyFocus && focusPredicate) s = s.where(focusPredicate, '=', sql`true`);
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
    // Each row is a focus value: its share is its aggregate over the aggregate of all rows of its period.
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
    if (focusValues) outer = outer.where(sql.ref(focus!), 'in', focusValues);
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
      const on = keys.length ? sql.join(keys.map((k) => sql`p.${sql.ref(k.alias)} = s.${sql.ref(k.alias)}`), sql` AND `) : sql`true`;
      query = qb
        .selectFrom(plainQ.as('p'))
        .fullJoin(shareQ.as('s'), (j) => j.on(on as RawBuilder<boolean>))
        .select(cols);
    }
  }
  let ordered: any = query;
  for (const k of keys) ordered = ordered.orderBy(sql.ref(k.alias));
  const compiled = (ordered as any).limit(q.limit).compile();
  return { view: view.name, sql: compiled.sql, parameters: compiled.parameters };
}
