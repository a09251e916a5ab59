// Gallery: the output grid with its filters, one item's detail (before/after slider), and the
// latent explorer (browse seeds, interpolate, export frames).
import { expect, type Locator, type Page } from '@playwright/test';

export class GalleryPage {
  constructor(readonly page: Page) {}

  grid(): Locator {
    return this.page.getByTestId('gallery-grid');
  }

  items(kind?: string): Locator {
    return kind ? this.page.locator(`[data-testid="gallery-item"][data-kind="${kind}"]`) : this.page.getByTestId('gallery-item');
  }

  async count(): Promise<number> {
    const text = await this.page.getByTestId('gallery-count').innerText();
    return Number(text.replace(/[^0-9]/g, ''));
  }

  async filterKind(kind: '' | 'sample' | 'generation' | 'interpolation' | 'upscale' | 'translation'): Promise<void> {
    await this.page.getByTestId('filter-kind').selectOption(kind);
  }

  async filterRun(runId: string): Promise<void> {
    await this.page.getByTestId('filter-run').selectOption(runId);
  }

  async tab(tab: 'outputs' | 'latent' | 'compare'): Promise<void> {
    await this.page.getByTestId(`gallery-tabs-${tab}`).click();
  }

  // ---- detail ----
  detail(): Locator {
    return this.page.getByTestId('gallery-detail');
  }

  beforeAfter(): Locator {
    return this.page.getByTestId('before-after');
  }

  // ---- latent explorer ----
  explorer(): Locator {
    return this.page.getByTestId('latent-explorer');
  }

  seeds(): Locator {
    return this.page.getByTestId('latent-seed');
  }

  seed(n: number): Locator {
    return this.page.locator(`[data-testid="latent-seed"][data-seed="${n}"]`);
  }

  async showSeeds(): Promise<void> {
    await this.page.getByTestId('latent-browse').click();
    await expect(this.seeds()).toHaveCount(16, { timeout: 60_000 });
  }

  async setFrames(frames: number): Promise<void> {
    await this.page.getByTestId('latent-frames').fill(String(frames));
  }

  interpolateButton(): Locator {
    return this.page.getByTestId('latent-interpolate');
  }

  frameStrip(): Locator {
    return this.page.getByTestId('latent-frames-strip');
  }

  gif(): Locator {
    return this.page.getByTestId('latent-gif');
  }

  exportFramesButton(): Locator {
    return this.page.getByTestId('latent-export-frames');
  }
}
