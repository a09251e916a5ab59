// Screenshots of every studio view at 1280×800 in light and dark, for looking at the design and
// as test artifacts: `node dist/scripts/screenshots.js http://127.0.0.1:7860 e2e-artifacts/ui`.
// Uses Debian Chromium (never downloads a browser).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';

const base = (process.argv[2] ?? 'http://127.0.0.1:7860').replace(/\/$/, '');
const outDir = process.argv[3] ?? 'e2e-artifacts/ui';

async function firstId(page: Page, method: string, input: unknown, pick: (v: unknown) => string | undefined): Promise<string | undefined> {
  return page.evaluate(async ({ method, input }) => {
    const r = await fetch(`api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const j = (await r.json()) as { ok: boolean; value?: unknown };
    return j.ok ? j.value : undefined;
  }, { method, input }).then(pick).catch(() => undefined);
}

async function main() {
  await mkdir(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const written: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme, deviceScaleFactor: 1 });
    // runs in the page: localStorage is the browser's, typed here without the DOM lib
    await context.addInitScript((t) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('gan-studio.theme', t), theme);
    const page = await context.newPage();
    await page.goto(`${base}/#/datasets`);
    await page.waitForSelector('[data-testid="app-root"]');
    const datasetId = await firstId(page, 'datasets:list', {}, (v) => (v as Array<{ id: string }> | undefined)?.[0]?.id);
    const runId = await firstId(page, 'runs:list', {}, (v) => (v as Array<{ id: string }> | undefined)?.[0]?.id);
    const itemId = await firstId(page, 'gallery:list', {}, (v) => (v as { items: Array<{ id: string }> } | undefined)?.items?.[0]?.id);
    // the newest model comparison, found through its outputs' gallery paths (gallery/compare/<id>/…)
    const compareId = await firstId(page, 'gallery:list', { kind: 'upscale' }, (v) => (v as { items: Array<{ path: string }> } | undefined)?.items?.map((i) => /^gallery\/compare\/([^/]+)\//.exec(i.path)?.[1]).find(Boolean));
    const views: Array<[string, string]> = [
      ['datasets', '#/datasets'],
      ...(datasetId ? [['dataset-page', `#/datasets/${datasetId}`] as [string, string]] : []),
      ['train', '#/train'],
      ...(runId ? [['run-page', `#/runs/${runId}`] as [string, string]] : []),
      ['gallery', '#/gallery'],
      ...(itemId ? [['gallery-detail', `#/gallery/${itemId}`] as [string, string]] : []),
      ['gallery-latent', '#/gallery?tab=latent'],
      ['gallery-compare', '#/gallery?tab=compare'],
      ['gallery-compare-models', compareId ? `#/gallery?tab=compare&compare=${compareId}` : '#/gallery?tab=compare&mode=models'],
      ['batch', '#/batch'],
      ['models', '#/models'],
      ['system', '#/system'],
    ];
    for (const [name, hash] of views) {
      await page.goto(`${base}/${hash}`);
      await page.waitForSelector('[data-testid="app-root"]');
      await page.waitForTimeout(1200); // let lists, thumbnails and charts settle; screenshots only
      const file = join(outDir, `${name}-${theme}.png`);
      await page.screenshot({ path: file });
      written.push(file);
    }
    await page.goto(`${base}/#/train`);
    await page.waitForSelector('[data-testid="app-root"]');
    await page.keyboard.press('?');
    await page.waitForTimeout(400);
    const file = join(outDir, `shortcuts-${theme}.png`);
    await page.screenshot({ path: file });
    written.push(file);
    await context.close();
  }
  await browser.close();
  console.log(written.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
