// The dataset page's virtualised grid at 10,000 images: the DOM holds only what is in view, the
// last image's tile loads after a jump to the end, and fast scrolling raises no errors. The
// 10,000 images are the whole bundled MNIST sample (28×28 PNGs made in the server: no files here).
import { expect, test } from '@playwright/test';
import type { DatasetImage, DatasetSummary, Paged } from '../src/contract/index.js';
import { Shots } from './artifacts.js';
import { DatasetsPage } from './pages/datasets-page.js';
import { callApi, studioPerFile } from './studio.js';

const studio = studioPerFile();
const COUNT = 10_000;
/** a 1280×800 window shows ~8 rows of ~10 tiles; with overscan a few hundred cells at most */
const MAX_CELLS = 300;

test('the dataset grid stays bounded and responsive at 10,000 images', async ({ page }) => {
  test.setTimeout(240_000);
  const s = studio.get();
  const shots = new Shots('dataset-grid');
  await callApi(s, 'datasets:importSample', { sample: 'mnist', limit: COUNT });
  await expect.poll(async () => (await callApi<DatasetSummary[]>(s, 'datasets:list'))[0]?.imageCount ?? 0, { timeout: 120_000, message: 'the 10,000-image import' }).toBe(COUNT);
  const [dataset] = await callApi<DatasetSummary[]>(s, 'datasets:list');
  const last = (await callApi<Paged<DatasetImage>>(s, 'datasets:images', { id: dataset!.id, offset: COUNT - 1, limit: 1 })).items[0]!;

  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const listRequests: number[] = [];
  const imageRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/datasets:images')) listRequests.push(Date.now());
    if (r.resourceType() === 'image') imageRequests.push(r.url());
  });

  await page.goto(`${s.url}/#/datasets/${dataset!.id}`);
  const ui = new DatasetsPage(page);
  const grid = ui.grid();
  await expect(grid).toHaveAttribute('data-count', String(COUNT));
  await expect(ui.images().first()).toBeVisible();
  const cells = grid.getByRole('listitem');
  expect(await cells.count()).toBeLessThan(MAX_CELLS);
  await shots.take(page, 'top');

  // jump to the end: the last image's tile appears with its thumbnail decoded
  const requestsBefore = listRequests.length;
  const jumped = Date.now();
  await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const lastTile = page.locator(`[data-testid="dataset-image"][title="${last.originalName}"]`);
  await expect(lastTile).toBeVisible({ timeout: 30_000 });
  test.info().annotations.push({ type: 'jump to the end', description: `last tile in ${Date.now() - jumped} ms` });
  // the page in view is fetched, not every page between the top and the end
  expect(listRequests.length - requestsBefore).toBeLessThanOrEqual(2);
  await expect.poll(() => lastTile.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { message: 'the last thumbnail loads' }).toBe(true);
  expect(await cells.count()).toBeLessThan(MAX_CELLS);
  await shots.take(page, 'end');

  // fling through the whole list: one position per frame, like a fast trackpad
  const imagesBeforeFling = imageRequests.length;
  const frames = await grid.evaluate(async (el) => {
    const started = performance.now();
    let frames = 0;
    for (let i = 0; i <= 60; i++) {
      el.scrollTop = ((i % 2 ? i : 60 - i) / 60) * (el.scrollHeight - el.clientHeight);
      await new Promise((r) => requestAnimationFrame(r));
      frames++;
    }
    return { frames, ms: performance.now() - started };
  });
  test.info().annotations.push({ type: 'fling', description: `${frames.frames} frames in ${Math.round(frames.ms)} ms, ${imageRequests.length - imagesBeforeFling} thumbnails requested` });
  expect(await cells.count()).toBeLessThan(MAX_CELLS);

  // wherever it stopped, real tiles (not placeholders) fill the view
  await expect.poll(async () => grid.getByTestId('dataset-image').count(), { message: 'tiles in view after the fling' }).toBeGreaterThan(20);
  await shots.take(page, 'after-fling');
  expect(errors).toEqual([]);
  // pages of 1,000 are fetched on demand (at most the ten there are), not one request per tile
  expect(listRequests.length).toBeLessThanOrEqual(10);
  test.info().annotations.push({ type: 'list requests', description: String(listRequests.length) });
});
