import { expect, test } from '@playwright/test';
import { studioPerFile } from './studio.js';

const studio = studioPerFile();

test('the studio opens in a browser against gan-studio serve', async ({ page }) => {
  await page.goto(studio.get().url);
  await expect(page.getByTestId('app-root')).toBeVisible();
});
