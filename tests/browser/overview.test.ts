import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays } from '@scrm/warehouse/metrics/query';
import { Database } from '@scrm/warehouse';
import { launchChromium } from '../setup/chromium.ts';
import { copySmallDb, startScrmServer, TEST_TOKENS } from '../setup/server.ts';

/**
 * The Overview in a real Chromium against the real server: the KPI tiles must show what SQL over the
 * marts says for the same range, and the time series must draw.
 */
let server: Awaited<ReturnType<typeof startScrmServer>>;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
let expected: Record<string, number>;
let from: string;
let to: string;

beforeAll(async () => {
  const dbPath = copySmallDb();
  const db = await Database.open(dbPath, { readOnly: true });
  await db.with(async (c) => {
    to = (await c.value<string>(`SELECT max(date) FROM marts.kpi_daily`))!;
    from = addDays(to, -89);
    const sales = await c.one<Record<string, number>>(
      `SELECT sum(net_revenue) AS revenue, count(*) FILTER (WHERE kind = 'sale') AS orders,
              count(DISTINCT customer_id) FILTER (WHERE kind = 'sale') AS active_customers
       FROM marts.orders WHERE order_date BETWEEN $1::DATE AND $2::DATE`, [from, to]);
    const social = await c.one<Record<string, number>>(
      `SELECT sum(mentions) FILTER (WHERE is_own) AS mentions,
              sum(mentions) FILTER (WHERE is_own) / sum(mentions) AS share_of_voice,
              (sum(positive) FILTER (WHERE is_own) - sum(negative) FILTER (WHERE is_own))
                / (sum(positive) FILTER (WHERE is_own) + sum(negative) FILTER (WHERE is_own)) AS net_sentiment
       FROM marts.share_of_voice_daily WHERE date BETWEEN $1::DATE AND $2::DATE`, [from, to]);
    expected = { ...sales!, ...social! };
  });
  db.close();
  server = await startScrmServer(dbPath);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.context().addCookies([{ name: 'scrm_session', value: TEST_TOKENS.executive, url: server.url }]);
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(`${server.url}?from=${from}&to=${to}&grain=week`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^="kpi-"] [data-testid="kpi-value"]').length >= 6, null, { timeout: 20_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const shown = async (measure: string) => (await page.locator(`[data-testid="kpi-${measure}"] [data-testid="kpi-value"]`).innerText()).trim();
const number = (text: string) => Number(text.replace(/[€,%+\s]/g, '').replace('−', '-'));

describe('Overview page', () => {
  it('shows revenue, orders and active customers equal to SQL over marts.orders', async () => {
    expect(expected.revenue).toBeGreaterThan(0);
    expect(await shown('revenue')).toMatch(/^€[\d,]+$/);
    expect(number(await shown('revenue'))).toBe(Math.round(expected.revenue));
    expect(number(await shown('orders'))).toBe(expected.orders);
    expect(number(await shown('active_customers'))).toBe(expected.active_customers);
  });

  it('shows mentions, share of voice and net sentiment equal to SQL over marts.share_of_voice_daily', async () => {
    expect(number(await shown('mentions'))).toBe(expected.mentions);
    expect(await shown('share_of_voice')).toMatch(/^\d+(\.\d)?%$/);
    expect(number(await shown('share_of_voice'))).toBeCloseTo(expected.share_of_voice * 100, 1);
    expect(number(await shown('net_sentiment'))).toBeCloseTo(expected.net_sentiment, 2);
  });

  it('shows each figure with its change against the previous period', async () => {
    for (const m of ['revenue', 'orders', 'active_customers', 'mentions', 'share_of_voice', 'net_sentiment']) {
      const tile = await page.locator(`[data-testid="kpi-${m}"]`).innerText();
      expect(tile, m).toMatch(/(\d+(\.\d+)?\s?(%|pp))|—|n\/a/i);
    }
  });

  it('draws the time series as an SVG line with one point per week', async () => {
    const d = await page.locator('[data-testid="timeseries"] svg path').first().getAttribute('d');
    expect(d).toBeTruthy();
    const points = (d!.match(/[ML]/g) ?? []).length + (d!.match(/C/g) ?? []).length;
    expect(points).toBeGreaterThanOrEqual(10);
  });

  it('logs no errors in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
