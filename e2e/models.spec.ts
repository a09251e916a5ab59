// Models → Add model…: a .safetensors file dropped on the dialog (uploaded in browser mode) is
// imported, its card says what was detected; the licence typed on the card is stored; a .pth
// dropped the same way is refused with the conversion command; the table opens any model's card.
import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelInfo } from '../src/contract/index.js';
import { randomStateDict, rrdbArchitecture, stateDictFile } from '../src/models/community/testing/state-dict.js';
import { Shots } from './artifacts.js';
import { DatasetsPage, dropItemsFromPaths } from './pages/datasets-page.js';
import { callApi, studioPerFile } from './studio.js';

const studio = studioPerFile();

test('drop a .safetensors on Add model…: detected architecture on its card, licence stored', async ({ page }) => {
  const s = studio.get();
  const shots = new Shots('models');
  const file = join(s.scratch, 'RealESRGAN_x4plus_mini.safetensors');
  writeFileSync(file, stateDictFile(randomStateDict(rrdbArchitecture({ features: 16, blocks: 3, growth: 8 }))));

  await page.goto(`${s.url}/#/models`);
  await page.getByTestId('model-add').click();
  const dialog = page.getByTestId('model-add-dialog');
  await expect(dialog).toBeVisible();
  await shots.take(page, 'add-model');
  await new DatasetsPage(page).drop(dropItemsFromPaths([file]), 'model-drop');

  const card = dialog.getByTestId('model-card');
  await expect(card.getByTestId('model-card-architecture')).toHaveText('RRDBNet, 3 blocks, 16 features, growth 8, ×4');
  await expect(card.getByTestId('model-card-scale')).toHaveText('×4');
  await expect(card.getByTestId('model-card-source')).toHaveText('RealESRGAN_x4plus_mini.safetensors');
  await card.getByTestId('model-card-licence').fill('BSD-3-Clause (xinntao/Real-ESRGAN)');
  await shots.take(page, 'added-card');
  await card.getByTestId('model-card-save').click();
  await expect(card.getByTestId('model-card-save')).toBeDisabled();
  const id = await card.getAttribute('data-model-id');
  const stored = (await callApi<ModelInfo[]>(s, 'models:list', {})).find((m) => m.id === id);
  expect(stored).toMatchObject({ family: 'rrdbnet', scale: 4, format: 'safetensors', licence: 'BSD-3-Clause (xinntao/Real-ESRGAN)' });
  await dialog.getByTestId('model-add-done').click();

  // the table lists it with what was found, and its name opens the same card
  const row = page.locator(`[data-testid="model-row"][data-model-id="${id}"]`);
  await expect(row).toContainText('RRDBNet, 3 blocks, 16 features');
  await expect(row).toContainText('BSD-3-Clause');
  await shots.take(page, 'table');
  await row.getByTestId('model-open').click();
  const cardDialog = page.getByTestId('model-card-dialog');
  await expect(cardDialog.getByTestId('model-card-licence')).toHaveValue('BSD-3-Clause (xinntao/Real-ESRGAN)');
  await shots.take(page, 'card');
  await page.keyboard.press('Escape');

  // a pretrained model's card shows its licence read-only
  await page.locator('[data-testid="model-row"][data-model-id="esrgan-slim-x2"]').getByTestId('model-open').click();
  await expect(cardDialog.getByTestId('model-card')).toContainText('MIT');
  await expect(cardDialog.getByTestId('model-card-licence')).toHaveCount(0);
  await page.keyboard.press('Escape');

  // a pickle: refused, and the error carries the conversion command
  const pth = join(s.scratch, 'RRDB_ESRGAN_x4.pth');
  writeFileSync(pth, Buffer.from([0x80, 0x02, 0x63, 0x6f, 0x73, 0x0a]));
  await page.getByTestId('model-add').click();
  await new DatasetsPage(page).drop(dropItemsFromPaths([pth]), 'model-drop');
  await expect(page.getByTestId('model-add-error')).toContainText('is a PyTorch pickle, which can run code');
  await expect(page.getByTestId('model-add-command')).toContainText("weights_only=True");
  await shots.take(page, 'pth-refused');
});
