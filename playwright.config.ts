import { defineConfig } from '@playwright/test';

// End-to-end tests drive the real UI in Debian Chromium against `gan-studio serve`, each test
// file on a fresh temporary workspace (see e2e/studio.ts); screenshots of every step go to
// e2e-artifacts/<spec>/ (gitignored). Never `npx playwright install`:
// the browser comes from apt (`.ci/run` installs it).
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    viewport: { width: 1280, height: 800 },
    // the studio follows the browser's language: the specs read English (i18n.spec.ts switches)
    locale: 'en-US',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
});
