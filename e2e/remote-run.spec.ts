// A run the CLI trains, in the workspace the studio serves: its owner (the CLI's engine) sends
// events only to its own terminal, so the browser follows it from the workspace. The run page
// must show the loss curve growing, the step moving, samples and checkpoints arriving while it trains,
// and Stop in the browser must stop the CLI's run.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { Shots } from './artifacts.js';
import { studioPerFile } from './studio.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin/gan-studio.js');
const studio = studioPerFile();

test('the run page follows a run the CLI trains: curve, step and samples live, Stop works', async ({ page }) => {
  const shots = new Shots('remote-run');
  const { workspace } = studio.get();
  const imported = execFileSync(process.execPath, [CLI, 'import', '--sample', 'mnist', '--limit', '64', '--json', '--workspace', workspace], { encoding: 'utf8' });
  const datasetId = (JSON.parse(imported.trim().split('\n').pop()!) as { report: { datasetId: string } }).report.datasetId;

  const train = spawn(process.execPath, [CLI, 'train', '--task', 'generate', '--model', 'dcgan', '--preset', 'tiny', '--data', datasetId, '--steps', '200000', '--json', '--workspace', workspace], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  train.stderr.on('data', (c: Buffer) => output.push(c.toString()));
  try {
    const runId = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the CLI run did not start:\n${output.join('')}`)), 60_000);
      train.stdout.on('data', (chunk: Buffer) => {
        output.push(chunk.toString());
        const started = /"event":"started","runId":"([^"]+)"/.exec(output.join(''));
        if (started) {
          clearTimeout(timer);
          resolve(started[1]!);
        }
      });
      train.once('exit', (code) => reject(new Error(`the CLI run exited with ${code}:\n${output.join('')}`)));
    });

    await page.goto(`${studio.get().url}/#/runs/${encodeURIComponent(runId)}`);
    const runPage = page.getByTestId('run-page');
    await expect(runPage).toHaveAttribute('data-state', 'running');
    const chart = runPage.getByTestId('loss-chart');
    const pointsNow = async () => Number(await chart.getAttribute('data-points'));
    const stepNow = async () => Number((await runPage.getByTestId('run-step').textContent())!.split('/')[0]!.replace(/[^0-9]/g, ''));

    // what the page read when it opened, then more from the polls while the CLI keeps training
    await expect.poll(pointsNow).toBeGreaterThan(0);
    const firstPoints = await pointsNow();
    const firstStep = await stepNow();
    await expect.poll(pointsNow, { timeout: 45_000 }).toBeGreaterThan(firstPoints);
    await expect.poll(stepNow, { timeout: 45_000 }).toBeGreaterThan(firstStep);
    const samplesNow = async () => Number(await runPage.getByTestId('sample-timeline').getAttribute('data-count'));
    const firstSamples = await samplesNow();
    await expect.poll(samplesNow, { timeout: 45_000 }).toBeGreaterThan(firstSamples);
    await expect(runPage.getByTestId('sample-image')).toBeVisible();
    await expect(runPage.getByTestId('checkpoint-row').first()).toBeVisible(); // the tiny preset saves every 20 steps
    expect(await stepNow()).toBeGreaterThanOrEqual(Number(await runPage.getByTestId('sample-image').getAttribute('data-step')));
    await shots.take(page, 'cli-run-followed-live');

    // Stop from the browser reaches the owning CLI process, which checkpoints and exits
    const exited = new Promise<number | null>((resolve) => train.once('exit', resolve));
    await runPage.getByTestId('run-stop').click();
    await expect(runPage).toHaveAttribute('data-state', /cancelled|done/, { timeout: 60_000 });
    expect(await exited).not.toBeNull();
    await shots.take(page, 'cli-run-stopped');
  } finally {
    if (train.exitCode === null) train.kill('SIGKILL');
  }
});
