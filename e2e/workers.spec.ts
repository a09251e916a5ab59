// Batches on workers from the browser: a real redis-server and one `gan-studio worker`; the
// queue is set in System → Workers (which then shows the live worker), and the Batch view's
// "Run on" choice sends 3 emoji to the worker. Screens: e2e-artifacts/workers/.
import { expect, test } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Shots } from './artifacts.js';
import { copyEmoji } from './data/emoji.js';
import { StudioPage } from './pages/studio-page.js';
import { studioPerFile } from './studio.js';
import { startTestRedis, type TestRedis } from '../src/jobs/queue/testing/redis-server.js';
import { startTestWorker, type TestWorker } from '../src/jobs/queue/testing/worker-process.js';

const studio = studioPerFile();
const shots = new Shots('workers');
let redis: TestRedis;
let worker: TestWorker;

test.beforeAll(async () => {
  redis = await startTestRedis();
  worker = startTestWorker(redis.url);
  await worker.waitFor((e) => e.event === 'ready');
});

test.afterAll(async () => {
  await worker?.stop();
  await redis?.stop();
});

test('Run on workers: the queue set in System, the live worker shown, a batch done by the worker', async ({ page }) => {
  const inputs = copyEmoji(join(studio.get().scratch, 'in'), 'google', 3, 64);
  const ui = new StudioPage(page);
  await ui.open(studio.get().url);

  await ui.go('system');
  const panel = page.getByTestId('workers-settings');
  await panel.getByTestId('queue-url').fill(redis.url);
  await panel.getByTestId('queue-save').click();
  await expect(panel.getByTestId('queue-workers')).toHaveText('1 live worker');
  await panel.scrollIntoViewIfNeeded();
  await shots.take(page, 'system-workers');

  const { batch } = ui;
  await ui.go('batch');
  await batch.task('superres');
  await batch.model('esrgan-slim-x2');
  await batch.addFiles(inputs);
  const where = page.getByTestId('batch-where');
  await where.getByText('Workers (1)').click();
  await expect(page.getByText('1 worker is live on the queue.')).toBeVisible();
  await shots.take(page, 'batch-run-on-workers');
  await batch.startButton().click();

  const job = await batch.newestJob();
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(job.getByTestId('job-count')).toContainText('3 of 3');
  await shots.take(page, 'batch-done-on-workers');
  const jobId = (await job.getAttribute('data-job-id'))!;
  // the worker did the items, and the outputs are in the workspace's exports/<job>/ folder
  expect(worker.events.filter((e) => e.event === 'item' && e.batch === jobId && e.outcome === 'ok')).toHaveLength(3);
  expect(readdirSync(join(studio.get().workspace, 'exports', jobId)).filter((n) => n.endsWith('.png'))).toHaveLength(3);
});
