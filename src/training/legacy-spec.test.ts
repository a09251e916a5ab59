import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { TrainSpecInput } from '../contract/runs.js';
import { silentReporter } from '../common/reporter.js';
import { getFamily } from '../models/index.js';
import type { ResolvedSpec } from '../models/types.js';
import type { CheckpointState } from './checkpoint-format.js';
import { stateChecksum } from './checkpoint-verify.js';
import { configHash } from './config-hash.js';
import { memoryBatchSource } from './memory-source.js';
import { readRunSpec } from './run-files.js';
import { syntheticImages } from './testing/family-test-kit.js';
import { resolveTrainSpec, specForRun, train } from './train.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'gan-legacy-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });
const spec = (over: Partial<TrainSpecInput> = {}): TrainSpecInput => ({
  task: 'generate', model: 'vanilla', preset: 'tiny', datasetId: 'digits', seed: 1, steps: 2, sampleEvery: 2, checkpointEvery: 2, ...over,
});

/** Rewrites spec.json and every checkpoint's state.json as the code before `flip` wrote them. */
async function stripFlip(runDir: string): Promise<void> {
  const files = [join(runDir, 'spec.json'), ...(await readdir(join(runDir, 'checkpoints'))).filter((n) => n.startsWith('step-')).map((n) => join(runDir, 'checkpoints', n, 'state.json'))];
  for (const file of files) {
    const json = JSON.parse(await readFile(file, 'utf8')) as CheckpointState;
    delete (json.spec as Partial<ResolvedSpec>).flip;
    // a checkpoint of that time is self-consistent: its state checksum covers what it holds
    if (json.stateSha256) json.stateSha256 = stateChecksum(json);
    await writeFile(file, JSON.stringify(json));
  }
}

describe('flip: off for generation, on for CycleGAN, old runs unchanged', () => {
  it('defaults: generate families do not flip, CycleGAN does, superres has no switch', () => {
    for (const model of ['vanilla', 'dcgan']) {
      for (const preset of ['tiny', 'small', 'default'] as const) {
        expect(resolveTrainSpec({ task: 'generate', model, preset }).flip).toBe(false);
      }
    }
    expect(resolveTrainSpec({ task: 'generate', model: 'dcgan', flip: true }).flip).toBe(true);
    expect(resolveTrainSpec({ task: 'cyclegan', model: 'cyclegan', preset: 'small' }).flip).toBe(true);
    expect(resolveTrainSpec({ task: 'cyclegan', model: 'cyclegan', preset: 'small', flip: false }).flip).toBe(false);
    expect('flip' in resolveTrainSpec({ task: 'superres', model: 'esrgan', preset: 'tiny' })).toBe(false);
    expect(() => resolveTrainSpec({ task: 'superres', model: 'esrgan', flip: true })).toThrow(/no flip option/);
  });

  it('a run saved before the option keeps its config hash and resumes flipping; a new run records flip: false', async () => {
    // what the old code hashed: the resolved spec without the field
    const old = getFamily('vanilla').resolve({ ...spec(), preset: 'tiny', seed: 1, backend: 'auto' } as ResolvedSpec);
    const withoutField = { ...old } as ResolvedSpec;
    delete withoutField.flip;
    expect(configHash({ ...old, flip: true })).toBe(configHash(withoutField));
    expect(configHash({ ...old, flip: false })).not.toBe(configHash(withoutField));

    const runDir = join(root, 'legacy');
    const src = memoryBatchSource(syntheticImages(12, 8, 1), ['real'], 2, { heldOutCount: 2 });
    try {
      await train({ spec: spec({ flip: true }), runDir, source: src }, ctx());
      await stripFlip(runDir);
      expect((await readRunSpec(runDir))!.spec.flip).toBeUndefined();

      // the catalog's copy of an old run has no flip either: resume fills what it did then
      const resumedInput = await specForRun(spec({ steps: 4 }), runDir, true);
      expect(resumedInput.flip).toBe(true);
      const out = await train({ spec: spec({ steps: 4 }), runDir, source: src, resume: true }, ctx());
      expect(out.step).toBe(4);
      expect((await readRunSpec(runDir))!.spec.flip).toBe(true);
      // and it resumes again from its new checkpoints, still flipping
      expect((await train({ spec: spec({ steps: 6 }), runDir, source: src, resume: true }, ctx())).step).toBe(6);

      // asking an old flipping run to stop flipping is a different training: refused, named
      await stripFlip(runDir);
      const refused = await train({ spec: spec({ steps: 8, flip: false }), runDir, source: src, resume: true }, ctx()).catch((e: unknown) => e);
      expect((refused as AppError).code).toBe('CONFIG_MISMATCH');
      expect((refused as AppError).message).toMatch(/flip/);

      const fresh = join(root, 'fresh');
      await train({ spec: spec(), runDir: fresh, source: src }, ctx());
      expect((await readRunSpec(fresh))!.spec.flip).toBe(false);
      expect((await specForRun(spec({ steps: 4 }), fresh, true)).flip).toBe(false);
      expect((await train({ spec: spec({ steps: 4 }), runDir: fresh, source: src, resume: true }, ctx())).step).toBe(4);
    } finally {
      src.dispose();
    }
  });

  it('the memory source mirrors only when asked, the same way for the same cursor', () => {
    const images = tf.tidy(() => tf.tile(tf.linspace(-1, 1, 8).reshape([1, 1, 8, 1]), [16, 8, 1, 1]) as tf.Tensor4D);
    const plain = memoryBatchSource(images.clone(), ['real'], 4);
    const flipping = memoryBatchSource(images.clone(), ['real'], 4, { flip: true });
    try {
      const firstPixels = (source: typeof plain) => {
        const { real } = source.next(16);
        const row = real!.slice([0, 0, 0, 0], [16, 1, 1, 1]).dataSync();
        real!.dispose();
        return Array.from(row);
      };
      expect(firstPixels(plain).every((v) => v === -1)).toBe(true);
      const mirrored = firstPixels(flipping);
      expect(mirrored.some((v) => v === 1) && mirrored.some((v) => v === -1)).toBe(true);
      flipping.setCursor({ epoch: 0, position: 0 });
      expect(firstPixels(flipping)).toEqual(mirrored);
      const held = flipping.heldOut(4).real!;
      held.dispose();
    } finally {
      plain.dispose();
      flipping.dispose();
      images.dispose();
    }
  });
});
