import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, REPO_ROOT, type ModelDoc } from '@scrm/warehouse';
import { copySmallDb, startScrmServer } from '../setup/server.ts';

/** The model documentation: GET /api/models over real HTTP from `scrm serve`, and `scrm docs`. */
let server: Awaited<ReturnType<typeof startScrmServer>>;
let truth: { orders: number; build: number; columns: { name: string; type: string }[] };
let served: string; // the copy `scrm serve` holds
let quiet: string; // a second copy no server holds: `scrm docs` opens it itself

const scrm = (...args: string[]) => {
  const r = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'warehouse/src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: REPO_ROOT });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const get = async (path: string) => {
  const res = await server.fetch(path);
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  served = copySmallDb();
  quiet = copySmallDb();
  const db = await Database.open(served, { readOnly: true });
  truth = await db.with(async (c) => ({
    orders: Number(await c.value(`SELECT count(*) FROM marts.orders`)),
    build: Number(await c.value(`SELECT max(build_id) FROM meta.builds WHERE status = 'ok'`)),
    columns: await c.all<{ name: string; type: string }>(
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = 'orders' ORDER BY ordinal_position`,
    ),
  }));
  db.close();
  server = await startScrmServer(served);
});
afterAll(() => server?.stop());

describe('GET /api/models', () => {
  it('documents every model with columns, types, lineage, rows and the build that made it', async () => {
    const { status, body } = await get('/api/models');
    expect(status).toBe(200);
    const byName = new Map<string, ModelDoc>(body.models.map((m: ModelDoc) => [m.name, m]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['staging.stg_orders', 'marts.orders', 'marts.kpi_daily', 'marts.share_of_voice_daily']));
    // Dependency order: what a model reads comes before it.
    const names = body.models.map((m: ModelDoc) => m.name);
    for (const m of body.models as ModelDoc[]) for (const d of m.lineage.depends_on) expect(names.indexOf(d)).toBeLessThan(names.indexOf(m.name));

    const orders = byName.get('marts.orders')!;
    expect(orders).toMatchObject({
      layer: 'marts',
      materialized: 'incremental',
      unique_key: ['order_id'],
      file: 'sql/models/marts/orders.sql',
      built: true,
      rows: truth.orders,
      freshness: { build_id: truth.build, as_of: '2026-11-01', mode: 'full' },
    });
    expect(orders.description).toMatch(/^One row per order or credit note/);
    expect(orders.columns.map(({ name, type }) => ({ name, type }))).toEqual(truth.columns);
    expect(orders.columns.find((c) => c.name === 'net_revenue')).toEqual({ name: 'net_revenue', type: 'DECIMAL(18,2)', doc: 'gross_revenue − returns.' });
    expect(orders.columns.find((c) => c.name === 'store_id')!.doc).toBeNull(); // produced but not documented
    expect(orders.lineage.depends_on.sort()).toEqual(['staging.stg_customers', 'staging.stg_order_lines', 'staging.stg_orders']);
    expect(orders.lineage.used_by).toEqual(['intermediate.int_customer_history', 'intermediate.int_customer_interests', 'marts.campaign_roi', 'marts.kpi_daily']);
    expect(orders.lineage.raw_sources).toEqual(['raw.customers', 'raw.order_lines', 'raw.orders']);
    expect(orders.tests).toContain('unique(order_id)');
    expect(Date.parse(orders.freshness!.finished_at)).not.toBeNaN();

    const view = byName.get('staging.stg_orders')!;
    expect(view).toMatchObject({ materialized: 'view', built: true, rows: null, unique_key: null });
    expect(view.columns.find((c) => c.name === 'order_date')!.type).toBe('DATE');
    expect(view.lineage).toEqual({ depends_on: [], used_by: ['marts.orders'], raw_sources: ['raw.orders'] });
  });

  it('filters by layer, finds one model by full or bare name, and says what is wrong', async () => {
    const marts = await get('/api/models?layer=marts');
    expect(marts.body.models.every((m: ModelDoc) => m.layer === 'marts')).toBe(true);
    expect((await get('/api/models?layer=gold')).status).toBe(400);
    const full = await get('/api/models/marts.orders');
    const bare = await get('/api/models/orders');
    expect(full.status).toBe(200);
    expect(bare.body).toEqual(full.body);
    const missing = await get('/api/models/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/no model nope/);
  });

  it('is in the OpenAPI document', async () => {
    const { body } = await get('/api/openapi.json');
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/models', '/api/models/{name}']));
    expect(body.components.schemas.ModelDoc.properties.freshness).toBeDefined();
  });
});

describe('scrm docs', () => {
  it('asks the running server, or opens the database itself, and prints the same documentation', async () => {
    const viaServer = scrm('docs', '--db', served, '--json');
    expect(viaServer.code).toBe(0);
    const api = (await get('/api/models')).body;
    expect(JSON.parse(viaServer.out)).toEqual(api);
    const direct = scrm('docs', '--db', quiet, '--json');
    expect(direct.code).toBe(0);
    expect(JSON.parse(direct.out)).toEqual(api);
  });

  it('prints one model as text: header line, description, lineage, typed columns, tests', () => {
    const r = scrm('docs', 'orders', '--db', quiet);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^marts\\.orders  \\(incremental by order_id; ${truth.orders.toLocaleString('en-US')} rows, built .* as of 2026-11-01 \\(build ${truth.build}, full\\)\\)`));
    expect(r.out).toMatch(/\n  used by:    intermediate\.int_customer_history, intermediate\.int_customer_interests, marts\.campaign_roi, marts\.kpi_daily\n/);
    expect(r.out).toMatch(/\n    net_revenue +DECIMAL\(18,2\) +gross_revenue − returns\.\n/);
    expect(r.out).toMatch(/\n  tests: unique\(order_id\), /);
    expect(scrm('docs', 'nope', '--db', quiet)).toMatchObject({ code: 1, err: expect.stringMatching(/no model named nope/) });
  });
});
