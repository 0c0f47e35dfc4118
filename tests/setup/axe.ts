import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource: string = (require('axe-core') as { source: string }).source;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page (WCAG 2 A/AA rules) and answers its serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n: any) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * The page in the light and in the dark theme (prefers-color-scheme): the serious and critical axe violations of
 * each; with DASH_SHOTS=<dir> a full-page screenshot of each is saved there as `<name>-light.png` / `-dark.png`.
 */
export async function checkBothThemes(page: Page, name: string): Promise<Record<'light' | 'dark', AxeViolation[]>> {
  const out = {} as Record<'light' | 'dark', AxeViolation[]>;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    out[scheme] = await seriousViolations(page);
    const dir = process.env.DASH_SHOTS;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      await page.evaluate(() => window.scrollTo(0, 0)); // a full-page shot of a scrolled page draws the sticky top bar mid-page
      await page.screenshot({ path: join(dir, `${name}-${scheme}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return out;
}

/**
 * At a tablet width (768 px) the page must not scroll sideways (wide tables scroll inside their own region); with
 * DASH_SHOTS a screenshot `<name>-tablet.png` is saved. Answers document.scrollWidth − viewport width.
 */
export async function tabletOverflow(page: Page, name: string): Promise<number> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.waitForTimeout(100);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const dir = process.env.DASH_SHOTS;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(dir, `${name}-tablet.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
  return overflow;
}
