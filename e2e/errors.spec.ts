// Flow 6 in a browser: the error paths people hit. A zip with a `../evil.png` entry is refused
// with a clear message and imports nothing; an engine killed mid-training leaves the run
// *interrupted*, and Resume continues from its last checkpoint rather than from step 0.
import { expect, test } from '@playwright/test';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JobEvent } from '../src/contract/events.js';
import type { CheckpointInfo, DatasetSummary } from '../src/contract/index.js';
import { Shots } from './artifacts.js';
import { emojiPaths } from './data/emoji.js';
import { writeTraversalZip } from './data/zip.js';
import { dropItemsFromPaths } from './pages/datasets-page.js';
import { StudioPage } from './pages/studio-page.js';
import { callApi, enginePids, studioPerFile } from './studio.js';

const studio = studioPerFile();
const shots = new Shots('errors');

test('6a · a zip with a traversal entry shows a clear error and imports nothing', async ({ page }) => {
  const dir = studio.get().scratch;
  const zipPath = join(dir, 'sneaky.zip');
  await writeTraversalZip(zipPath, emojiPaths('google', 1, 50)[0]!);
  const ui = new StudioPage(page);
  const { datasets } = ui;
  await ui.open(studio.get().url);
  await ui.go('datasets');
  await datasets.drop(dropItemsFromPaths([zipPath]));

  const job = page.getByTestId('job-card').filter({ hasText: 'sneaky.zip' });
  await expect(job).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
  const error = job.getByTestId('job-error');
  await expect(error).toContainText('../evil.png');
  await expect(error).toContainText('was not imported because 1 of its 2 entries was refused');
  const toast = ui.toasts().filter({ hasText: 'failed' }).first();
  await expect(toast).toBeVisible();
  await shots.take(page, 'traversal-zip-refused');

  // nothing imported, nothing written outside the staging area
  await expect(datasets.cards()).toHaveCount(0);
  expect(await callApi<DatasetSummary[]>(studio.get(), 'datasets:list')).toEqual([]);
  const ws = studio.get().workspace;
  for (const where of [ws, dirname(ws), dir, join(ws, 'staging'), join(ws, 'staging', 'uploads')]) {
    expect(existsSync(join(where, 'evil.png')), `no evil.png in ${where}`).toBe(false);
  }
  const stray = readdirSync(ws, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('evil.png'));
  expect(stray).toEqual([]);
});

test('6b · killing the engine mid-training shows interrupted; Resume continues from the checkpoint', async ({ page }) => {
  const s = studio.get();
  // setup through the API: 64 MNIST digits from the bundled sample
  await callApi(s, 'datasets:importSample', { sample: 'mnist', limit: 64 });
  const ui = new StudioPage(page);
  const { train, run } = ui;
  // the job's own events, as the UI receives them: once armed (just before Resume), every step
  // reported after the job restarts must lie beyond the checkpoint it resumed from
  const steps: number[] = [];
  let armed = false;
  let restarted = false;
  page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => {
    if (!armed) return;
    let e: JobEvent;
    try {
      e = JSON.parse(String(payload)) as JobEvent;
    } catch {
      return;
    }
    if (e.type === 'started' || e.type === 'resumed') restarted = true;
    else if (restarted && e.type === 'progress' && e.progress.unit === 'step') steps.push(e.progress.done);
    else if (restarted && e.type === 'metrics') steps.push(e.step);
  }));
  await ui.open(s.url);
  await ui.go('datasets');
  await expect(ui.datasets.cards()).toHaveCount(1, { timeout: 60_000 });
  const [dataset] = await callApi<DatasetSummary[]>(s, 'datasets:list');
  expect(dataset?.name).toContain('mnist');

  await ui.go('train');
  const runId = await train.startRun({ task: 'generate', datasetId: dataset!.id, model: 'dcgan', preset: 'tiny', steps: 100_000, name: 'e2e crash' });
  await run.expectState('running');
  // wait for a checkpoint on disk (the tiny preset writes one every 20 steps)
  await expect.poll(async () => (await callApi<CheckpointInfo[]>(s, 'runs:checkpoints', { id: runId })).length, { timeout: 90_000, message: 'a first checkpoint' }).toBeGreaterThan(0);
  const pids = enginePids(s);
  expect(pids, 'one engine process runs the training').toHaveLength(1);
  process.kill(pids[0]!, 'SIGKILL');

  await run.expectState('interrupted');
  await expect(run.error()).toContainText('ENGINE_CRASHED');
  await expect(ui.toasts().filter({ hasText: 'was interrupted' })).toBeVisible();
  await expect(run.checkpointRows().first()).toBeVisible();
  const checkpoints = await callApi<CheckpointInfo[]>(s, 'runs:checkpoints', { id: runId });
  const resumeFrom = Math.max(...checkpoints.map((c) => c.step));
  expect(resumeFrom).toBeGreaterThan(0);
  await shots.take(page, 'interrupted');

  armed = true;
  await run.resumeButton().click();
  await run.expectState('running');
  await expect.poll(() => steps.length, { timeout: 60_000, message: 'progress after resume' }).toBeGreaterThan(2);
  expect(Math.min(...steps), `resumed from ${resumeFrom}, not from 0: ${steps.join(',')}`).toBeGreaterThan(resumeFrom);
  await expect.poll(() => run.step(), { timeout: 60_000 }).toBeGreaterThan(resumeFrom);
  await shots.take(page, 'resumed-after-crash');

  await run.stopButton().click();
  await run.expectState('cancelled');
});
