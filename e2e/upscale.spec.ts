// Flow 4 in a browser: batch-upscale 3 emoji with the pretrained esrgan-slim ×2. In browser mode
// the outputs land in the workspace's exports/<job>/ folder and download as one zip; the gallery
// shows each with a before/after slider.
import { expect, test } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { Shots } from './artifacts.js';
import { copyEmoji } from './data/emoji.js';
import { listZip } from './data/read-zip.js';
import { StudioPage } from './pages/studio-page.js';
import { studioPerFile } from './studio.js';

const studio = studioPerFile();
const shots = new Shots('upscale');

test('4 · batch-upscale 3 images with esrgan-slim: outputs in the export folder, a zip, a before/after slider', async ({ page }) => {
  const inputs = copyEmoji(join(studio.get().scratch, 'in'), 'twitter', 3, 200);
  const ui = new StudioPage(page);
  const { batch, gallery } = ui;
  await ui.open(studio.get().url);
  await ui.go('batch');
  await batch.task('superres');
  await batch.model('esrgan-slim-x2');
  await batch.scale(2);
  await batch.addFiles(inputs);
  await expect(batch.inputs().first()).toBeVisible();
  await expect(batch.startButton()).toBeEnabled();
  await shots.take(page, 'batch-form');
  await batch.startButton().click();

  const job = await batch.newestJob();
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(job.getByTestId('job-count')).toContainText('3 of 3');
  const jobId = (await job.getAttribute('data-job-id'))!;
  await shots.take(page, 'batch-done');

  // the report lists all three as ok
  await job.getByTestId('batch-report').click();
  const items = page.getByTestId('batch-report-dialog').getByTestId('batch-report-item');
  await expect(items).toHaveCount(3);
  await expect(page.getByTestId('batch-report-dialog').locator('[data-testid="batch-report-item"][data-status="ok"]')).toHaveCount(3);
  await shots.take(page, 'batch-report');
  await page.keyboard.press('Escape');

  // on disk: <workspace>/exports/<job>/ holds three 128×128 PNGs
  const exportDir = join(studio.get().workspace, 'exports', jobId);
  const outputs = readdirSync(exportDir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.png'));
  expect(outputs).toHaveLength(3);
  for (const name of outputs) {
    const meta = await sharp(join(exportDir, name)).metadata();
    expect([meta.width, meta.height], name).toEqual([128, 128]);
  }

  // downloadable as a zip with the same three files
  const downloadPromise = page.waitForEvent('download');
  await job.getByTestId('batch-download-zip').click();
  const download = await downloadPromise;
  const zipPath = join(shots.dir, download.suggestedFilename());
  await download.saveAs(zipPath);
  const entries = await listZip(zipPath);
  expect(entries.map((e) => e.name).sort()).toEqual([...outputs].sort());
  expect(entries.every((e) => e.size > 0)).toBe(true);

  // the gallery shows the upscales with a before/after slider
  await ui.go('gallery');
  await gallery.filterKind('upscale');
  await expect(gallery.items('upscale')).toHaveCount(3);
  await shots.take(page, 'gallery-upscales');
  await gallery.items('upscale').first().click();
  await expect(gallery.detail()).toBeVisible();
  const slider = gallery.beforeAfter();
  await expect(slider).toBeVisible();
  await expect(slider.locator('img')).toHaveCount(2);
  for (const img of await slider.locator('img').all()) {
    await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth), { message: 'both layers load' }).toBeGreaterThan(0);
  }
  await shots.take(page, 'before-after');
});
