import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '@scrm/warehouse';
import { entryHash } from '@scrm/warehouse/segments/audit';
import { copySmallDb, startScrmServer, type Role } from '../setup/server.ts';

/**
 * Segments and their exports through a real `scrm serve` over the small demo: counts and members as SQL has
 * them, exports in every format holding exactly the consented members, and the audit log (read after the
 * server stops, since it holds the file while it runs).
 */
let server: Awaited<ReturnType<typeof startScrmServer>>;
let dbPath: string;
const scratch = mkdtempSync(join(tmpdir(), 'scrm-export-test-'));

// A saved segment: a tree over customer_360 columns of several types (text, number, date).
const SAVED = {
  name: 'Spanish repeat buyers of 2026',
  description: 'ES, ≥ 2 orders, bought this year',
  where: { and: [{ dimension: 'country', op: 'eq', value: 'ES' }, { dimension: 'orders', op: 'gte', value: 2 }, { dimension: 'last_order_date', op: 'gte', value: '2026-01-01' }] },
};
const SAVED_SQL = `country = 'ES' AND orders >= 2 AND last_order_date >= DATE '2026-01-01'`;

type Ids = { all: string[]; consented: string[]; unconsented: string[] };
let sql: {
  gold: Ids & { revenue: number };
  saved: Ids;
  builtinCounts: Map<string, [number, number]>;
  rfmGrid: { r_score: number; f_score: number; rfm_segment: string; customers: number; consented: number; revenue: number }[];
};

const idsWhere = async (db: Database, where: string): Promise<Ids> =>
  db.with(async (c) => {
    const rows = await c.all<{ customer_id: string; marketing_consent: boolean | null }>(`SELECT customer_id, marketing_consent FROM marts.customer_360 WHERE ${where} ORDER BY customer_id`);
    return {
      all: rows.map((r) => r.customer_id),
      consented: rows.filter((r) => r.marketing_consent === true).map((r) => r.customer_id),
      unconsented: rows.filter((r) => r.marketing_consent !== true).map((r) => r.customer_id),
    };
  });

beforeAll(async () => {
  dbPath = copySmallDb();
  const db = await Database.open(dbPath, { readOnly: true });
  const gold = await idsWhere(db, `clv_tier = 'gold'`);
  const counts = await db.with((c) =>
    c.all<{ col: string; v: string; n: number; consented: number }>(
      `SELECT 'rfm' AS col, rfm_segment AS v, count(*) AS n, count(*) FILTER (WHERE marketing_consent) AS consented FROM marts.customer_360 WHERE rfm_segment IS NOT NULL GROUP BY ALL
       UNION ALL SELECT 'frequency', frequency_segment, count(*), count(*) FILTER (WHERE marketing_consent) FROM marts.customer_360 GROUP BY ALL
       UNION ALL SELECT 'tier', clv_tier, count(*), count(*) FILTER (WHERE marketing_consent) FROM marts.customer_360 WHERE clv_tier IS NOT NULL GROUP BY ALL`,
    ),
  );
  const slug = (s: string) => s.toLowerCase().replace(/'/g, '').replace(/[^a-z0-9]+/g, '-');
  sql = {
    gold: { ...gold, revenue: Number(await db.with((c) => c.value(`SELECT sum(revenue) FROM marts.customer_360 WHERE clv_tier = 'gold'`))) },
    saved: await idsWhere(db, SAVED_SQL),
    builtinCounts: new Map(counts.map((r) => [`${r.col}-${slug(r.v)}`, [r.n, r.consented]])),
    rfmGrid: await db.with((c) =>
      c.all(
        `SELECT s.r_score, s.f_score, min(s.rfm_segment) AS rfm_segment, count(*) AS customers,
                count(*) FILTER (WHERE c.marketing_consent) AS consented, sum(c.revenue) AS revenue
         FROM marts.customer_segments s JOIN marts.customer_360 c USING (customer_id)
         WHERE s.r_score IS NOT NULL GROUP BY s.r_score, s.f_score ORDER BY s.r_score DESC, s.f_score DESC`,
      ),
    ),
  };
  db.close();
  expect(sql.gold.unconsented.length).toBeGreaterThan(0);
  expect(sql.saved.unconsented.length).toBeGreaterThan(0);
  server = await startScrmServer(dbPath);
});
afterAll(async () => {
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const get = async (path: string, role: Role | null = 'admin') => {
  const res = await server.fetch(path, {}, role);
  return { status: res.status, body: (await res.json()) as any };
};
const download = async (path: string, role: Role = 'marketing') => {
  const res = await server.fetch(path, {}, role);
  expect(res.status, path).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { res, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
};

/** The customer ids a file holds, read back with an independent reader per format. */
async function idsIn(format: string, bytes: Buffer): Promise<string[]> {
  if (format === 'csv') {
    const lines = bytes.toString('utf8').split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0].split(',').slice(0, 4)).toEqual(['customer_id', 'first_name', 'last_name', 'email']);
    return lines.slice(1).map((l) => l.split(',')[0]);
  }
  if (format === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('customer_id');
    const ids: string[] = [];
    ws.eachRow((row, n) => n > 1 && ids.push(String(row.getCell(1).value)));
    return ids;
  }
  if (format === 'arrow') {
    const table = tableFromIPC(bytes);
    expect(table.schema.fields.map((f) => f.name)).toContain('email');
    return table.getChild('customer_id')!.toArray() as string[];
  }
  const file = join(scratch, `read-${Date.now()}.parquet`);
  writeFileSync(file, bytes);
  const db = await Database.open(':memory:');
  try {
    return (await db.with((c) => c.all<{ customer_id: string }>(`SELECT customer_id FROM read_parquet('${file}')`))).map((r) => r.customer_id);
  } finally {
    db.close();
  }
}

/** Every download, for the audit check at the end. */
const downloads: { segment: string; format: string; rows: number; sha256: string; definition: object }[] = [];

describe('segment definitions and members', () => {
  it('GET /api/segments lists the built-in segments with the counts SQL gives, for every role', async () => {
    const { status, body } = await get('api/segments', 'executive');
    expect(status).toBe(200);
    const byId = new Map(body.segments.map((s: any) => [s.id, s]));
    for (const [id, [n, consented]] of sql.builtinCounts) {
      expect(byId.get(id), id).toMatchObject({ customers: n, consented });
    }
    expect(body.segments.filter((s: any) => s.kind === 'rfm')).toHaveLength(10);
    expect(body.segments.find((s: any) => s.id === 'tier-gold').definition.where).toEqual({ dimension: 'clv_tier', op: 'eq', value: 'gold' });
  });

  it('GET /api/segments gives the R×F grid of the RFM segments: customers, consented and revenue per cell, as SQL has them', async () => {
    const { status, body } = await get('api/segments', 'executive');
    expect(status).toBe(200);
    expect(sql.rfmGrid.length).toBeGreaterThan(10);
    expect(body.rfm_grid.map((c: any) => [c.r_score, c.f_score, c.rfm_segment, c.customers, c.consented])).toEqual(
      sql.rfmGrid.map((c) => [c.r_score, c.f_score, c.rfm_segment, Number(c.customers), Number(c.consented)]),
    );
    body.rfm_grid.forEach((c: any, i: number) => expect(c.revenue, `R${c.r_score}F${c.f_score}`).toBeCloseTo(Number(sql.rfmGrid[i].revenue), 2));
    // The cells add up to the RFM segments: every buyer is in exactly one cell, and each segment is the sum of its cells.
    for (const s of body.segments.filter((x: any) => x.kind === 'rfm')) {
      const cells = body.rfm_grid.filter((c: any) => `RFM: ${c.rfm_segment}` === s.name);
      expect(cells.reduce((n: number, c: any) => n + c.customers, 0), s.id).toBe(s.customers);
    }
  });

  it('GET /api/segments/{id}: count, consented count and revenue', async () => {
    const { status, body } = await get('api/segments/tier-gold', 'executive');
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'tier-gold', kind: 'clv_tier', customers: sql.gold.all.length, consented: sql.gold.consented.length });
    expect(body.revenue).toBeCloseTo(sql.gold.revenue, 2);
    const missing = await get('api/segments/tier-wood', 'executive');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('no segment "tier-wood"; see GET /api/segments');
  });

  it('GET /api/segments/{id}/members pages through the members, PII masked but for admins', async () => {
    const a = await get('api/segments/tier-gold/members?limit=10', 'analyst');
    const b = await get('api/segments/tier-gold/members?limit=10&offset=10', 'analyst');
    expect(a.status).toBe(200);
    expect(a.body.total).toBe(sql.gold.all.length);
    expect([...a.body.items, ...b.body.items].map((r: any) => r.customer_id)).toEqual(sql.gold.all.slice(0, 20));
    expect(a.body.items.every((r: any) => r.email === null || /^.\*\*\*@/.test(r.email))).toBe(true);
    const admin = await get('api/segments/tier-gold/members?limit=10', 'admin');
    expect(admin.body.items.some((r: any) => r.email && !r.email.includes('***'))).toBe(true);
    expect((await get('api/segments/tier-gold/members', 'executive')).status).toBe(403);
    const bad = await get('api/segments/tier-gold/members?offset=-1', 'analyst');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^offset: Too small/);
  });
});

describe('GET /api/segments/{id}/export', () => {
  for (const format of ['csv', 'xlsx', 'parquet', 'arrow']) {
    it(`${format}: exactly the consented members, PII in clear, with the consent rule in a header`, async () => {
      const { res, bytes, sha256 } = await download(`api/segments/tier-gold/export?format=${format}`);
      expect(res.headers.get('x-export-consent')).toBe('only customers with marketing_consent = true');
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="segment-tier-gold-\\d{8}-\\d{6}\\.${format}"$`));
      expect(res.headers.get('content-encoding')).toBeNull();
      const ids = await idsIn(format, bytes);
      expect(ids).toHaveLength(sql.gold.consented.length);
      expect([...ids].sort()).toEqual(sql.gold.consented);
      const unconsented = new Set(sql.gold.unconsented);
      expect(ids.filter((id) => unconsented.has(id))).toEqual([]);
      if (format === 'csv') expect(bytes.toString('utf8')).toMatch(/,[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+,/); // e-mails in clear
      downloads.push({ segment: 'tier-gold', format, rows: ids.length, sha256, definition: { name: 'CLV tier: Gold', where: { dimension: 'clv_tier', op: 'eq', value: 'gold' } } });
    });
  }

  it('is for marketing and admins only, and says what is wrong', async () => {
    for (const role of ['executive', 'analyst'] as const) {
      const res = await get('api/segments/tier-gold/export?format=csv', role);
      expect(res.status, role).toBe(403);
      expect(res.body.error.message).toBe(`exporting segments is for marketing, admin; you are signed in as ${role}`);
    }
    expect((await get('api/segments/tier-gold/export?format=csv', null)).status).toBe(401);
    const bad = await get('api/segments/tier-gold/export?format=json', 'marketing');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('format: format must be one of csv, xlsx, parquet, arrow');
    expect((await get('api/segments/nope/export?format=csv', 'marketing')).status).toBe(404);
  });
});

describe('saved segments', () => {
  it('round trip: create → count → members → export → delete', async () => {
    const post = (body: unknown, role: Role = 'marketing') =>
      server.fetch('api/segments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, role);
    const created = await post(SAVED);
    expect(created.status).toBe(201);
    const seg = (await created.json()) as any;
    expect(seg).toMatchObject({ kind: 'saved', name: SAVED.name, created_by: 'test marketing', customers: sql.saved.all.length, consented: sql.saved.consented.length });
    expect(seg.definition).toEqual(SAVED);

    const listed = (await get('api/segments', 'executive')).body.segments.find((s: any) => s.id === seg.id);
    expect(listed).toMatchObject({ customers: sql.saved.all.length, consented: sql.saved.consented.length });

    const members = await get(`api/segments/${seg.id}/members?limit=500`, 'marketing');
    expect(members.body.total).toBe(sql.saved.all.length);
    expect(members.body.items.map((r: any) => r.customer_id)).toEqual(sql.saved.all.slice(0, 500));

    const { bytes, sha256 } = await download(`api/segments/${seg.id}/export?format=csv`, 'admin');
    const ids = await idsIn('csv', bytes);
    expect([...ids].sort()).toEqual(sql.saved.consented);
    downloads.push({ segment: seg.id, format: 'csv', rows: ids.length, sha256, definition: SAVED });

    expect((await server.fetch(`api/segments/${seg.id}`, { method: 'DELETE' }, 'analyst')).status).toBe(403);
    const deleted = await server.fetch(`api/segments/${seg.id}`, { method: 'DELETE' }, 'marketing');
    expect(deleted.status).toBe(200);
    expect((await get(`api/segments/${seg.id}`)).status).toBe(404);
    const builtin = await server.fetch('api/segments/tier-gold', { method: 'DELETE' }, 'admin');
    expect(builtin.status).toBe(400);
    expect(((await builtin.json()) as any).error.message).toBe('"tier-gold" is a built-in segment; only saved segments can be deleted');
  });

  it('refuses definitions over unknown columns, ill-typed values, too deep trees, and other roles', async () => {
    const post = async (where: unknown, role: Role = 'marketing') => {
      const res = await server.fetch('api/segments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', where }) }, role);
      return { status: res.status, body: (await res.json()) as any };
    };
    let deep: unknown = { dimension: 'orders', op: 'gt', value: 1 };
    for (let i = 0; i < 9; i++) deep = { not: deep };
    const cases: [unknown, RegExp | string][] = [
      [{ dimension: 'colour', op: 'eq', value: 'red' }, /^where: marts\.customer_360 has no column "colour"; columns: person_id, customer_id, /],
      [{ and: [{ dimension: 'revenue', op: 'gt', value: 'lots' }] }, 'where.and[0]: column "revenue" holds numbers, not "lots"'],
      [{ dimension: 'last_order_date', op: 'gte', value: '2026-13-45' }, 'where: column "last_order_date" holds dates (YYYY-MM-DD), not "2026-13-45"'],
      [{ dimension: 'orders', op: 'like', value: '1%' }, 'where: like needs a text column; "orders" is number'],
      [{ dimension: 'interests', op: 'eq', value: 'Beauty' }, 'where: column "interests" is a list or another compound type and cannot be filtered'],
      [{ dimension: 'city; DROP TABLE x', op: 'eq', value: 'a' }, /^where.dimension: must be a lower-case identifier/],
      [deep, 'where: nests and / or / not more than 8 levels deep'],
    ];
    for (const [where, message] of cases) {
      const res = await post(where);
      expect(res.status, JSON.stringify(where)).toBe(400);
      expect(res.body.error.message, JSON.stringify(where)).toMatch(message);
    }
    expect((await post({ dimension: 'orders', op: 'gt', value: 1 }, 'analyst')).status).toBe(403);
    const noName = await server.fetch('api/segments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ where: { dimension: 'orders', op: 'gt', value: 1 } }) }, 'admin');
    expect(noName.status).toBe(400);
  });
});

describe('the export audit log', () => {
  it('has one chained entry per export: who, the definition, rows and the sha256 of the bytes received', async () => {
    await server.stop();
    const db = await Database.open(dbPath, { readOnly: true });
    const rows = await db.with((c) => c.all<Record<string, any>>(`SELECT *, CAST(segment_definition AS VARCHAR) AS definition_text FROM meta.export_audit ORDER BY export_id`));
    db.close();
    expect(rows).toHaveLength(downloads.length);
    let prev: string | null = null;
    for (const [i, d] of downloads.entries()) {
      const r = rows[i];
      expect(r).toMatchObject({ segment_id: d.segment, format: d.format, rows: d.rows, sha256: d.sha256, status: 'complete' });
      expect(r.principal_role).toBe(d.segment === 'tier-gold' ? 'marketing' : 'admin');
      expect(r.principal_name).toBe(`test ${r.principal_role}`);
      expect(JSON.parse(r.definition_text)).toEqual(d.definition);
      expect(r.prev_hash).toBe(prev);
      expect(r.entry_hash).toBe(entryHash(prev, { ...(r as any), segment_definition: r.definition_text }));
      prev = r.entry_hash;
    }
  });
});
