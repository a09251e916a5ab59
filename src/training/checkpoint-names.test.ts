// A checkpoint is named, never addressed by path: step-NNNNNN, latest or best, checked by the
// contract for every method that takes one, and again where a run's checkpoint is loaded (the
// CLI reaches that without the contract). Refusals never echo a path outside the workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoke } from '../contract/api.js';
import { CheckpointName } from '../contract/common.js';
import { createApp, type App } from '../handlers/context.js';
import { loadModelForInference } from './load-model.js';

let base: string;
let app: App;
const EVIL = ['../../../../../../../../tmp/x', '/tmp/x', 'step-000100/../../../../x', 'step-000100/', 'latest/..', 'step-1', '.', ''];

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'gs-ckpt-names-'));
  // a "checkpoint" planted outside any run, where a traversal would find it
  await mkdir(join(base, 'x'), { recursive: true });
  await writeFile(join(base, 'x', 'state.json'), JSON.stringify({ format: 1 }));
  await writeFile(join(base, 'x', 'weights.bin'), Buffer.alloc(4));
  app = await createApp({ workspace: join(base, 'ws'), engine: 'inline', transport: 'http' });
});

afterAll(async () => {
  await app?.close();
  await rm(base, { recursive: true, force: true });
});

describe('checkpoint names', () => {
  it('accepts step folders and the two pointers only', () => {
    for (const ok of ['step-000500', 'step-1234567', 'latest', 'best']) expect(CheckpointName.safeParse(ok).success, ok).toBe(true);
    for (const bad of EVIL) expect(CheckpointName.safeParse(bad).success, bad).toBe(false);
  });

  it('refuses paths in every method that takes a checkpoint, before any handler runs', async () => {
    for (const checkpoint of EVIL) {
      for (const [method, input] of [
        ['generate:images', { runId: 'r1', checkpoint, count: 1 }],
        ['generate:interpolate', { runId: 'r1', checkpoint, from: 0, to: 1 }],
        ['models:export', { id: 'r1', checkpoint }],
      ] as const) {
        const r = await invoke(app.handlers, method, input);
        expect(r.ok ? 'ok' : r.error.code, `${method} ${checkpoint}`).toBe('INVALID_ARGUMENT');
        if (!r.ok) expect(r.error.message).not.toContain(base);
      }
    }
  });

  it('resolves names inside the run when loading, and refuses paths there too', async () => {
    const runDir = join(base, 'ws', 'runs', 'r1');
    await mkdir(join(runDir, 'checkpoints'), { recursive: true });
    for (const checkpoint of EVIL.filter(Boolean)) {
      await expect(loadModelForInference(runDir, { checkpoint }), checkpoint).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    // `latest` is the newest usable checkpoint, not a folder named "latest"
    await expect(loadModelForInference(runDir, { checkpoint: 'latest' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const missing = loadModelForInference(runDir, { checkpoint: 'step-000100' });
    await expect(missing).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(missing).rejects.not.toThrow(base);
  });
});
