// Accessibility and languages over every view: axe (WCAG 2.1 A/AA) in English and 简体中文, light
// and dark, with no serious or critical violation; the language follows the browser and switches
// in Settings without a reload (remembered by the workspace); keyboard focus is visible; the
// Chinese screens are written to e2e-artifacts/i18n/ to be looked at (and two go in the README).
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS } from './artifacts.js';
import { callApi, studioPerFile, type Studio } from './studio.js';

const studio = studioPerFile();
const SHOTS = join(ARTIFACTS, 'i18n');

interface Ids {
  datasetId: string;
  runId: string;
  itemId: string;
}
let ids: Ids;

async function settle(s: Studio, jobId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 600; i++) {
    const job = await callApi<{ state: string; result: Record<string, unknown> | null; error: unknown }>(s, 'jobs:get', { id: jobId });
    if (['done', 'failed', 'cancelled', 'interrupted'].includes(job.state)) {
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      return job.result ?? {};
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`job ${jobId} did not finish`);
}

function views({ datasetId, runId, itemId }: Ids): Array<[string, string]> {
  return [
    ['datasets', '#/datasets'],
    ['dataset-page', `#/datasets/${datasetId}`],
    ['train', '#/train'],
    ['run-page', `#/runs/${runId}`],
    ['gallery', '#/gallery'],
    ['gallery-detail', `#/gallery/${itemId}`],
    ['gallery-latent', '#/gallery?tab=latent'],
    ['gallery-compare', '#/gallery?tab=compare'],
    ['gallery-compare-models', '#/gallery?tab=compare&mode=models'],
    ['batch', '#/batch'],
    ['models', '#/models'],
    ['system', '#/system'],
  ];
}

async function open(browser: Browser, locale: 'en-US' | 'zh-CN', theme: 'light' | 'dark'): Promise<Page> {
  const context = await browser.newContext({ locale, colorScheme: theme, viewport: { width: 1280, height: 800 } });
  await context.addInitScript((t) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('gan-studio.theme', t), theme);
  return context.newPage();
}

async function show(page: Page, hash: string): Promise<void> {
  await page.goto(`${studio.get().url}/${hash}`);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online');
  await page.waitForTimeout(700); // lists, thumbnails and the chart settle (polling never lets the network idle)
}

/** serious and critical violations only, as "rule: target" lines that say where */
async function violations(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.slice(0, 3).map((n) => `${where} · ${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`));
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const s = studio.get();
  const { jobId: importJob } = await callApi<{ jobId: string }>(s, 'datasets:importSample', { sample: 'mnist', limit: 64 });
  const datasetId = String((await settle(s, importJob)).datasetId);
  const { runId, jobId } = await callApi<{ runId: string; jobId: string }>(s, 'runs:start', { spec: { task: 'generate', model: 'dcgan', preset: 'tiny', datasetId, steps: 40 }, name: 'a11y tiny dcgan' });
  await settle(s, jobId);
  const gallery = await callApi<{ items: Array<{ id: string }> }>(s, 'gallery:list', { limit: 1 });
  ids = { datasetId, runId, itemId: gallery.items[0]!.id };
});

test('the language follows the browser, switches in Settings without a reload, and the workspace remembers it', async ({ browser }) => {
  const page = await open(browser, 'en-US', 'light');
  await show(page, '#/system');
  await expect(page.getByTestId('nav-datasets')).toContainText('Datasets');
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await page.getByTestId('language-choice-zh-CN').click();
  await expect(page.getByTestId('nav-datasets')).toContainText('数据集');
  await expect(page.getByTestId('page-title')).toHaveText('系统');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42); // same page: no reload
  await expect.poll(() => callApi<{ language: string }>(studio.get(), 'settings:get', {})).toEqual({ language: 'zh-CN' });

  // a second browser in English opens the workspace in Chinese; back to automatic, it follows the browser
  const other = await open(browser, 'en-US', 'dark');
  await show(other, '#/datasets');
  await expect(other.getByTestId('page-title')).toHaveText('数据集');
  await page.getByTestId('language-choice-auto').click();
  await expect(page.getByTestId('page-title')).toHaveText('System');
  await expect.poll(() => callApi<{ language: string }>(studio.get(), 'settings:get', {})).toEqual({ language: 'auto' });
  await page.context().close();
  await other.context().close();
});

for (const locale of ['en-US', 'zh-CN'] as const) {
  for (const theme of ['light', 'dark'] as const) {
    test(`every view passes axe in ${locale}, ${theme}`, async ({ browser }) => {
      // axe's colour-contrast pass is the slow part: seconds per view on an idle machine
      test.setTimeout(420_000);
      const found: string[] = [];
      const page = await open(browser, locale, theme);
      for (const [name, hash] of views(ids)) {
        await show(page, hash);
        if (locale === 'zh-CN') {
          await expect(page.getByTestId('nav-datasets')).toContainText('数据集');
          mkdirSync(SHOTS, { recursive: true });
          await page.screenshot({ path: join(SHOTS, `${name}-${theme}.png`) });
        }
        found.push(...(await violations(page, `${locale} ${theme} ${name}`)));
      }
      // the shortcuts overlay (a modal dialog)
      await show(page, '#/train');
      await page.keyboard.press('?');
      await expect(page.getByTestId('shortcuts-overlay')).toBeVisible();
      if (locale === 'zh-CN') await page.screenshot({ path: join(SHOTS, `shortcuts-${theme}.png`) });
      found.push(...(await violations(page, `${locale} ${theme} shortcuts`)));
      await page.context().close();
      expect(found).toEqual([]);
    });
  }
}

test('every action is reachable by keyboard, with a visible focus ring', async ({ browser }) => {
  const page = await open(browser, 'en-US', 'light');
  await show(page, `#/runs/${ids.runId}`);
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring = style.boxShadow !== 'none' || (style.outlineStyle !== 'none' && style.outlineWidth !== '0px');
      return { id: el.dataset.testid ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? el.tagName, ring };
    });
    if (!focus) continue;
    expect(focus.ring, `no visible focus ring on ${focus.id}`).toBe(true);
    seen.add(focus.id);
  }
  // the run page's actions and the navigation are all on the tab path
  for (const id of ['nav-datasets', 'nav-system', 'theme-toggle', 'run-again', 'run-log', 'run-trash', 'chart-series', 'sample-scrubber']) expect([...seen]).toContain(id);
  await page.context().close();
});
