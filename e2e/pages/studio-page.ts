// The shell every view lives in (the Joplin MainScreen habit): navigation, connection state and
// toasts. View page objects hang off it so specs read as what a person does.
import { expect, type Locator, type Page } from '@playwright/test';
import { DatasetsPage } from './datasets-page.js';
import { TrainPage, RunPage } from './train-page.js';
import { GalleryPage } from './gallery-page.js';
import { BatchPage } from './batch-page.js';

export type ViewName = 'datasets' | 'train' | 'gallery' | 'batch' | 'models' | 'system';

export class StudioPage {
  readonly datasets: DatasetsPage;
  readonly train: TrainPage;
  readonly run: RunPage;
  readonly gallery: GalleryPage;
  readonly batch: BatchPage;

  constructor(readonly page: Page) {
    this.datasets = new DatasetsPage(page);
    this.train = new TrainPage(page);
    this.run = new RunPage(page);
    this.gallery = new GalleryPage(page);
    this.batch = new BatchPage(page);
  }

  /** Opens the studio and waits until the job event channel is connected. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.ready();
  }

  async ready(): Promise<void> {
    await expect(this.page.getByTestId('app-root')).toBeVisible();
    await expect(this.page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online');
  }

  nav(view: ViewName): Locator {
    return this.page.getByTestId(`nav-${view}`);
  }

  async go(view: ViewName): Promise<void> {
    await this.nav(view).click();
    await expect(this.page.getByTestId(`view-${view}`)).toBeVisible();
  }

  toasts(): Locator {
    return this.page.getByTestId('toast');
  }

  /** The error toast carrying `code` (the UI shows the contract's ErrorCode on every failure). */
  errorToast(code: string): Locator {
    return this.page.locator(`[data-testid="toast"][data-tone="error"][data-code="${code}"]`);
  }
}
