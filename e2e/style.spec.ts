// Flow 5 in a browser: two small emoji sets (Google vs Twitter style) imported by drops, the tiny
// CycleGAN trained on them, then a folder with sub-folders stylized through Batch: the outputs
// keep the folder tree (in the workspace export folder and in the zip).
import { expect, test } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { Shots } from './artifacts.js';
import { copyEmoji, emojiPaths } from './data/emoji.js';
import { listZip } from './data/read-zip.js';
import { dropItemsFromPaths } from './pages/datasets-page.js';
import { StudioPage } from './pages/studio-page.js';
import { studioPerFile } from './studio.js';

const studio = studioPerFile();
const shots = new Shots('style');

test('5 · tiny CycleGAN on Google vs Twitter emoji, then a folder stylized through Batch keeps its tree', async ({ page }) => {
  const ui = new StudioPage(page);
  const { datasets, train, run, batch } = ui;
  await ui.open(studio.get().url);
  await ui.go('datasets');
  copyEmoji(join(studio.get().scratch, 'twitter-16'), 'twitter', 16, 300);

  // one set dropped as files, the other chosen as a folder (Folder… keeps the folder's name)
  const ids: string[] = [];
  for (const style of ['google', 'twitter'] as const) {
    if (style === 'google') await datasets.drop(dropItemsFromPaths(emojiPaths(style, 16, 300)));
    else await datasets.chooseFolder(join(studio.get().scratch, 'twitter-16'));
    const id = await datasets.reportDatasetId();
    await expect(datasets.report().getByTestId('import-accepted')).toHaveText('16');
    if (style === 'twitter') await expect(datasets.card(id)).toContainText('twitter-16');
    ids.push(id);
    await page.getByRole('button', { name: 'Dismiss report' }).click();
    await expect(datasets.report()).toHaveCount(0);
  }
  await expect(datasets.cards()).toHaveCount(2);
  await shots.take(page, 'two-datasets');

  await ui.go('train');
  const runId = await train.startRun({ task: 'cyclegan', datasetA: ids[0], datasetB: ids[1], model: 'cyclegan', preset: 'tiny', name: 'e2e emoji style' });
  await run.expectState('done', 150_000);
  await expect(run.sampleImage()).toBeVisible();
  await expect(run.checkpointRows().first()).toBeVisible();
  await shots.take(page, 'cyclegan-done');

  // a folder with sub-folders: in/ a.png, faces/b.png, faces/more/c.png, flags/d.png
  const root = join(studio.get().scratch, 'in');
  copyEmoji(root, 'google', 1, 400);
  copyEmoji(join(root, 'faces'), 'google', 1, 401);
  copyEmoji(join(root, 'faces', 'more'), 'google', 1, 402);
  copyEmoji(join(root, 'flags'), 'google', 1, 403);
  const tree = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.png')).sort();
  expect(tree).toHaveLength(4);

  await ui.go('batch');
  await batch.task('cyclegan');
  await batch.model(runId);
  await batch.addFolder(root);
  await expect(batch.inputs()).toHaveCount(1);
  await shots.take(page, 'stylize-form');
  await batch.startButton().click();
  const job = await batch.newestJob();
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(job.getByTestId('job-count')).toContainText('4 of 4');
  const jobId = (await job.getAttribute('data-job-id'))!;
  await shots.take(page, 'stylize-done');

  // the export folder mirrors the dropped tree under the dropped folder's name
  const exportDir = join(studio.get().workspace, 'exports', jobId);
  const outputs = readdirSync(exportDir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.png')).sort();
  expect(outputs).toEqual(tree.map((n) => join('in', n)));
  for (const name of outputs) {
    const meta = await sharp(join(exportDir, name)).metadata();
    expect([meta.width, meta.height], name).toEqual([64, 64]);
  }

  const downloadPromise = page.waitForEvent('download');
  await job.getByTestId('batch-download-zip').click();
  const download = await downloadPromise;
  const zipPath = join(shots.dir, download.suggestedFilename());
  await download.saveAs(zipPath);
  expect((await listZip(zipPath)).map((e) => e.name).sort()).toEqual(outputs.map((n) => n.split('\\').join('/')));

  await ui.go('gallery');
  await ui.gallery.filterKind('translation');
  await expect(ui.gallery.items('translation')).toHaveCount(4);
  await ui.gallery.items('translation').first().click();
  await expect(ui.gallery.beforeAfter()).toBeVisible();
  await shots.take(page, 'translation-before-after');
});
