import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrainSpec } from '../contract/runs.js';
import { getFamily } from '../models/index.js';
import type { GanModel } from '../models/types.js';
import { restoreModel } from './checkpoint-format.js';
import { checkpointsDir, listCheckpoints, loadLatestCheckpoint, saveCheckpoint } from './checkpoint.js';
import { stepRandom } from '../models/step-random.js';

let root: string;
let model: GanModel;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'gan-ckpt-'));
  const family = getFamily('vanilla');
  model = family.create(family.resolve(TrainSpec.parse({ task: 'generate', model: 'vanilla', preset: 'tiny' })), stepRandom(1));
});
afterAll(async () => {
  model.dispose();
  await rm(root, { recursive: true, force: true });
});

const save = (runDir: string, step: number, score: number | null = null, keep = 3) =>
  saveCheckpoint(runDir, model, { step, configHash: 'h', cursor: { position: step }, score, keep });

describe('checkpoints', () => {
  it('keeps the last N plus the best by score', async () => {
    const runDir = join(root, 'prune');
    for (const [step, score] of [[1, 3], [2, 1], [3, 2], [4, 4]] as const) await save(runDir, step, score, 2);
    const list = await listCheckpoints(runDir);
    expect(list.map((c) => c.name)).toEqual(['step-000004', 'step-000003', 'step-000002']);
    expect(list.find((c) => c.best)?.name).toBe('step-000002');
    expect(list.find((c) => c.latest)?.name).toBe('step-000004');
  });

  it('falls back past a corrupt newest checkpoint, saying so, and removes temp folders', async () => {
    const runDir = join(root, 'corrupt');
    await save(runDir, 1);
    await save(runDir, 2);
    await truncate(join(checkpointsDir(runDir), 'step-000002', 'weights.bin'), 10);
    await mkdir(join(checkpointsDir(runDir), '.tmp-step-000003-1-1'));
    const messages: string[] = [];
    const loaded = await loadLatestCheckpoint(runDir, (m) => messages.push(m));
    expect(loaded?.name).toBe('step-000001');
    expect(messages.join('\n')).toMatch(/step-000002 .*checksum.*resuming from step-000001/);
    expect(await readdir(checkpointsDir(runDir))).not.toContain('.tmp-step-000003-1-1');
    expect((await readFile(join(checkpointsDir(runDir), 'latest'), 'utf8')).trim()).toBe('step-000001');
  });

  it('survives SIGKILL at random moments during saves', async () => {
    const runDir = join(root, 'killed');
    const child = fileURLToPath(new URL('../../dist/src/training/testing/save-loop-child.js', import.meta.url));
    for (let round = 0; round < 3; round++) {
      const proc = fork(child, [runDir, String(round * 1000)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
      await new Promise<void>((resolve, reject) => {
        proc.stdout!.on('data', (d: Buffer) => d.includes('saved') && resolve());
        proc.once('exit', (code) => reject(new Error(`save loop exited early with code ${code}`)));
      });
      await new Promise((r) => setTimeout(r, Math.random() * 120));
      proc.kill('SIGKILL');
      await new Promise((r) => proc.once('exit', r));
    }
    const loaded = await loadLatestCheckpoint(runDir);
    expect(loaded).not.toBeNull();
    expect(loaded!.state.step).toBeGreaterThanOrEqual(2000);
    expect((await readdir(checkpointsDir(runDir))).filter((n) => n.startsWith('.'))).toEqual([]);
    const family = getFamily('vanilla');
    const big = family.create(loaded!.state.spec, stepRandom(1));
    try {
      await restoreModel(big, loaded!.state, loaded!.buffer, { optimizers: true });
    } finally {
      big.dispose();
    }
  });
});
