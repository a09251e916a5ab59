/// <reference lib="dom" />
// Datasets: the drop zone, the import report, dataset cards and one dataset's page.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export interface DropItem {
  /** the name the browser sees */
  name: string;
  bytes: Buffer;
}

export function dropItemsFromPaths(paths: string[]): DropItem[] {
  return paths.map((p) => ({ name: basename(p), bytes: readFileSync(p) }));
}

export class DatasetsPage {
  constructor(readonly page: Page) {}

  dropZone(testid = 'drop-zone'): Locator {
    return this.page.getByTestId(testid);
  }

  /**
   * Drops files on a drop zone the way a browser does: a DataTransfer built in the page, then
   * dragenter / dragover / drop on the zone (Chromium cannot synthesise a native OS drag).
   */
  async drop(items: DropItem[], testid = 'drop-zone'): Promise<void> {
    const zone = this.dropZone(testid);
    await expect(zone).toBeVisible();
    const payload = items.map((i) => ({ name: i.name, base64: i.bytes.toString('base64') }));
    const dataTransfer = await this.page.evaluateHandle((files) => {
      const dt = new DataTransfer();
      for (const f of files) {
        const bin = atob(f.base64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        dt.items.add(new File([bytes], f.name, { type: f.name.endsWith('.zip') ? 'application/zip' : 'image/png' }));
      }
      return dt;
    }, payload);
    await zone.dispatchEvent('dragenter', { dataTransfer });
    await zone.dispatchEvent('dragover', { dataTransfer });
    await expect(zone).toHaveAttribute('data-state', 'over');
    await zone.dispatchEvent('drop', { dataTransfer });
    await dataTransfer.dispose();
  }

  /** Chooses a whole folder with the Folder… input (keeps sub-folders as relative paths). */
  async chooseFolder(dir: string, testid = 'drop-zone'): Promise<void> {
    await this.page.getByTestId(`${testid}-folder-input`).setInputFiles(dir);
  }

  report(): Locator {
    return this.page.getByTestId('import-report');
  }

  rejectedRows(): Locator {
    return this.report().getByTestId('rejected-file');
  }

  async reportDatasetId(): Promise<string> {
    await expect(this.report()).toBeVisible({ timeout: 60_000 });
    const id = await this.report().getAttribute('data-dataset-id');
    if (!id) throw new Error('the import report names no dataset');
    return id;
  }

  cards(): Locator {
    return this.page.getByTestId('dataset-card');
  }

  card(datasetId: string): Locator {
    return this.page.locator(`[data-testid="dataset-card"][data-dataset-id="${datasetId}"]`);
  }

  /** Import a bundled sample set (the empty state's buttons). */
  sampleButton(sample: 'mnist' | 'emoji-google' | 'emoji-twitter'): Locator {
    return this.page.getByTestId(`sample-${sample}`);
  }

  // ---- one dataset ----
  datasetPage(): Locator {
    return this.page.getByTestId('dataset-page');
  }

  grid(): Locator {
    return this.page.getByTestId('dataset-grid');
  }

  images(): Locator {
    return this.page.getByTestId('dataset-image');
  }
}
