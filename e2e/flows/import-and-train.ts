// Flows 1 and 2 as functions, so the browser spec and the Electron spec run the same steps and
// differ only in how files reach the app (a browser drop uploads; Electron hands over paths).
import { expect } from '@playwright/test';
import type { Shots } from '../artifacts.js';
import { badFiles } from '../data/emoji.js';
import type { StudioPage } from '../pages/studio-page.js';

/**
 * Flow 1: 64 emoji plus 3 broken files arrive (by `deliver`) → the report accepts 64 and lists
 * the 3 with their reasons → the dataset holds 64 images. Returns the dataset id.
 */
export async function importEmojiWithBadFiles(studio: StudioPage, shots: Shots, deliver: () => Promise<void>): Promise<string> {
  const { page, datasets } = studio;
  await studio.go('datasets');
  await expect(page.getByTestId('sample-data')).toBeVisible(); // empty workspace: the sample-data empty state
  await shots.take(page, 'datasets-empty');

  await deliver();
  const datasetId = await datasets.reportDatasetId();
  const report = datasets.report();
  await expect(report.getByTestId('import-accepted')).toHaveText('64');
  await expect(report.getByTestId('import-rejected-count')).toHaveText('3');
  const rows = datasets.rejectedRows();
  await expect(rows).toHaveCount(3);
  for (const bad of badFiles()) {
    const row = rows.filter({ hasText: bad.name });
    await expect(row, `${bad.name} is listed with its reason`).toHaveAttribute('data-code', bad.code);
    await expect(row).toContainText(bad.code);
  }
  await shots.take(page, 'import-report');

  await expect(datasets.card(datasetId)).toBeVisible();
  await datasets.card(datasetId).click();
  await expect(datasets.datasetPage()).toHaveAttribute('data-dataset-id', datasetId);
  // train + validation images: the grid pages over all of them
  await expect(datasets.grid()).toHaveAttribute('data-count', '64');
  await expect(datasets.images().first()).toBeVisible();
  await shots.take(page, 'dataset-page');
  return datasetId;
}

/**
 * Flow 2: train the tiny DCGAN → the loss chart fills and a sample grid appears; pause (a
 * checkpoint is listed), resume (steps advance), stop → the run is listed with its checkpoint.
 * `steps` is large so the run is still going while the test pauses and resumes it.
 */
export async function trainTinyDcgan(studio: StudioPage, shots: Shots, datasetId: string, steps = 100_000): Promise<string> {
  const { page, train, run } = studio;
  await studio.go('train');
  const runId = await train.startRun({ task: 'generate', datasetId, model: 'dcgan', preset: 'tiny', steps, name: 'e2e tiny dcgan' });
  await run.expectState('running');
  await run.waitForChartPoints(1);
  await expect(run.sampleImage()).toBeVisible({ timeout: 60_000 });
  const before = await run.chartPoints();
  await run.waitForChartPoints(before); // the chart keeps updating live
  await shots.take(page, 'training');

  await run.pauseButton().click();
  await run.expectState('paused');
  await expect(run.checkpointRows().first()).toBeVisible();
  const pausedAt = await run.step();
  expect(pausedAt).toBeGreaterThan(0);
  await shots.take(page, 'paused');

  await run.resumeButton().click();
  await run.expectState('running');
  await expect.poll(() => run.step(), { timeout: 60_000, message: 'training continues after resume' }).toBeGreaterThan(pausedAt);
  await shots.take(page, 'resumed');

  await run.stopButton().click();
  await run.expectState('cancelled');
  await expect(run.checkpointRows().first()).toBeVisible();
  await expect(run.checkpointRows().filter({ hasText: 'latest' })).toHaveCount(1);
  await shots.take(page, 'stopped');

  await studio.go('train');
  const row = train.runRow(runId);
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-state', 'cancelled');
  await shots.take(page, 'run-list');
  await row.getByRole('link').click();
  await expect(run.root()).toHaveAttribute('data-run-id', runId);
  await expect(run.checkpointRows().filter({ hasText: 'latest' })).toHaveCount(1);
  return runId;
}
