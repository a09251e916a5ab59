import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { TrainSpecInput } from '../contract/runs.js';
import { recordingReporter, silentReporter } from '../common/reporter.js';
import { train } from './train.js';
import { memoryBatchSource } from './memory-source.js';
import { readCheckpoint, listCheckpoints } from './checkpoint.js';
import { readMetrics } from './run-files.js';
import { syntheticImages } from './testing/family-test-kit.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'gan-train-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const spec = (over: Partial<TrainSpecInput> = {}): TrainSpecInput => ({
  task: 'generate', model: 'vanilla', preset: 'tiny', seed: 3, steps: 6, sampleEvery: 3, checkpointEvery: 3, ema: true, diffAugment: true, ...over,
});
const source = () => memoryBatchSource(syntheticImages(20, 8, 1), ['real'], 5, { heldOutCount: 4 });
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });

async function finalWeights(runDir: string, name: string): Promise<Float32Array> {
  const { buffer } = await readCheckpoint(runDir, name);
  return new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}

describe('train()', () => {
  it('writes samples, metrics, checkpoints; resume to M equals an uninterrupted run to M', async () => {
    const whole = join(root, 'whole');
    const src1 = source();
    const { report, events } = recordingReporter();
    const done = await train({ spec: spec(), runDir: whole, source: src1, metricsEvery: 2 }, { signal: new AbortController().signal, report });
    src1.dispose();
    expect(done).toEqual({ step: 6, runDir: whole, stopped: 'done' });
    expect((await readdir(join(whole, 'samples'))).sort()).toEqual(['step-000003.png', 'step-000006.png']);
    const metrics = await readMetrics(whole);
    // loss points every 2 steps; quality points (SWD here: 8-px images) at each checkpoint
    expect(metrics.filter((m) => 'loss/G' in m.values).map((m) => m.step)).toEqual([2, 4, 6]);
    expect(metrics.filter((m) => 'quality/swd' in m.values).map((m) => m.step)).toEqual([3, 6]);
    for (const key of ['loss/G', 'loss/D', 'D(x)', 'D(G(z))', 'step_ms', 'images_per_s']) expect(Number.isFinite(metrics[0]!.values[key])).toBe(true);
    expect(events.some((e) => e.kind === 'sample')).toBe(true);
    const checkpoints = await listCheckpoints(whole);
    expect(checkpoints.map((c) => c.name)).toEqual(['step-000006', 'step-000003']);
    expect(checkpoints[0]!.latest).toBe(true);

    // stop at 3 (a run asked for 3 steps), then resume the same run to 6
    const split = join(root, 'split');
    const src2 = source();
    await train({ spec: spec({ steps: 3 }), runDir: split, source: src2 }, ctx());
    src2.dispose();
    const src3 = source();
    const resumed = await train({ spec: spec(), runDir: split, source: src3, resume: true }, ctx());
    src3.dispose();
    expect(resumed.step).toBe(6);
    const a = await finalWeights(whole, 'step-000006');
    const b = await finalWeights(split, 'step-000006');
    expect(b.length).toBe(a.length);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('refuses a resume with another config, naming what differs, and a fresh start over a run', async () => {
    const runDir = join(root, 'whole');
    const src = source();
    try {
      const error = await train({ spec: spec({ loss: 'hinge', steps: 9 }), runDir, source: src, resume: true }, ctx()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('CONFIG_MISMATCH');
      expect((error as AppError).message).toMatch(/loss: "bce" \(run\) vs "hinge" \(now\)/);
      const again = await train({ spec: spec(), runDir, source: src }, ctx()).catch((e: unknown) => e);
      expect((again as AppError).code).toBe('ALREADY_EXISTS');
    } finally {
      src.dispose();
    }
  });

  it('pauses with a checkpoint and stops clearly when a save fails', async () => {
    const runDir = join(root, 'paused');
    const controller = new AbortController();
    const src = source();
    const report = { ...silentReporter, progress: (p: { done: number }) => { if (p.done === 2) controller.abort(new AppError('JOB_STATE', 'paused')); } };
    const result = await train({ spec: spec({ steps: 20 }), runDir, source: src }, { signal: controller.signal, report });
    expect(result).toEqual({ step: 2, runDir, stopped: 'paused' });
    expect((await listCheckpoints(runDir))[0]!.name).toBe('step-000002');
    expect((await readFile(join(runDir, 'train.log'), 'utf8'))).toMatch(/paused at step 2/);

    // a file where the checkpoints folder should be: the save cannot happen
    const broken = join(root, 'broken');
    await train({ spec: spec({ steps: 1, checkpointEvery: 100 }), runDir: broken, source: src }, ctx()).catch(() => {});
    await rm(join(broken, 'checkpoints'), { recursive: true, force: true });
    await writeFile(join(broken, 'checkpoints'), 'not a folder');
    const error = await train({ spec: spec({ steps: 2, checkpointEvery: 1 }), runDir: broken, source: src, resume: true }, ctx()).catch((e: unknown) => e);
    src.dispose();
    expect((error as AppError).code).toBe('CHECKPOINT_WRITE_FAILED');
    expect((error as AppError).message).toMatch(/checkpoint step-000001/);
  });
});
