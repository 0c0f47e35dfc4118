import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Database } from '@scrm/warehouse';
import { checkBothThemes, tabletOverflow } from '../setup/axe.ts';
import { launchChromium } from '../setup/chromium.ts';
import { copySmallDb, startScrmServer, TEST_TOKENS, type Role } from '../setup/server.ts';

/**
 * The Segments pages in a real Chromium against the real server over the small demo: the RFM heat map and the
 * segment lists show SQL's counts, a segment's members page, and a marketing user's export downloads a file holding
 * exactly the consented members (the rule is stated next to the button, which other roles do not get).
 */
let server: Awaited<ReturnType<typeof startScrmServer>>;
let browser: Browser;
const consoleErrors: string[] = [];
let sql: {
  cells: { r: number; f: number; n: number }[];
  lists: Map<string, number>;
  gold: { customers: number; consented: string[]; revenue: number };
};

beforeAll(async () => {
  const path = copySmallDb();
  const db = await Database.open(path, { readOnly: true });
  sql = await db.with(async (c) => {
    const cells = await c.all<{ r: number; f: number; n: number }>(
      `SELECT r_score AS r, f_score AS f, count(*) AS n FROM marts.customer_segments WHERE r_score IS NOT NULL GROUP BY ALL`,
    );
    const lists = await c.all<{ id: string; n: number }>(
      `SELECT 'frequency-' || replace(frequency_segment, '_', '-') AS id, count(*) AS n FROM marts.customer_360 GROUP BY ALL
       UNION ALL SELECT 'tier-' || clv_tier, count(*) FROM marts.customer_360 WHERE clv_tier IS NOT NULL GROUP BY ALL`,
    );
    const consented = await c.all<{ customer_id: string }>(`SELECT customer_id FROM marts.customer_360 WHERE clv_tier = 'gold' AND marketing_consent IS TRUE ORDER BY customer_id`);
    return {
      cells: cells.map((x) => ({ r: Number(x.r), f: Number(x.f), n: Number(x.n) })),
      lists: new Map(lists.map((x) => [x.id, Number(x.n)])),
      gold: {
        customers: Number(await c.value(`SELECT count(*) FROM marts.customer_360 WHERE clv_tier = 'gold'`)),
        consented: consented.map((r) => r.customer_id),
        revenue: Number(await c.value(`SELECT sum(revenue) FROM marts.customer_360 WHERE clv_tier = 'gold'`)),
      },
    };
  });
  db.close();
  expect(sql.gold.consented.length).toBeGreaterThan(0);
  expect(sql.gold.consented.length).toBeLessThan(sql.gold.customers);
  server = await startScrmServer(path);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(role: Role): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  await context.addCookies([{ name: 'scrm_session', value: TEST_TOKENS[role], url: server.url }]);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`[${role}] ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`[${role}] ${e.message}`));
  return page;
}

const number = (text: string) => Number(text.replace(/[€,%\s]/g, ''));

describe('Segments overview', () => {
  let page: Page;
  beforeAll(async () => {
    page = await signedIn('marketing');
    await page.goto(`${server.url}segments`);
    await page.locator('[data-testid="rfm-grid"]').waitFor({ timeout: 20_000 });
  });

  it('draws the R×F heat map with the customers SQL counts in every cell', async () => {
    expect(sql.cells.length).toBeGreaterThan(10);
    for (const { r, f, n } of sql.cells) {
      const cell = page.locator(`[data-testid="rfm-cell-R${r}F${f}"] [data-testid="rfm-cell-customers"]`);
      expect(number(await cell.innerText()), `R${r}F${f}`).toBe(n);
    }
    expect(await page.locator('[data-testid^="rfm-cell-R"]').count()).toBe(sql.cells.length);
    // A cell links to its RFM segment.
    expect(await page.locator('[data-testid="rfm-cell-R5F5"] a').getAttribute('href')).toBe('/segments/rfm-champions');
  });

  it('lists purchase-frequency segments and CLV tiers with their counts', async () => {
    for (const [id, n] of sql.lists) {
      const shown = await page.locator(`[data-testid="segment-row-${id}"] [data-testid="segment-customers"]`).innerText();
      expect(number(shown), id).toBe(n);
    }
    expect(await page.locator('[data-testid="segment-list-frequency"] tbody tr').count()).toBe(6);
    expect(await page.locator('[data-testid="segment-list-clv_tier"] tbody tr').count()).toBe(4);
  });

  it('has no serious or critical accessibility violation (light and dark)', async () => {
    expect(await checkBothThemes(page, 'segments')).toEqual({ light: [], dark: [] });
  });

  it('fits a tablet width without scrolling the page sideways', async () => {
    expect(await tabletOverflow(page, 'segments')).toBeLessThanOrEqual(0);
  });
});

describe('Segment detail', () => {
  let page: Page;
  const kpi = async (name: string) => number(await page.locator(`[data-testid="segment-${name}"] [data-testid="kpi-value"]`).innerText());
  beforeAll(async () => {
    page = await signedIn('marketing');
    await page.goto(`${server.url}segments`);
    await page.locator('[data-testid="segment-row-tier-gold"] a').click();
    await page.waitForURL('**/segments/tier-gold');
    await page.locator('[data-testid="customer-row"]').first().waitFor({ timeout: 20_000 });
  });

  it('shows the size, consented size and revenue SQL gives, and pages through the members', async () => {
    expect(await kpi('customers')).toBe(sql.gold.customers);
    expect(await kpi('consented')).toBe(sql.gold.consented.length);
    expect(await kpi('revenue')).toBe(Math.round(sql.gold.revenue));
    expect(number(await page.locator('[data-testid="pager-total"]').innerText())).toBe(sql.gold.customers);
    expect(await page.locator('[data-testid="customer-row"]').count()).toBe(Math.min(50, sql.gold.customers));
    const first = await page.locator('[data-testid="customer-link"]').first().innerText();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await page.waitForFunction((id) => document.querySelector('[data-testid="customer-link"]')?.textContent !== id && !document.querySelector('table[aria-busy="true"]'), first);
    expect(await page.locator('[data-testid="pager-range"]').innerText()).toMatch(/^51–/);
  });

  it('states the consent rule next to the Export button', async () => {
    const rule = await page.locator('[data-testid="consent-rule"]').innerText();
    expect(rule).toMatch(/only customers who consented to marketing are exported/i);
    expect(rule).toContain(`${sql.gold.consented.length.toLocaleString('en-US')} of ${sql.gold.customers.toLocaleString('en-US')}`);
  });

  it('exports CSV: the downloaded file holds exactly the consented members', async () => {
    await page.getByRole('button', { name: 'Export' }).click();
    expect(await page.getByRole('button', { name: 'Export' }).getAttribute('aria-expanded')).toBe('true');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-csv"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^segment-tier-gold-.*\.csv$/);
    const file = await download.path();
    const lines = readFileSync(file, 'utf8').split('\r\n').filter((l) => l !== '');
    expect(lines[0].split(',')[0]).toBe('customer_id');
    const ids = lines.slice(1).map((l) => l.split(',')[0]).sort();
    expect(ids).toHaveLength(sql.gold.consented.length);
    expect(ids).toEqual(sql.gold.consented);
  });

  it('offers XLSX and Parquet too, each downloading a file', async () => {
    for (const format of ['xlsx', 'parquet']) {
      await page.getByRole('button', { name: 'Export' }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="export-${format}"]`).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${format}$`));
      expect(readFileSync(await download.path()).length).toBeGreaterThan(100);
    }
  });

  it('closes the Export menu with Escape and gives focus back to the button', async () => {
    const button = page.getByRole('button', { name: 'Export' });
    await button.click();
    await page.locator('#export-menu').waitFor();
    await page.keyboard.press('Escape');
    expect(await page.locator('#export-menu').count()).toBe(0);
    expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);
  });

  it('has no serious or critical accessibility violation (light and dark), menu open too', async () => {
    expect(await checkBothThemes(page, 'segment-detail')).toEqual({ light: [], dark: [] });
    await page.getByRole('button', { name: 'Export' }).click();
    expect(await checkBothThemes(page, 'segment-detail-export-menu')).toEqual({ light: [], dark: [] });
    await page.keyboard.press('Escape');
  });

  it('fits a tablet width without scrolling the page sideways', async () => {
    expect(await tabletOverflow(page, 'segment-detail')).toBeLessThanOrEqual(0);
  });
});

describe('Segments for other roles', () => {
  it('an analyst sees members but no Export button', async () => {
    const page = await signedIn('analyst');
    await page.goto(`${server.url}segments/tier-gold`);
    await page.locator('[data-testid="customer-row"]').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="export-button"]').count()).toBe(0);
  });

  it('an executive sees the heat map and a segment’s figures, and a role notice instead of the members', async () => {
    const page = await signedIn('executive');
    await page.goto(`${server.url}segments`);
    await page.locator('[data-testid="rfm-grid"]').waitFor({ timeout: 20_000 });
    await page.goto(`${server.url}segments/tier-gold`);
    await page.locator('[data-testid="role-notice"]').waitFor({ timeout: 20_000 });
    expect(number(await page.locator('[data-testid="segment-customers"] [data-testid="kpi-value"]').innerText())).toBe(sql.gold.customers);
    expect(await page.locator('[data-testid="export-button"]').count()).toBe(0);
    expect(await page.locator('[data-testid="error-state"]').count()).toBe(0);
    expect(await checkBothThemes(page, 'segment-detail-executive')).toEqual({ light: [], dark: [] });
  });
});

describe('the browser console', () => {
  it('logs no errors on any of these pages', () => {
    expect(consoleErrors).toEqual([]);
  });
});
