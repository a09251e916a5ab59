// Corrupt checkpoints on resume (issue #27 items 9 and 10): every one corrupt is refused, naming
// them; a corrupt newest one is moved aside and never outlives the good one written after it; an
// edited but valid state.json is caught by its checksum, and old format-1 checkpoints still load.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { TrainSpecInput } from '../contract/runs.js';
import { silentReporter } from '../common/reporter.js';
import type { CheckpointState } from './checkpoint-format.js';
import { checkpointsDir, listCheckpoints, loadLatestCheckpoint, readCheckpoint } from './checkpoint.js';
import { loadModelForInference } from './load-model.js';
import { memoryBatchSource } from './memory-source.js';
import { syntheticImages } from './testing/family-test-kit.js';
import { train } from './train.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'gan-ckpt-recovery-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const spec = (over: Partial<TrainSpecInput> = {}): TrainSpecInput => ({
  task: 'generate', model: 'vanilla', preset: 'tiny', seed: 5, steps: 4, sampleEvery: 100, checkpointEvery: 2, keepCheckpoints: 1, ...over,
});
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });
async function trainTo(runDir: string, over: Partial<TrainSpecInput>, resume = false) {
  const source = memoryBatchSource(syntheticImages(16, 8, 1), ['real'], 5, { heldOutCount: 4 });
  try {
    return await train({ spec: spec(over), runDir, source, resume, scoreImages: 0 }, ctx());
  } finally {
    source.dispose();
  }
}
const stateFile = (runDir: string, name: string) => join(checkpointsDir(runDir), name, 'state.json');
const readState = async (runDir: string, name: string) => JSON.parse(await readFile(stateFile(runDir, name), 'utf8')) as CheckpointState;
const pointer = async (runDir: string, name: string) => (await readFile(join(checkpointsDir(runDir), name), 'utf8')).trim();

describe('resuming past corrupt checkpoints', () => {
  it('refuses when every checkpoint is corrupt, naming them, and writes nothing', async () => {
    const runDir = join(root, 'all-corrupt');
    await trainTo(runDir, { steps: 4, keepCheckpoints: 3 });
    for (const name of ['step-000002', 'step-000004']) await truncate(join(checkpointsDir(runDir), name, 'weights.bin'), 8);
    const before = (await readdir(checkpointsDir(runDir))).sort();
    const error = await trainTo(runDir, { steps: 8, keepCheckpoints: 3 }, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CHECKPOINT_CORRUPT');
    expect((error as AppError).message).toMatch(/step-000004.*step-000002/);
    expect((error as AppError).message).toMatch(/from a backup/);
    expect((await readdir(checkpointsDir(runDir))).sort()).toEqual(before);
    expect(await pointer(runDir, 'latest')).toBe('step-000004');
  });

  it('moves a corrupt newest checkpoint aside and keeps the good ones written after it (keep 1)', async () => {
    const runDir = join(root, 'newest-corrupt');
    await trainTo(runDir, { steps: 4, keepCheckpoints: 2 });
    await truncate(join(checkpointsDir(runDir), 'step-000004', 'weights.bin'), 8);
    const done = await trainTo(runDir, { steps: 4, keepCheckpoints: 2 }, true);
    expect(done.step).toBe(4);
    const names = await readdir(checkpointsDir(runDir));
    expect(names.filter((n) => n.startsWith('corrupt-step-000004-'))).toHaveLength(1);
    expect(await pointer(runDir, 'latest')).toBe('step-000004');
    expect((await readCheckpoint(runDir, 'step-000004')).state.step).toBe(4);
    expect((await readFile(join(runDir, 'train.log'), 'utf8'))).toMatch(/moved the unusable checkpoint step-000004 aside/);
  });

  it('never prunes the checkpoint just saved in favour of a corrupt later one; latest always exists', async () => {
    // a corrupt newest checkpoint left in place (an inference load falls back past it, moving nothing)
    const runDir = join(root, 'prune');
    await trainTo(runDir, { steps: 4, keepCheckpoints: 2 });
    await truncate(join(checkpointsDir(runDir), 'step-000004', 'weights.bin'), 8);
    await loadLatestCheckpoint(runDir);
    expect(existsSync(join(checkpointsDir(runDir), 'step-000004'))).toBe(true);
    const { saveCheckpoint } = await import('./checkpoint.js');
    const model = await loadModelForInference(runDir);
    try {
      await saveCheckpoint(runDir, model.model, { step: 3, configHash: 'h', cursor: {}, keep: 1 });
    } finally {
      model.model.dispose();
    }
    expect(await pointer(runDir, 'latest')).toBe('step-000003');
    expect(existsSync(join(checkpointsDir(runDir), 'step-000003', 'weights.bin'))).toBe(true);
    expect(existsSync(join(checkpointsDir(runDir), 'step-000002'))).toBe(false);
  });
});

describe('state.json is covered by a checksum', () => {
  const editFirstWeight = (state: CheckpointState, edit: 'shape' | 'bytes') => {
    const entry = state.networks.G![0]!;
    if (edit === 'shape') entry.shape = [entry.shape[0]! + 1, ...entry.shape.slice(1)];
    else entry.bytes += 4;
  };

  for (const edit of ['shape', 'bytes'] as const) {
    it(`an edited weight ${edit} falls back to the previous good checkpoint, naming the edited one`, async () => {
      const runDir = join(root, `edited-${edit}`);
      await trainTo(runDir, { steps: 4, keepCheckpoints: 2 });
      const state = await readState(runDir, 'step-000004');
      editFirstWeight(state, edit);
      await writeFile(stateFile(runDir, 'step-000004'), JSON.stringify(state));
      const messages: string[] = [];
      const loaded = await loadLatestCheckpoint(runDir, (m) => messages.push(m));
      expect(loaded?.name).toBe('step-000002');
      expect(messages.join('\n')).toMatch(/checkpoint \S+step-000004: state\.json does not match its checksum/);
      const done = await trainTo(runDir, { steps: 4, keepCheckpoints: 2 }, true);
      expect(done.step).toBe(4);
      expect((await readCheckpoint(runDir, 'step-000004')).state.stateSha256).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  it('still loads a format-1 checkpoint (no state checksum) and names it when its tensor table is wrong', async () => {
    const runDir = join(root, 'format-1');
    await trainTo(runDir, { steps: 2 });
    const state = await readState(runDir, 'step-000002');
    delete state.stateSha256;
    state.format = 1;
    await writeFile(stateFile(runDir, 'step-000002'), JSON.stringify(state));
    const model = await loadModelForInference(runDir);
    model.model.dispose();
    expect(model.step).toBe(2);

    editFirstWeight(state, 'bytes');
    await writeFile(stateFile(runDir, 'step-000002'), JSON.stringify(state));
    const error = await loadModelForInference(runDir).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('CHECKPOINT_CORRUPT');
    expect((error as AppError).message).toMatch(/step-000002.*tensor 0: shape \d+x\d+ needs \d+ bytes, the table says \d+/);
  });

  it('names the checkpoint when state.json is not JSON at all', async () => {
    const runDir = join(root, 'not-json');
    await trainTo(runDir, { steps: 2 });
    await writeFile(stateFile(runDir, 'step-000002'), '{ step: 2 }');
    const error = await readCheckpoint(runDir, 'step-000002').catch((e: unknown) => e);
    expect((error as AppError).code).toBe('CHECKPOINT_CORRUPT');
    expect((error as AppError).message).toMatch(/checkpoint state \S+step-000002[/\\]state\.json is not valid JSON .*backup/);
    expect(await listCheckpoints(runDir)).toEqual([]);
  });
});
