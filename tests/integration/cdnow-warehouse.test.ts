import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec, readSpec, REPO_ROOT, runBuild, SQL_DIR, type Connection } from '@scrm/warehouse';
import { scratch } from '../setup/scratch.ts';

/**
 * CDNOW end to end: the purchase log loaded through a source spec like any shop export and built with
 * --as-of 1997-09-30 (the end of the published calibration period): marts.clv_model must hold the published
 * BG/NBD and Gamma-Gamma fits (../shared/data/cdnow/REFERENCE.md).
 */
let c: Connection;
const s = scratch('cdnow');

beforeAll(async () => {
  c = await s.warehouse('cdnow');
  const loads = await loadSpec(c, await readSpec(join(REPO_ROOT, 'fixtures/cdnow/sources.yaml')));
  for (const l of loads) expect(l.status, `${l.source}: ${l.message ?? ''}`).toBe('loaded');
  await runBuild(c, { sqlDir: SQL_DIR, asOf: '1997-09-30' });
}, 120_000);
afterAll(() => s.close());

const within = (value: number, reference: number, rel: number) => expect(Math.abs(value / reference - 1), `${value} vs ${reference}`).toBeLessThanOrEqual(rel);

describe('CDNOW through the warehouse', () => {
  it('loads every purchase: 2,357 customers, revenue equal to the log', async () => {
    expect(await c.value(`SELECT count(*) FROM raw.customers`)).toBe(2357);
    expect(await c.value(`SELECT count(*) FROM raw.order_lines`)).toBe(6919);
    const revenue = await c.value<number>(`SELECT sum(net_revenue)::DOUBLE FROM marts.orders`);
    const log = await c.value<number>(`SELECT sum(sales)::DOUBLE FROM read_csv('${join(REPO_ROOT, 'fixtures/cdnow/btyd_cdnowElog.csv')}')`);
    expect(revenue).toBeCloseTo(log, 2);
  });

  it('the calibration summary matches BTYD: 946 repeat buyers, Σx = 2,457', async () => {
    const r = (await c.one<{ n: number; repeat: number; sx: number }>(`SELECT count(*) AS n, count(*) FILTER (WHERE x > 0) AS repeat, sum(x) AS sx FROM marts.customer_clv`))!;
    expect(r).toEqual({ n: 2357, repeat: 946, sx: 2457 });
  });

  it('marts.clv_model holds the published BG/NBD and Gamma-Gamma parameters', async () => {
    const m = (await c.one<Record<string, number | string>>(`SELECT * FROM marts.clv_model`))!;
    expect(m.status).toBe('fitted');
    expect(m.calibration_date).toBe('1997-09-30');
    within(m.r as number, 0.2425945, 0.001);
    within(m.alpha as number, 4.4136019, 0.001);
    within(m.a as number, 0.7929199, 0.001);
    within(m.b as number, 2.4258881, 0.001);
    expect(Math.abs((m.bgnbd_log_likelihood as number) - -9582.429)).toBeLessThanOrEqual(0.01);
    within(m.p as number, 6.25, 0.005);
    within(m.q as number, 3.74, 0.005);
    within(m.gamma as number, 15.44, 0.005);
  });

  it('scores every customer: P(alive) in 0..1, and the x = 0 customers are certain to be alive', async () => {
    const r = (await c.one<{ scored: number; bad: number; zero_alive: number }>(`
      SELECT count(p_alive) AS scored, count(*) FILTER (WHERE p_alive < 0 OR p_alive > 1 OR predicted_clv_12m < 0) AS bad,
        min(p_alive) FILTER (WHERE x = 0) AS zero_alive FROM marts.customer_clv`))!;
    expect(r.scored).toBe(2357);
    expect(r.bad).toBe(0);
    expect(r.zero_alive).toBe(1);
  });
});

describe('predictive CLV on data that cannot support it', () => {
  const t = scratch('clv-degenerate');
  afterAll(() => t.close());

  it('a build on three customers still succeeds; marts.clv_model says why nothing was predicted', async () => {
    const c2 = await t.warehouse('tiny');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(t.dir, 'customers.csv'), 'customer_id,email\n1,a@x.es\n2,b@x.es\n3,c@x.es\n');
    writeFileSync(join(t.dir, 'orders.csv'), 'order_id,customer_id,ordered_at,total_amount\nA,1,2026-01-05 10:00,10\nB,1,2026-03-05 10:00,12\nC,2,2026-02-01 10:00,30\n');
    const loads = await loadSpec(c2, t.spec(`sources:\n  - { name: c, entity: customers, path: customers.csv }\n  - { name: o, entity: orders, path: orders.csv }\n`));
    expect(loads.map((l) => l.status)).toEqual(['loaded', 'loaded']);
    const r = await runBuild(c2, { sqlDir: SQL_DIR, asOf: '2026-06-01' });
    expect(r.models.find((m) => m.model === 'marts.customer_clv')?.rows).toBe(2);
    const m = (await c2.one<{ status: string; message: string; r: number | null }>(`SELECT status, message, r FROM marts.clv_model`))!;
    expect(m.status).toBe('not_fitted');
    expect(m.message).toMatch(/customers/i);
    expect(m.r).toBeNull();
    expect(await c2.value(`SELECT count(p_alive) FROM marts.customer_clv`)).toBe(0);
    expect(await c2.value(`SELECT historical_clv::DOUBLE FROM marts.customer_clv WHERE customer_id = '1'`)).toBe(22);
  });
});
