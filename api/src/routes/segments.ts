import { Hono } from 'hono';
import { z } from 'zod';
import {
  allSegments,
  appendExportAudit,
  CONSENT_RULE,
  definitionOf,
  deleteSegment,
  EXPORT_COLUMNS,
  exportQuery,
  findSegment,
  parseSegmentDefinition,
  saveSegment,
  segmentColumns,
  segmentCounts,
  SegmentFilterError,
  segmentMembers,
  segmentSummary,
  type Segment,
} from '@scrm/warehouse/segments/index';
import type { Connection } from '@scrm/warehouse';
import { allow, ANY_ROLE, principalOf } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { HttpError, whenMartsMissing } from '../errors.ts';
import { deliver } from '../export/deliver.ts';
import { CONTENT_TYPES, encode, EXPORT_FORMATS } from '../export/formats.ts';
import { XLSX_MAX_ROWS } from '../export/xlsx.ts';
import { maskRow } from '../pii.ts';
import { parseQuery } from '../validate.ts';

/**
 * Segments of marts.customer_360: the built-in ones (RFM, purchase frequency, CLV tier, advocacy role) and those
 * marketing saves (a name and a filter tree, meta.segments). Everyone sees the definitions and counts; analysts,
 * marketing and admins the members (PII masked but for admins); marketing and admins save, delete and export.
 * An export holds only consented customers, with PII in clear, and is written to meta.export_audit.
 */
const Page = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const ExportQuery = z.object({ format: z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(', ')}` }) });

const describe = (s: Segment) => ({
  id: s.id,
  kind: s.kind,
  name: s.name,
  description: s.description ?? null,
  definition: definitionOf(s),
  ...(s.kind === 'saved' ? { created_by: s.created_by, created_at: s.created_at } : {}),
});

/** A segment whose columns the table no longer has (a saved one, after a model change) answers 409. */
const fitting = <T>(p: Promise<T>): Promise<T> =>
  p.catch((err) => {
    if (err instanceof SegmentFilterError) throw new HttpError(409, `the segment no longer fits marts.customer_360: ${err.message}`);
    return whenMartsMissing(err);
  });

async function found(conn: Connection, id: string): Promise<Segment> {
  const s = await findSegment(conn, id);
  if (!s) throw new HttpError(404, `no segment "${id}"; see GET /api/segments`);
  return s;
}

/**
 * The R×F map behind the RFM segments: one cell per recency and frequency score (1..5) that has buying customers,
 * with its segment, customers, consented customers and revenue — what the dashboard draws as a heat map.
 */
async function rfmGrid(conn: Connection) {
  const rows = await conn.all<{ r_score: number; f_score: number; rfm_segment: string; customers: number | bigint; consented: number | bigint; revenue: number | null }>(
    `SELECT r_score, f_score, any_value(rfm_segment) AS rfm_segment, count(*) AS customers,
            count(*) FILTER (WHERE marketing_consent IS TRUE) AS consented, coalesce(sum(revenue), 0) AS revenue
     FROM marts.customer_360 WHERE r_score IS NOT NULL AND f_score IS NOT NULL
     GROUP BY r_score, f_score ORDER BY r_score DESC, f_score DESC`,
  );
  return rows.map((r) => ({
    r_score: Number(r.r_score),
    f_score: Number(r.f_score),
    rfm_segment: r.rfm_segment,
    customers: Number(r.customers),
    consented: Number(r.consented),
    revenue: Number(r.revenue ?? 0),
  }));
}

export function segmentRoutes(ctx: AppContext) {
  return new Hono()
    .get('/segments', allow(ANY_ROLE, 'segments'), async (c) => {
      const out = await fitting(
        ctx.pool.use(async (conn) => {
          const segments = await allSegments(conn);
          const counts = await segmentCounts(conn, segments, await segmentColumns(conn));
          return {
            segments: segments.map((s, i) => ({ ...describe(s), customers: counts[i]?.customers ?? null, consented: counts[i]?.consented ?? null })),
            rfm_grid: await rfmGrid(conn),
          };
        }),
      );
      return c.json(out);
    })
    .post('/segments', allow(['marketing', 'admin'], 'saving segments'), async (c) => {
      const body = await c.req.json().catch(() => {
        throw new HttpError(400, 'the body must be JSON: {"name": "…", "where": {filter tree}}');
      });
      const parsed = parseSegmentDefinition(body);
      if (!parsed.success) throw new HttpError(400, parsed.message);
      const principal = principalOf(c);
      const saved = await ctx.pool
        .use(async (conn) => {
          const columns = await segmentColumns(conn);
          const s = await saveSegment(conn, parsed.data, principal, columns);
          return { ...describe(s), ...(await segmentSummary(conn, s, columns)) };
        })
        .catch((err) => {
          if (err instanceof SegmentFilterError) throw new HttpError(400, err.message);
          return whenMartsMissing(err);
        });
      return c.json(saved, 201);
    })
    .get('/segments/:id', allow(ANY_ROLE, 'segments'), async (c) => {
      const id = c.req.param('id');
      const out = await fitting(
        ctx.pool.use(async (conn) => {
          const s = await found(conn, id);
          return { ...describe(s), ...(await segmentSummary(conn, s, await segmentColumns(conn))) };
        }),
      );
      return c.json(out);
    })
    .delete('/segments/:id', allow(['marketing', 'admin'], 'deleting segments'), async (c) => {
      const id = c.req.param('id');
      const out = await ctx.pool.use(async (conn) => {
        const s = await found(conn, id);
        if (s.kind !== 'saved') throw new HttpError(400, `"${id}" is a built-in segment; only saved segments can be deleted`);
        await deleteSegment(conn, id);
        return describe(s);
      });
      return c.json({ deleted: out });
    })
    .get('/segments/:id/members', allow(['analyst', 'marketing', 'admin'], 'segment members'), async (c) => {
      const id = c.req.param('id');
      const page = parseQuery(Page, c.req.query());
      const principal = principalOf(c);
      const { total, items } = await fitting(
        ctx.pool.use(async (conn) => segmentMembers(conn, await found(conn, id), await segmentColumns(conn), page)),
      );
      return c.json({ segment: id, total, ...page, items: items.map((r) => maskRow(r, principal)) });
    })
    .get('/segments/:id/export', allow(['marketing', 'admin'], 'exporting segments'), async (c) => {
      const id = c.req.param('id');
      const { format } = parseQuery(ExportQuery, c.req.query());
      const principal = principalOf(c);
      const exportedAt = new Date().toISOString();
      // The connection stays with the export until its last byte (or the client leaving).
      const { conn, release } = await ctx.pool.lease();
      let segment: Segment, query: ReturnType<typeof exportQuery>, expected: number;
      try {
        segment = await found(conn, id);
        const columns = await segmentColumns(conn);
        query = await fitting(Promise.resolve().then(() => exportQuery(segment, columns)));
        expected = (await segmentSummary(conn, segment, columns)).consented;
      } catch (err) {
        release();
        return whenMartsMissing(err);
      }
      if (format === 'xlsx' && expected > XLSX_MAX_ROWS) {
        release();
        throw new HttpError(413, `${expected} customers do not fit one XLSX worksheet (at most ${XLSX_MAX_ROWS}); export csv, parquet or arrow`);
      }
      const encoded = encode(format, { conn, query, columns: EXPORT_COLUMNS });
      const body = deliver(encoded.bytes, async (d) => {
        release();
        await ctx.pool.use((audit) =>
          appendExportAudit(audit, {
            exported_at: exportedAt,
            principal_name: principal.name,
            principal_role: principal.role,
            segment_id: segment.id,
            segment_definition: JSON.stringify(definitionOf(segment)),
            format,
            status: d.status,
            rows: encoded.rows(),
            bytes: d.bytes,
            sha256: d.sha256,
          }),
        );
      });
      const stamp = exportedAt.slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
      return c.body(body, 200, {
        'content-type': CONTENT_TYPES[format],
        'content-disposition': `attachment; filename="segment-${segment.id}-${stamp}.${format}"`,
        // Exports hold personal data: never cached; never re-encoded, so the audited hash is of the bytes received.
        'cache-control': 'no-store, no-transform',
        'x-export-consent': `only customers with ${CONSENT_RULE}`,
        'x-export-rows': String(expected),
      });
    });
}
