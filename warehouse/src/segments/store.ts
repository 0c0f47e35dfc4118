import { sql, type RawBuilder } from 'kysely';
import type { Connection } from '../db/duckdb.ts';
import { qb } from '../metrics/compile.ts';
import { BUILTIN_SEGMENTS, builtinSegment } from './builtin.ts';
import type { Segment, SegmentDefinition } from './definition.ts';
import { columnKind, segmentPredicate, SegmentFilterError, type ColumnKind } from './filter.ts';

/** Segments in the warehouse: the built-in ones, those saved in meta.segments, and their members in marts.customer_360. */
export const SEGMENT_TABLE = 'marts.customer_360';
/** Saved segments a warehouse may hold (each is one more FILTER in the counting pass). */
export const MAX_SAVED_SEGMENTS = 500;

export type Columns = ReadonlyMap<string, ColumnKind>;

export const compiled = (b: RawBuilder<unknown>) => {
  const q = b.compile(qb);
  return { sql: q.sql, parameters: q.parameters as never[] };
};

/** The real columns of marts.customer_360 and their kinds (what a segment filter may name). */
export async function segmentColumns(c: Connection): Promise<Columns> {
  const rows = await c.all<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = 'customer_360' ORDER BY ordinal_position`,
  );
  if (!rows.length) throw new Error('Table marts.customer_360 does not exist');
  return new Map(rows.map((r) => [r.column_name, columnKind(r.data_type)]));
}

type SavedRow = {
  segment_id: number;
  name: string;
  description: string | null;
  definition: string;
  created_by: string;
  created_at: string;
};

const fromRow = (r: SavedRow): Segment => ({
  id: String(r.segment_id),
  kind: 'saved',
  name: r.name,
  ...(r.description ? { description: r.description } : {}),
  where: JSON.parse(r.definition).where,
  created_by: r.created_by,
  created_at: r.created_at,
});

export async function savedSegments(c: Connection): Promise<Segment[]> {
  const rows = await c.all<SavedRow>(`SELECT segment_id, name, description, CAST(definition AS VARCHAR) AS definition, created_by, created_at FROM meta.segments ORDER BY segment_id`);
  return rows.map(fromRow);
}

export async function findSegment(c: Connection, id: string): Promise<Segment | undefined> {
  const builtin = builtinSegment(id);
  if (builtin) return builtin;
  if (!/^\d{1,15}$/.test(id)) return undefined;
  const r = await c.one<SavedRow>(
    `SELECT segment_id, name, description, CAST(definition AS VARCHAR) AS definition, created_by, created_at FROM meta.segments WHERE segment_id = $1`,
    [Number(id)],
  );
  return r ? fromRow(r) : undefined;
}

export async function allSegments(c: Connection): Promise<Segment[]> {
  return [...BUILTIN_SEGMENTS, ...(await savedSegments(c))];
}

/** What is stored and hashed for a segment: its definition without ids or authorship. */
export const definitionOf = (s: Segment): SegmentDefinition => ({ name: s.name, ...(s.description ? { description: s.description } : {}), where: s.where });

export async function saveSegment(c: Connection, def: SegmentDefinition, by: { name: string; role: string }, columns: Columns): Promise<Segment> {
  segmentPredicate(def.where, columns, SEGMENT_TABLE); // refuses unknown columns and ill-typed values before storing
  const saved = Number(await c.value(`SELECT count(*) FROM meta.segments`));
  if (saved >= MAX_SAVED_SEGMENTS) throw new SegmentFilterError(`there are already ${saved} saved segments (at most ${MAX_SAVED_SEGMENTS}); delete some first`);
  const id = Number(await c.value(`SELECT nextval('meta.segment_seq')`));
  await c.run(`INSERT INTO meta.segments (segment_id, name, description, definition, created_by, created_role) VALUES ($1, $2, $3, $4, $5, $6)`, [
    id,
    def.name,
    def.description ?? null,
    JSON.stringify(def),
    by.name,
    by.role,
  ]);
  return (await findSegment(c, String(id)))!;
}

export async function deleteSegment(c: Connection, id: string): Promise<boolean> {
  if (!/^\d{1,15}$/.test(id)) return false;
  const n = await c.value(`SELECT count(*) FROM meta.segments WHERE segment_id = $1`, [Number(id)]);
  if (!Number(n)) return false;
  await c.run(`DELETE FROM meta.segments WHERE segment_id = $1`, [Number(id)]);
  return true;
}

/** Members and consented members of every segment, in one pass over the table; null for a segment that no longer fits the table. */
export async function segmentCounts(c: Connection, segments: readonly Segment[], columns: Columns): Promise<({ customers: number; consented: number } | null)[]> {
  const preds = segments.map((s) => {
    try {
      return segmentPredicate(s.where, columns, SEGMENT_TABLE);
    } catch (err) {
      if (err instanceof SegmentFilterError) return null;
      throw err;
    }
  });
  const cols = preds.flatMap((p, i) =>
    p ? [sql`count(*) FILTER (WHERE ${p}) AS ${sql.ref(`n${i}`)}`, sql`count(*) FILTER (WHERE ${p} AND marketing_consent IS TRUE) AS ${sql.ref(`c${i}`)}`] : [],
  );
  if (!cols.length) return preds.map(() => null);
  const q = compiled(sql`SELECT ${sql.join(cols)} FROM ${sql.table(SEGMENT_TABLE)}`);
  const row = (await c.one<Record<string, number>>(q.sql, q.parameters))!;
  return preds.map((p, i) => (p ? { customers: row[`n${i}`], consented: row[`c${i}`] } : null));
}

/** Size, consented size and value of one segment. */
export async function segmentSummary(c: Connection, s: Segment, columns: Columns) {
  const p = segmentPredicate(s.where, columns, SEGMENT_TABLE);
  const q = compiled(sql`SELECT count(*) AS customers, count(*) FILTER (WHERE marketing_consent IS TRUE) AS consented,
    coalesce(sum(revenue), 0) AS revenue, coalesce(sum(historical_clv), 0) AS historical_clv, avg(predicted_clv_12m) AS avg_predicted_clv_12m
    FROM ${sql.table(SEGMENT_TABLE)} WHERE ${p}`);
  return (await c.one<{ customers: number; consented: number; revenue: number; historical_clv: number; avg_predicted_clv_12m: number | null }>(q.sql, q.parameters))!;
}

/** The columns a member list shows (PII among them is masked by the API for non-admins). */
export const MEMBER_COLUMNS = [
  'customer_id', 'full_name', 'email', 'phone', 'city', 'country', 'marketing_consent', 'orders', 'revenue', 'last_order_date',
  'rfm_segment', 'frequency_segment', 'clv_tier', 'historical_clv', 'predicted_clv_12m', 'p_alive', 'advocacy_role',
] as const;

export async function segmentMembers(c: Connection, s: Segment, columns: Columns, page: { limit: number; offset: number }) {
  const p = segmentPredicate(s.where, columns, SEGMENT_TABLE);
  const total = compiled(sql`SELECT count(*) FROM ${sql.table(SEGMENT_TABLE)} WHERE ${p}`);
  const items = compiled(
    sql`SELECT ${sql.join(MEMBER_COLUMNS.map((m) => sql.ref(m)))} FROM ${sql.table(SEGMENT_TABLE)} WHERE ${p} ORDER BY customer_id LIMIT ${page.limit} OFFSET ${page.offset}`,
  );
  return { total: Number(await c.value(total.sql, total.parameters)), items: await c.all(items.sql, items.parameters) };
}

/** Which of `segments` a customer belongs to (segments that no longer fit the table are left out). */
export async function memberships(c: Connection, customerId: string, segments: readonly Segment[], columns: Columns): Promise<Segment[]> {
  const fits = segments.flatMap((s) => {
    try {
      return [{ s, p: segmentPredicate(s.where, columns, SEGMENT_TABLE) }];
    } catch (err) {
      if (err instanceof SegmentFilterError) return [];
      throw err;
    }
  });
  if (!fits.length) return [];
  const q = compiled(sql`SELECT ${sql.join(fits.map((f, i) => sql`coalesce(${f.p}, false) AS ${sql.ref(`m${i}`)}`))} FROM ${sql.table(SEGMENT_TABLE)} WHERE customer_id = ${customerId}`);
  const row = await c.one<Record<string, boolean>>(q.sql, q.parameters);
  return row ? fits.filter((_, i) => row[`m${i}`]).map((f) => f.s) : [];
}
