// Screenshots of every step, kept as CI artifacts under e2e-artifacts/<spec>/NN-<step>.png (the
// folder is gitignored). Numbered in the order taken so a folder reads as the story of the flow.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

export const ARTIFACTS = fileURLToPath(new URL('../e2e-artifacts/', import.meta.url));

export class Shots {
  private count = 0;
  readonly dir: string;
  constructor(spec: string) {
    this.dir = join(ARTIFACTS, spec);
    rmSync(this.dir, { recursive: true, force: true }); // a folder tells one run's story
    mkdirSync(this.dir, { recursive: true });
  }

  /** Saves a full-window screenshot and returns its path. */
  async take(page: Page, step: string): Promise<string> {
    this.count++;
    const path = join(this.dir, `${String(this.count).padStart(2, '0')}-${step.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await page.screenshot({ path });
    return path;
  }
}
