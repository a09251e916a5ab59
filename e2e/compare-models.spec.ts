// Gallery → Compare → Two models: an image dropped on the page (uploaded in browser mode), two
// pretrained ESRGANs, both outputs side by side with one zoom, then the slider; the outputs are
// in the gallery with the input as their "before".
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { join } from 'node:path';
import type { GalleryItem, Paged } from '../src/contract/index.js';
import { Shots } from './artifacts.js';
import { DatasetsPage, dropItemsFromPaths } from './pages/datasets-page.js';
import { callApi, studioPerFile } from './studio.js';

const studio = studioPerFile();

test('two pretrained ESRGANs on one dropped image: side by side with one zoom, then the slider', async ({ page }) => {
  const s = studio.get();
  const shots = new Shots('compare-models');
  const input = join(s.scratch, 'tile.png');
  // a small picture with edges, so the two upscales differ visibly
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="24"><rect width="32" height="24" fill="#2a6"/><circle cx="12" cy="12" r="7" fill="#fd3"/><rect x="20" y="4" width="8" height="16" fill="#236"/></svg>';
  await sharp(Buffer.from(svg)).png().toFile(input);

  await page.goto(`${s.url}/#/gallery?tab=compare&mode=models`);
  const view = page.getByTestId('compare-models');
  await expect(view).toBeVisible();
  await page.getByTestId('compare-model-a').selectOption('esrgan-slim-x2');
  await page.getByTestId('compare-model-b').selectOption('esrgan-medium-x2');
  await new DatasetsPage(page).drop(dropItemsFromPaths([input]), 'compare-drop');
  await expect(page.getByTestId('compare-input')).toContainText('tile.png');
  await page.getByTestId('compare-models-run').click();

  const paneA = page.getByTestId('compare-pane-a');
  const paneB = page.getByTestId('compare-pane-b');
  await expect(paneA).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('compare-stat-a')).toContainText('64×48');
  await expect(page.getByTestId('compare-stat-b')).toContainText('64×48');
  await expect(page.getByTestId('compare-download')).toBeVisible();
  // super-resolution: each output's faithfulness to the input (PSNR / SSIM when scaled back down)
  await expect(page.getByTestId('compare-stat-a')).toContainText(/dB · SSIM 0\.\d{3} vs input/);

  // one zoom for both panes
  await paneA.focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await expect(paneA).toHaveAttribute('data-scale', '1.56');
  await expect(paneB).toHaveAttribute('data-scale', '1.56');
  await shots.take(page, 'side-by-side');

  await page.getByTestId('compare-view').getByRole('radio', { name: 'Slider' }).click();
  await expect(page.getByTestId('compare-slider')).toBeVisible();
  await shots.take(page, 'slider');

  const upscales = await callApi<Paged<GalleryItem>>(s, 'gallery:list', { kind: 'upscale' });
  expect(upscales.items.map((i) => i.model).sort()).toEqual(['esrgan-medium-x2', 'esrgan-slim-x2']);
  expect(upscales.items.every((i) => i.beforePath?.endsWith('/input/tile.png'))).toBe(true);
});
