import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '@scrm/warehouse';
import { smallDb, smallDemoDir } from '../setup/paths.ts';

/**
 * The customer marts of the small demo against the generator's ground truth (truth/*.csv) and against
 * direct computations over the raw tables.
 */
let db: Database;
let c: Connection;
let truth: string;
beforeAll(async () => {
  db = await Database.open(smallDb(), { readOnly: true });
  c = await db.connect();
  truth = join(smallDemoDir(), 'truth');
});
afterAll(() => {
  c.close();
  db.close();
});

const BEHAVIOURS = ['frequent', 'sporadic', 'seasonal', 'one_time', 'lapsed'] as const;

describe('identity links', () => {
  it('deterministic links equal the ground truth exactly, and nothing else is linked', async () => {
    const rows = await c.all<{ profile_id: string; truth_customer: string | null; link: string; ours: string | null; method: string | null }>(`
      WITH t AS (SELECT profile_id, nullif(customer_id, '') AS customer_id, link FROM read_csv('${join(truth, 'identity.csv')}', all_varchar = true)),
      o AS (SELECT profile_id, customer_id, method FROM marts.identity_links WHERE record_type = 'social_profile' AND method <> 'fuzzy')
      SELECT t.profile_id, t.customer_id AS truth_customer, t.link, o.customer_id AS ours, o.method
      FROM t FULL JOIN o USING (profile_id)`);
    const deterministic = rows.filter((r) => ['loyalty_id', 'email', 'social_login'].includes(r.link));
    expect(deterministic.length).toBeGreaterThan(300);
    for (const link of ['loyalty_id', 'email', 'social_login']) expect(deterministic.some((r) => r.link === link), link).toBe(true);
    expect(deterministic.filter((r) => r.ours !== r.truth_customer || r.method !== r.link)).toEqual([]);
    // Fuzzy and unlinked profiles are not tied by the deterministic rules.
    expect(rows.filter((r) => !['loyalty_id', 'email', 'social_login'].includes(r.link) && r.ours !== null)).toEqual([]);
  });

  it('probabilistic links on the profiles only fuzzily linkable reach precision ≥ 0.98 and recall ≥ 0.90', async () => {
    const r = (await c.one<{ linked: number; correct: number; fuzzy_truth: number; found: number; wrongly_linked_unlinkable: number }>(`
      WITH t AS (SELECT profile_id, nullif(customer_id, '') AS customer_id, link FROM read_csv('${join(truth, 'identity.csv')}', all_varchar = true)),
      o AS (SELECT profile_id, customer_id FROM marts.identity_links WHERE record_type = 'social_profile' AND method = 'fuzzy')
      SELECT count(o.profile_id) AS linked, count(*) FILTER (WHERE o.customer_id = t.customer_id) AS correct,
        count(*) FILTER (WHERE t.link = 'fuzzy') AS fuzzy_truth,
        count(*) FILTER (WHERE t.link = 'fuzzy' AND o.customer_id = t.customer_id) AS found,
        count(*) FILTER (WHERE t.link = 'none' AND o.profile_id IS NOT NULL) AS wrongly_linked_unlinkable
      FROM t LEFT JOIN o USING (profile_id)`))!;
    const precision = r.correct / r.linked;
    const recall = r.found / r.fuzzy_truth;
    console.log(`fuzzy identity links: ${r.linked} linked, precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)} of ${r.fuzzy_truth}`);
    expect(r.fuzzy_truth).toBeGreaterThan(100);
    expect(precision).toBeGreaterThanOrEqual(0.98);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(r.wrongly_linked_unlinkable).toBeLessThanOrEqual(Math.ceil(r.linked * 0.02));
  });

  it('every customer is its own person, once', async () => {
    const r = (await c.one<{ n: number; customers: number; self: number }>(`
      SELECT count(*) AS n, (SELECT count(*) FROM raw.customers) AS customers, count(*) FILTER (WHERE person_id = customer_id AND method = 'crm') AS self
      FROM marts.identity_links WHERE record_type = 'customer'`))!;
    expect(r.n).toBe(r.customers);
    expect(r.self).toBe(r.customers);
  });
});

describe('purchase-frequency segments', () => {
  it('agree with the planted behaviour on ≥ 85 % of customers with a year of history', async () => {
    const rows = await c.all<{ behaviour: string; segment: string; n: number }>(`
      WITH t AS (SELECT customer_id, behaviour FROM read_csv('${join(truth, 'customers.csv')}', all_varchar = true))
      SELECT t.behaviour, s.frequency_segment AS segment, count(*) AS n
      FROM t JOIN marts.customer_segments s USING (customer_id) JOIN intermediate.int_customer_orders o USING (customer_id)
      WHERE o.history_days >= 365 GROUP BY ALL`);
    const total = rows.reduce((s, r) => s + r.n, 0);
    const agree = rows.filter((r) => r.behaviour === r.segment).reduce((s, r) => s + r.n, 0);
    const matrix = BEHAVIOURS.map((b) => [b, ...BEHAVIOURS.map((s) => rows.find((r) => r.behaviour === b && r.segment === s)?.n ?? 0)]);
    console.log(`frequency segments, truth (rows) × ours (columns ${BEHAVIOURS.join(' ')}):\n${matrix.map((r) => r.join('\t')).join('\n')}\nagreement ${(agree / total * 100).toFixed(1)} % of ${total}`);
    expect(total).toBeGreaterThan(1000);
    expect(agree / total).toBeGreaterThanOrEqual(0.85);
    // Every behaviour is recovered mostly as itself (not one big class carrying the agreement).
    for (const b of BEHAVIOURS) {
      const row = rows.filter((r) => r.behaviour === b);
      const own = row.find((r) => r.segment === b)?.n ?? 0;
      expect(own / row.reduce((s, r) => s + r.n, 0), b).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('the seasonal peak month matches the planted one', async () => {
    const r = (await c.one<{ n: number; same: number }>(`
      WITH t AS (SELECT customer_id, CAST(peak_month AS INTEGER) AS peak_month FROM read_csv('${join(truth, 'customers.csv')}', all_varchar = true) WHERE behaviour = 'seasonal')
      SELECT count(*) AS n, count(*) FILTER (WHERE abs(s.seasonal_peak_month - t.peak_month) IN (0, 1, 11)) AS same
      FROM t JOIN marts.customer_segments s USING (customer_id) WHERE s.frequency_segment = 'seasonal'`))!;
    expect(r.n).toBeGreaterThan(100);
    expect(r.same / r.n).toBeGreaterThanOrEqual(0.95);
  });

  it('one-time means exactly one sale; prospects have none', async () => {
    const bad = await c.value<number>(`
      SELECT count(*) FROM marts.customer_segments s
      LEFT JOIN (SELECT customer_id, count(*) AS n FROM marts.orders WHERE kind = 'sale' GROUP BY 1) o USING (customer_id)
      WHERE (s.frequency_segment = 'one_time') <> (coalesce(o.n, 0) = 1) OR (s.frequency_segment = 'prospect') <> (coalesce(o.n, 0) = 0)`);
    expect(bad).toBe(0);
  });
});

describe('RFM', () => {
  // DESIGN.md's R×F map: rows R 1..5, columns F 1..5.
  const MAP: Record<number, string[]> = {
    1: ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose Them"],
    2: ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose Them"],
    3: ['About to Sleep', 'About to Sleep', 'Need Attention', 'Loyal', 'Loyal'],
    4: ['Promising', 'Potential Loyalist', 'Potential Loyalist', 'Loyal', 'Loyal'],
    5: ['New', 'Potential Loyalist', 'Potential Loyalist', 'Champions', 'Champions'],
  };

  it('scores are quintiles (5 best, recency reversed), ties share a score, and the segment follows the R×F map', async () => {
    const rows = await c.all<{ customer_id: string; recency_days: number; frequency: number; r_score: number; f_score: number; rfm_segment: string }>(`
      SELECT customer_id, recency_days, frequency, r_score, f_score, rfm_segment FROM marts.customer_segments WHERE frequency > 0`);
    expect(rows.length).toBeGreaterThan(1500);
    for (const r of rows) expect(r.rfm_segment, `${r.customer_id} R${r.r_score}F${r.f_score}`).toBe(MAP[r.r_score][r.f_score - 1]);
    // Recency: a more recent buyer never scores lower; equal recency, equal score.
    const byRecency = [...rows].sort((a, b) => a.recency_days - b.recency_days);
    for (let i = 1; i < byRecency.length; i++) {
      const [a, b] = [byRecency[i - 1], byRecency[i]];
      if (a.recency_days === b.recency_days) expect(a.r_score).toBe(b.r_score);
      else expect(a.r_score).toBeGreaterThanOrEqual(b.r_score);
    }
    // Quintiles: the best recency score holds about a fifth of buyers (ties can only move the cut a little).
    const top = rows.filter((r) => r.r_score === 5).length / rows.length;
    expect(top).toBeGreaterThan(0.15);
    expect(top).toBeLessThan(0.25);
    const manyOrders = rows.filter((r) => r.f_score === 5);
    expect(Math.min(...manyOrders.map((r) => r.frequency))).toBeGreaterThan(Math.max(...rows.filter((r) => r.f_score === 1).map((r) => r.frequency)));
  });
});

describe('customer CLV inputs', () => {
  it('historical CLV is net revenue, and x, t_x, T follow the purchase days (checked in TypeScript)', async () => {
    const sample = `SELECT customer_id FROM marts.customer_clv ORDER BY hash(customer_id) LIMIT 50`;
    const orders = await c.all<{ customer_id: string; day: string; status: string; amount: number }>(`
      SELECT o.customer_id, strftime(CAST(o.ordered_at AS DATE), '%Y-%m-%d') AS day, o.status, sum(l.quantity * l.unit_price)::DOUBLE AS amount
      FROM raw.orders o JOIN raw.order_lines l USING (order_id)
      WHERE o.customer_id IN (${sample}) GROUP BY ALL`);
    const asOf = Date.parse((await c.value<string>(`SELECT max(as_of) FROM meta.builds WHERE status = 'ok'`)) + 'T00:00:00Z');
    const ours = await c.all<{ customer_id: string; historical_clv: number; x: number; t_x: number; T: number }>(`
      SELECT customer_id, historical_clv::DOUBLE AS historical_clv, x, t_x, "T" FROM marts.customer_clv WHERE customer_id IN (${sample})`);
    expect(ours.length).toBe(50);
    for (const o of ours) {
      const mine = orders.filter((r) => r.customer_id === o.customer_id);
      const revenue = mine.reduce((s, r) => s + (r.status === 'cancelled' ? 0 : r.status === 'returned' ? -Math.abs(r.amount) : r.amount), 0);
      const days = [...new Set(mine.filter((r) => r.status === 'completed' && r.amount >= 0).map((r) => r.day))].sort();
      const week = (d: string) => Date.parse(d + 'T00:00:00Z') / 604_800_000;
      expect(o.historical_clv, o.customer_id).toBeCloseTo(revenue, 2);
      expect(o.x, o.customer_id).toBe(days.length - 1);
      expect(o.t_x, o.customer_id).toBeCloseTo(week(days.at(-1)!) - week(days[0]), 9);
      expect(o.T, o.customer_id).toBeCloseTo(asOf / 604_800_000 - week(days[0]), 9);
    }
  });
});

describe('customer 360 and social authors', () => {
  it('customer 360 has every customer once, revenue equal to their orders, consent as loaded', async () => {
    const r = (await c.one<{ n: number; customers: number; revenue: number; orders_revenue: number; consent: number; raw_consent: number }>(`
      SELECT count(*) AS n, (SELECT count(*) FROM raw.customers) AS customers,
        sum(revenue)::DOUBLE AS revenue,
        (SELECT sum(net_revenue)::DOUBLE FROM marts.orders WHERE customer_id IS NOT NULL) AS orders_revenue,
        count(*) FILTER (WHERE marketing_consent) AS consent,
        (SELECT count(*) FROM raw.customers WHERE marketing_consent) AS raw_consent
      FROM marts.customer_360`))!;
    expect(r.n).toBe(r.customers);
    expect(r.revenue).toBeCloseTo(r.orders_revenue, 2);
    expect(r.consent).toBe(r.raw_consent);
    expect(r.consent).toBeGreaterThan(0);
    expect(r.consent).toBeLessThan(r.n);
  });

  it('linked profiles, mentions and tickets of a customer add up to the raw rows', async () => {
    const r = (await c.one<{ profiles: number; links: number; mentions: number; raw_mentions: number; tickets: number; raw_tickets: number }>(`
      SELECT sum(linked_profiles) AS profiles,
        (SELECT count(*) FROM marts.identity_links WHERE record_type = 'social_profile') AS links,
        sum(mentions) AS mentions,
        (SELECT count(*) FROM staging.stg_mentions m JOIN marts.identity_links l ON l.record_type = 'social_profile' AND l.record_id = m.profile_id
           WHERE m.brand IS NOT NULL) AS raw_mentions,
        sum(tickets) AS tickets,
        (SELECT count(*) FROM raw.support_tickets WHERE customer_id IS NOT NULL) AS raw_tickets
      FROM marts.customer_360`))!;
    expect(r.profiles).toBe(r.links);
    expect(r.mentions).toBeGreaterThan(0);
    expect(r.mentions).toBe(r.raw_mentions);
    expect(r.tickets).toBe(r.raw_tickets);
  });

  it('author roles follow their rules, and linked authors carry their CLV rank', async () => {
    const rows = await c.all<{ role: string; own_brand_mentions: number; net_sentiment: number | null; followers: number; clv: number | null; clv_rank: number | null; person_id: string | null }>(`
      SELECT role, own_brand_mentions, net_sentiment, followers, clv::DOUBLE AS clv, clv_rank, person_id FROM marts.social_authors`);
    const roles = new Set(rows.map((r) => r.role));
    for (const role of ['detractor', 'ambassador', 'none']) expect(roles.has(role), role).toBe(true);
    for (const r of rows) {
      if (r.role === 'detractor') expect(r.net_sentiment!).toBeLessThanOrEqual(-0.5);
      if (r.role === 'ambassador') expect(r.net_sentiment!).toBeGreaterThanOrEqual(0.5);
      if (r.role === 'detractor' || r.role === 'ambassador') expect(r.own_brand_mentions).toBeGreaterThanOrEqual(2);
      if (r.role === 'influencer') expect(r.followers).toBeGreaterThanOrEqual(10000);
    }
    const linked = rows.filter((r) => r.person_id !== null).sort((a, b) => a.clv_rank! - b.clv_rank!);
    expect(linked.length).toBeGreaterThan(100);
    expect(linked[0].clv_rank).toBe(1);
    for (let i = 1; i < linked.length; i++) expect(linked[i].clv!).toBeLessThanOrEqual(linked[i - 1].clv!);
    expect(rows.filter((r) => r.person_id === null && r.clv_rank !== null)).toEqual([]);
  });
});
