// Train: the new-run form and the run list; RunPage: one run, live (state, chart, samples,
// checkpoints, pause / resume / stop).
import { expect, type Locator, type Page } from '@playwright/test';

export interface NewRun {
  task?: 'generate' | 'superres' | 'cyclegan';
  model?: string;
  preset?: 'tiny' | 'small' | 'default';
  datasetId?: string;
  datasetA?: string;
  datasetB?: string;
  steps?: number;
  name?: string;
}

export class TrainPage {
  constructor(readonly page: Page) {}

  form(): Locator {
    return this.page.getByTestId('new-run-form');
  }

  /** Fills the form, presses Start and returns the new run's id (the app opens its page). */
  async startRun(run: NewRun): Promise<string> {
    const form = this.form();
    await expect(form).toBeVisible();
    if (run.task) await form.getByTestId(`task-picker-${run.task}`).click();
    if (run.datasetId) await form.getByTestId('dataset-select').selectOption(run.datasetId);
    if (run.datasetA) await form.getByTestId('dataset-a').selectOption(run.datasetA);
    if (run.datasetB) await form.getByTestId('dataset-b').selectOption(run.datasetB);
    if (run.model) await form.getByTestId('model-select').selectOption(run.model);
    if (run.preset) await form.getByTestId(`preset-picker-${run.preset}`).click();
    if (run.steps !== undefined || run.name !== undefined) {
      await form.getByTestId('advanced-settings').locator('summary').click();
      if (run.name !== undefined) await form.getByTestId('run-name').fill(run.name);
      if (run.steps !== undefined) await form.getByTestId('steps').fill(String(run.steps));
    }
    await form.getByTestId('start-training').click();
    const runPage = this.page.getByTestId('run-page');
    await expect(runPage).toBeVisible();
    const id = await runPage.getAttribute('data-run-id');
    if (!id) throw new Error('the run page names no run');
    return id;
  }

  runRows(): Locator {
    return this.page.getByTestId('run-row');
  }

  runRow(runId: string): Locator {
    return this.page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  }
}

export class RunPage {
  constructor(readonly page: Page) {}

  root(): Locator {
    return this.page.getByTestId('run-page');
  }

  async open(baseUrl: string, runId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/#/runs/${encodeURIComponent(runId)}`);
    await expect(this.root()).toHaveAttribute('data-run-id', runId);
  }

  async expectState(state: string, timeout = 60_000): Promise<void> {
    await expect(this.root()).toHaveAttribute('data-state', state, { timeout });
  }

  chart(): Locator {
    return this.page.getByTestId('loss-chart');
  }

  async chartPoints(): Promise<number> {
    return Number(await this.chart().getAttribute('data-points'));
  }

  /** Waits until the loss chart holds more than `than` points and returns the count. */
  async waitForChartPoints(than: number, timeout = 60_000): Promise<number> {
    await expect.poll(() => this.chartPoints(), { timeout, message: `loss chart should pass ${than} points` }).toBeGreaterThan(than);
    return this.chartPoints();
  }

  sampleImage(): Locator {
    return this.page.getByTestId('sample-image');
  }

  /** The current step shown in the progress stat. */
  async step(): Promise<number> {
    const text = (await this.page.getByTestId('run-step').innerText()).split('/')[0] ?? '';
    return Number(text.replace(/[^0-9]/g, ''));
  }

  pauseButton(): Locator {
    return this.page.getByTestId('run-pause');
  }

  resumeButton(): Locator {
    return this.page.getByTestId('run-resume');
  }

  stopButton(): Locator {
    return this.page.getByTestId('run-stop');
  }

  checkpointRows(): Locator {
    return this.page.getByTestId('checkpoint-row');
  }

  error(): Locator {
    return this.page.getByTestId('run-error');
  }
}
