import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Database } from '@scrm/warehouse';
import { checkBothThemes, tabletOverflow } from '../setup/axe.ts';
import { launchChromium } from '../setup/chromium.ts';
import { copySmallDb, startScrmServer, TEST_TOKENS, type Role } from '../setup/server.ts';

/**
 * The Customers list and the customer 360 in a real Chromium against the real server over the small demo: the
 * numbers shown must be what SQL over marts.customer_360 says, search and sort live in the URL, an executive gets a
 * role notice, and axe finds no serious or critical violation (light and dark).
 */
let server: Awaited<ReturnType<typeof startScrmServer>>;
let browser: Browser;
const consoleErrors: string[] = [];
type Row = Record<string, any>;
let sql: {
  total: number;
  firstIds: string[];
  term: string;
  matching: string[];
  topByRevenue: string;
  person: Row;
  timeline: { total: number; newest: number; kinds: Record<string, number> };
};

beforeAll(async () => {
  const path = copySmallDb();
  const db = await Database.open(path, { readOnly: true });
  sql = await db.with(async (c) => {
    // A city spelled in lower case: the search must find it case-insensitively in city (and name / e-mail).
    const term = (await c.value<string>(`SELECT lower(city) FROM marts.customer_360 WHERE city IS NOT NULL GROUP BY city ORDER BY count(*) DESC, city LIMIT 1 OFFSET 2`))!;
    const matching = (
      await c.all<{ customer_id: string }>(
        `SELECT customer_id FROM marts.customer_360 WHERE starts_with(customer_id, $1) OR contains(lower(full_name), $1) OR contains(lower(email), $1) OR contains(lower(city), $1) ORDER BY customer_id`,
        [term],
      )
    ).map((r) => r.customer_id);
    const id = (await c.value<string>(`SELECT customer_id FROM marts.customer_360 WHERE tickets > 0 AND mentions > 0 AND orders > 1 AND predicted_clv_12m IS NOT NULL ORDER BY customer_id LIMIT 1`))!;
    const kinds = Object.fromEntries(
      (
        await c.all<{ k: string; n: number }>(
          `SELECT 'order' AS k, count(*) AS n FROM marts.orders WHERE customer_id = $1
           UNION ALL SELECT 'mention', count(*) FROM marts.mentions_scored WHERE person_id = $1
           UNION ALL SELECT 'ticket', count(*) FROM staging.stg_support_tickets WHERE customer_id = $1`,
          [id],
        )
      ).map((r) => [r.k, Number(r.n)]),
    );
    return {
      total: Number(await c.value(`SELECT count(*) FROM marts.customer_360`)),
      firstIds: (await c.all<{ customer_id: string }>(`SELECT customer_id FROM marts.customer_360 ORDER BY customer_id LIMIT 50`)).map((r) => r.customer_id),
      term,
      matching,
      topByRevenue: (await c.value<string>(`SELECT customer_id FROM marts.customer_360 ORDER BY revenue DESC NULLS LAST, customer_id LIMIT 1`))!,
      person: (await c.one(`SELECT * FROM marts.customer_360 WHERE customer_id = $1`, [id]))!,
      timeline: {
        total: kinds.order + kinds.mention + kinds.ticket,
        kinds,
        newest: Number(await c.value(
          `SELECT epoch_ms(max(t)) FROM (SELECT coalesce(ordered_at, CAST(order_date AS TIMESTAMP)) AS t FROM marts.orders WHERE customer_id = $1
           UNION ALL SELECT posted_at FROM marts.mentions_scored WHERE person_id = $1 UNION ALL SELECT opened_at FROM staging.stg_support_tickets WHERE customer_id = $1)`,
          [id],
        )),
      },
    };
  });
  db.close();
  expect(sql.matching.length).toBeGreaterThan(0);
  expect(sql.matching.length).toBeLessThan(sql.total);
  expect(sql.timeline.total).toBeGreaterThan(25); // more than the first page, so "Load more" is exercised
  server = await startScrmServer(path);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const contexts: BrowserContext[] = [];
async function signedIn(role: Role): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  contexts.push(context);
  await context.addCookies([{ name: 'scrm_session', value: TEST_TOKENS[role], url: server.url }]);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`[${role}] ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`[${role}] ${e.message}`));
  return page;
}

/** "€1,234" / "€12.50" / "1,234" / "45.6%" → a number. */
const number = (text: string) => Number(text.replace(/[€,%\s]/g, ''));
const euros = (v: number) => (Math.abs(v) >= 1000 ? Math.round(v) : Math.round(v * 100) / 100);
const rowIds = (page: Page) => page.locator('[data-testid="customer-link"]').allInnerTexts();
const total = async (page: Page) => number(await page.locator('[data-testid="customer-total"] strong').innerText());

describe('Customers list', () => {
  let page: Page;
  beforeAll(async () => {
    page = await signedIn('analyst');
    await page.goto(`${server.url}customers`);
    await page.locator('[data-testid="customer-row"]').first().waitFor({ timeout: 20_000 });
  });

  it('shows the number of customers SQL counts, and the first 50 by id, each linking to its 360', async () => {
    expect(await total(page)).toBe(sql.total);
    expect(number(await page.locator('[data-testid="pager-total"]').innerText())).toBe(sql.total);
    expect(await rowIds(page)).toEqual(sql.firstIds);
    expect(await page.locator('[data-testid="customer-link"]').first().getAttribute('href')).toBe(`/customers/${sql.firstIds[0]}`);
    await expect(page.getByRole('link', { name: 'Customers' }).getAttribute('aria-current')).resolves.toBe('page');
  });

  it('search goes into the URL (debounced) and narrows the rows to what SQL matches; reloading restores it', async () => {
    await page.getByLabel('Search customers').fill(sql.term);
    await page.waitForURL((u) => u.searchParams.get('q') === sql.term, { timeout: 10_000 });
    await page.waitForFunction((n) => document.querySelector('[data-testid="customer-total"] strong')?.textContent?.replace(/,/g, '') === String(n), sql.matching.length, { timeout: 10_000 });
    await page.waitForFunction(() => !document.querySelector('table[aria-busy="true"]'));
    expect(await rowIds(page)).toEqual(sql.matching.slice(0, 50));

    await page.reload();
    await page.locator('[data-testid="customer-row"]').first().waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Search customers').inputValue()).toBe(sql.term);
    expect(await total(page)).toBe(sql.matching.length);
    expect(await rowIds(page)).toEqual(sql.matching.slice(0, 50));
  });

  it('column headers are buttons that sort, with aria-sort, in the URL', async () => {
    await page.goto(`${server.url}customers`);
    await page.locator('[data-testid="customer-row"]').first().waitFor({ timeout: 20_000 });
    const header = page.locator('th', { has: page.locator('[data-testid="sort-revenue"]') });
    expect(await header.getAttribute('aria-sort')).toBe('none');
    expect(await page.locator('th', { has: page.locator('[data-testid="sort-customer_id"]') }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('button', { name: 'Revenue' }).click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'revenue' && u.searchParams.get('desc') === '1');
    await page.waitForFunction((id) => document.querySelector('[data-testid="customer-link"]')?.textContent === id, sql.topByRevenue, { timeout: 10_000 });
    expect(await header.getAttribute('aria-sort')).toBe('descending');
  });

  it('pages with Next and keeps the page in the URL', async () => {
    await page.goto(`${server.url}customers`);
    await page.locator('[data-testid="customer-row"]').first().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await page.waitForFunction(() => !document.querySelector('table[aria-busy="true"]'));
    expect(await page.locator('[data-testid="pager-range"]').innerText()).toMatch(/^51–100 of/);
    expect((await rowIds(page))[0]).not.toBe(sql.firstIds[0]);
  });

  it('has no serious or critical accessibility violation (light and dark)', async () => {
    await page.goto(`${server.url}customers`);
    await page.locator('[data-testid="customer-row"]').first().waitFor({ timeout: 20_000 });
    expect(await checkBothThemes(page, 'customers')).toEqual({ light: [], dark: [] });
  });

  it('fits a tablet width without scrolling the page sideways', async () => {
    expect(await tabletOverflow(page, 'customers')).toBeLessThanOrEqual(0);
  });
});

describe('Customer 360', () => {
  let page: Page;
  const kpi = async (name: string) => (await page.locator(`[data-testid="kpi-${name}"] [data-testid="kpi-value"]`).innerText()).trim();
  beforeAll(async () => {
    page = await signedIn('analyst');
    await page.goto(`${server.url}customers?q=${sql.person.customer_id}`);
    await page.locator(`[data-testid="customer-link"]:text-is("${sql.person.customer_id}")`).click();
    await page.waitForURL(`**/customers/${sql.person.customer_id}`);
    await page.locator('[data-testid="timeline-item"]').first().waitFor({ timeout: 20_000 });
  });

  it('shows the order count, revenue and CLV (historical, predicted, P(alive)) of marts.customer_360', async () => {
    const p = sql.person;
    expect(number(await kpi('orders'))).toBe(Number(p.orders));
    expect(number(await kpi('revenue'))).toBeCloseTo(euros(p.revenue), 2);
    expect(number(await kpi('historical-clv'))).toBeCloseTo(euros(p.historical_clv), 2);
    expect(number(await kpi('predicted-clv'))).toBeCloseTo(euros(p.predicted_clv_12m), 2);
    expect(number(await kpi('p-alive'))).toBeCloseTo(Math.round(p.p_alive * 1000) / 10, 1);
  });

  it('shows the profile as the API gives it to an analyst: personal data masked', async () => {
    const p = sql.person;
    const profile = await page.locator('[data-testid="profile"]').innerText();
    expect(profile).not.toContain(p.email);
    expect(profile).not.toContain(p.full_name);
    expect(await page.locator('[data-testid="customer-name"]').innerText()).toMatch(/^(\S\.\s?)+$/u);
    expect(await page.locator('[data-testid="consent"]').innerText()).toBe(p.marketing_consent === true ? 'Consented' : p.marketing_consent === false ? 'Not consented' : 'Unknown');
    expect(await page.locator('[data-testid="customer-segments"] li').count()).toBeGreaterThan(0);
  });

  it('has one timeline of orders, mentions and tickets, newest first, with load more', async () => {
    const { kinds, total, newest } = sql.timeline;
    const counts = await page.locator('[data-testid="timeline-counts"]').innerText();
    expect(counts).toContain(`${kinds.order} orders`);
    expect(counts).toContain(`${kinds.mention} mentions`);
    expect(counts).toContain(`${kinds.ticket} tickets`);
    const times = async () => page.locator('[data-testid="timeline-item"] time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    const first = await times();
    expect(first).toHaveLength(25);
    expect(new Date(first[0]).getTime()).toBe(newest);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="timeline-item"]').length > n, 25);
    const all = await times();
    expect(all.length).toBe(Math.min(total, 50));
    const ms = all.map((t) => new Date(t).getTime());
    expect(ms).toEqual([...ms].sort((a, b) => b - a));
    const shownKinds = new Set(await page.locator('[data-testid="timeline-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))));
    expect([...shownKinds].every((k) => ['order', 'mention', 'ticket'].includes(k!))).toBe(true);
    expect(await page.locator('[data-testid="timeline-item"] .kind-label').first().innerText()).toMatch(/^(Order|Mention|Support ticket)$/);
  });

  it('has no serious or critical accessibility violation (light and dark)', async () => {
    expect(await checkBothThemes(page, 'customer-360')).toEqual({ light: [], dark: [] });
  });

  it('fits a tablet width without scrolling the page sideways', async () => {
    expect(await tabletOverflow(page, 'customer-360')).toBeLessThanOrEqual(0);
  });

  it('shows names in clear to an admin', async () => {
    const admin = await signedIn('admin');
    await admin.goto(`${server.url}customers/${sql.person.customer_id}`);
    await admin.locator('[data-testid="customer-name"]').waitFor({ timeout: 20_000 });
    expect(await admin.locator('[data-testid="customer-name"]').innerText()).toBe(sql.person.full_name);
    expect(await admin.locator('[data-testid="profile"]').innerText()).toContain(sql.person.email);
  });
});

describe('Customers for an executive', () => {
  it('is a clear "not available for your role" state, not an error', async () => {
    const page = await signedIn('executive');
    await page.goto(`${server.url}customers`);
    await page.locator('[data-testid="role-notice"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="role-notice"]').innerText()).toMatch(/not available for your role[\s\S]*executive/);
    expect(await page.locator('[data-testid="error-state"]').count()).toBe(0);
    await page.goto(`${server.url}customers/${sql.person.customer_id}`);
    await page.locator('[data-testid="role-notice"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="error-state"]').count()).toBe(0);
    expect(await checkBothThemes(page, 'customers-executive')).toEqual({ light: [], dark: [] });
  });
});

describe('the browser console', () => {
  it('logs no errors on any of these pages', () => {
    expect(consoleErrors).toEqual([]);
  });
});
