// The training loop on webgpu (llvmpipe): it picks the compiled step, says so in the run's log,
// and its checkpoints — and a resume from them — agree with the tfjs-webgpu path's.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installWebGpu } from '../webgpu-setup.js';
import { TrainSpec, type TrainSpecInput } from '../../contract/runs.js';
import { getFamily } from '../../models/index.js';
import { stepRandom } from '../../models/step-random.js';
import { silentReporter } from '../../common/reporter.js';
import { train } from '../../training/train.js';
import { memoryBatchSource } from '../../training/memory-source.js';
import { readCheckpoint } from '../../training/checkpoint.js';
import { syntheticImages } from '../../training/testing/family-test-kit.js';
import { chooseTrainStep, STEP_PATH_ENV } from './index.js';

let root: string;
let previous = '';
beforeAll(async () => {
  previous = tf.getBackend();
  if (!(await installWebGpu(['backend=opengl']))) throw new Error('no WebGPU adapter (needs libegl1 libegl-mesa0 libgl1-mesa-dri)');
  await import('@tensorflow/tfjs-backend-webgpu');
  await tf.setBackend('webgpu');
  root = await mkdtemp(join(tmpdir(), 'gan-compiled-'));
});
afterEach(() => {
  delete process.env[STEP_PATH_ENV];
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  if (previous) await tf.setBackend(previous);
});

const spec = (over: Partial<TrainSpecInput> = {}): TrainSpecInput => ({
  task: 'generate', model: 'dcgan', preset: 'tiny', size: 8, channels: 3, seed: 5, steps: 6, sampleEvery: 3, checkpointEvery: 3, ema: true, diffAugment: false, ...over,
});
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });

async function run(name: string, path: 'compiled' | 'tfjs' | 'auto', over: Partial<TrainSpecInput> = {}, resume = false): Promise<string> {
  process.env[STEP_PATH_ENV] = path;
  const runDir = join(root, name);
  const source = memoryBatchSource(syntheticImages(24, 8, 3), ['real'], 5, { heldOutCount: 4 });
  try {
    await train({ spec: spec(over), runDir, source, resume, scoreImages: 0 }, ctx());
  } finally {
    source.dispose();
  }
  return runDir;
}

async function weights(runDir: string, name: string): Promise<Float32Array> {
  const { buffer } = await readCheckpoint(runDir, name);
  return new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(b.length).toBe(a.length);
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(a[i]!)));
  return most;
}

describe('training on webgpu with the compiled step', () => {
  it('logs the path, and checkpoints (and a resume) match the tfjs-webgpu path', async () => {
    const before = tf.memory().numTensors;
    const compiled = await run('compiled', 'compiled');
    expect(tf.memory().numTensors).toBe(before);
    expect(await readFile(join(compiled, 'train.log'), 'utf8')).toMatch(/training step: compiled WebGPU step: \d+ dispatches/);
    const reference = await run('tfjs', 'tfjs');
    expect(await readFile(join(reference, 'train.log'), 'utf8')).toMatch(/training step: tfjs-webgpu kernels \(forced/);
    expect(maxDiff(await weights(reference, 'step-000006'), await weights(compiled, 'step-000006'))).toBeLessThan(1e-3);

    // 3 steps compiled, then resumed compiled to 6: the checkpoint round trip keeps the state
    await run('split', 'compiled', { steps: 3 });
    const split = await run('split', 'compiled', {}, true);
    expect(maxDiff(await weights(compiled, 'step-000006'), await weights(split, 'step-000006'))).toBeLessThan(1e-4);
  });

  it('takes the compiled step with DiffAugment on auto', async () => {
    const runDir = await run('augment', 'auto', { diffAugment: true, steps: 2, sampleEvery: 2, checkpointEvery: 2 });
    expect(await readFile(join(runDir, 'train.log'), 'utf8')).toMatch(/training step: compiled WebGPU step: \d+ dispatches/);
  });

  it('falls back to tfjs kernels, with the reason, for what it does not compile', async () => {
    const family = getFamily('cyclegan');
    const cycleSpec = family.resolve(TrainSpec.parse({ task: 'cyclegan', model: 'cyclegan', preset: 'tiny', seed: 5 }));
    const model = family.create(cycleSpec, stepRandom(cycleSpec.seed));
    try {
      const choice = await chooseTrainStep(model, stepRandom(cycleSpec.seed), 'auto');
      expect(choice.path).toBe('tfjs');
      expect(choice.reason).toMatch(/tfjs-webgpu kernels: family "cyclegan" is not compiled yet/);
    } finally {
      model.dispose();
    }
  });
});
