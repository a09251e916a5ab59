// Batch: model and options, inputs (drop / folder), the queue of batch jobs.
import { expect, type Locator, type Page } from '@playwright/test';

export class BatchPage {
  constructor(readonly page: Page) {}

  form(): Locator {
    return this.page.getByTestId('batch-form');
  }

  async task(task: 'superres' | 'cyclegan' | 'generate'): Promise<void> {
    await this.page.getByTestId(`batch-task-${task}`).click();
  }

  async model(id: string): Promise<void> {
    const select = this.page.getByTestId('batch-model');
    await expect(select.locator(`option[value="${id}"]`)).toHaveCount(1);
    await select.selectOption(id);
  }

  async scale(scale: 2 | 3 | 4): Promise<void> {
    await this.page.getByTestId('batch-scale').selectOption(String(scale));
  }

  /** Chooses input files with the Browse… input (uploaded to the server in browser mode). */
  async addFiles(paths: string[]): Promise<void> {
    await this.page.getByTestId('batch-drop-input').setInputFiles(paths);
  }

  /** Chooses a whole folder with the Folder… input; sub-folders travel as relative paths. */
  async addFolder(dir: string): Promise<void> {
    await this.page.getByTestId('batch-drop-folder-input').setInputFiles(dir);
  }

  inputs(): Locator {
    return this.page.getByTestId('batch-inputs').locator('li');
  }

  startButton(): Locator {
    return this.page.getByTestId('batch-start');
  }

  jobs(): Locator {
    return this.page.getByTestId('batch-queue').getByTestId('job-card');
  }

  /** The newest batch job card (the queue lists newest first). */
  async newestJob(): Promise<Locator> {
    await expect(this.jobs().first()).toBeVisible();
    return this.jobs().first();
  }
}
