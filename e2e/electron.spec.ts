// Flow 7: flows 1–2 inside the real Electron shell (Playwright's _electron), where files reach
// the app as paths (a native folder picker, stubbed in the main process) instead of uploads.
// Skipped with one line where the Electron binary was never downloaded (offline installs).
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Shots } from './artifacts.js';
import { copyEmoji, writeBadFiles } from './data/emoji.js';
import { importEmojiWithBadFiles, trainTinyDcgan } from './flows/import-and-train.js';
import { StudioPage } from './pages/studio-page.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** require('electron') returns the binary's path, or throws when it was never downloaded. */
function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const hasElectron = binary !== null;
test.describe.configure({ mode: 'serial' });
test.skip(!hasElectron, 'Electron binary not installed (offline install): require("electron") has no binary; the browser specs cover flows 1–2');

let app: ElectronApplication | undefined;
let workspace = '';
const shots = new Shots('electron');

test.beforeAll(async () => {
  if (!binary) return;
  workspace = mkdtempSync(join(tmpdir(), 'gan-e2e-electron-'));
  const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  app = await electron.launch({
    executablePath: binary,
    cwd: ROOT,
    args: [...(headless ? ['--ozone-platform=headless'] : []), '.', '--workspace', workspace],
    env: { ...process.env, GAN_STUDIO_E2E: '1' },
  });
});

test.afterAll(async () => {
  await app?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('7 · Electron: import a folder with bad files, then train the tiny DCGAN with pause / resume / stop', async () => {
  const page = await app!.firstWindow();
  await page.setViewportSize({ width: 1280, height: 800 });
  const ui = new StudioPage(page);
  await ui.ready();
  expect(await page.evaluate(() => (globalThis as unknown as { ganStudio?: { transport: string } }).ganStudio?.transport)).toBe('electron');

  const dir = join(mkdtempSync(join(tmpdir(), 'gan-e2e-electron-data-')), 'emoji-64');
  copyEmoji(dir, 'google', 64);
  writeBadFiles(dir);
  // the native folder dialog cannot be driven: answer it from the main process instead
  await app!.evaluate(({ dialog }, folder) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [folder] })) as unknown as typeof dialog.showOpenDialog;
  }, dir);

  const datasetId = await importEmojiWithBadFiles(ui, shots, () => page.getByTestId('drop-zone-browse-folder').click());
  await trainTinyDcgan(ui, shots, datasetId);
});
