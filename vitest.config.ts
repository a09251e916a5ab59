import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Two projects: the Node core (real tfjs, sharp, SQLite, child processes) and the Svelte
// renderer's component tests in jsdom. The core's child processes (engine, probes) run the
// compiled JS, so the global setup rebuilds dist/ first (esbuild, ~1 s).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          include: ['src/**/*.test.ts', 'locales/**/*.test.ts', 'electron/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./scripts/vitest-global-setup.ts'],
          // hermetic: tests never read or write the user's remembered backend choice. One wasm
          // thread: two test workers on a 2-core machine must not each start a pool of 2 (the
          // default thread rule has its own test, src/engine/wasm-threads.test.ts)
          env: { GAN_STUDIO_BACKEND_CACHE: 'off', GAN_STUDIO_WASM_THREADS: '1' },
          // generous: CI machines have 2 cores, and crash/resume tests fork real engine processes
          testTimeout: 180_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
          // projects with different worker counts must run as separate groups
          sequence: { groupOrder: 0 },
        },
      },
      {
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.ts'],
          environment: 'jsdom',
          testTimeout: 20_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
