// The compiled WebGPU step against the tfjs-webgpu path, on Dawn's OpenGL backend over Mesa
// llvmpipe (what CI has): same seed, same batches, same noise → same losses and weights.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { installWebGpu } from '../webgpu-setup.js';
import { TrainSpec, type TrainSpecInput } from '../../contract/runs.js';
import { getFamily } from '../../models/index.js';
import type { GanModel } from '../../models/types.js';
import { stepRandom } from '../../training/step-random.js';
import { compileGanStep } from './gan-step.js';

let previous = '';
beforeAll(async () => {
  previous = tf.getBackend();
  if (!(await installWebGpu(['backend=opengl']))) throw new Error('no WebGPU adapter (needs libegl1 libegl-mesa0 libgl1-mesa-dri)');
  await import('@tensorflow/tfjs-backend-webgpu');
  await tf.setBackend('webgpu');
  await tf.ready();
});
afterAll(async () => {
  if (previous) await tf.setBackend(previous);
});

function build(family: string, over: Partial<TrainSpecInput>): GanModel {
  const fam = getFamily(family);
  const spec = fam.resolve(TrainSpec.parse({ task: 'generate', model: family, preset: 'tiny', seed: 3, ...over }));
  return fam.create(spec, stepRandom(spec.seed));
}

const batchAt = (model: GanModel, step: number) => ({
  real: tf.randomUniform([model.spec.batch, model.spec.size, model.spec.size, model.spec.channels], -1, 1, 'float32', 100 + step) as tf.Tensor4D,
});

async function run(model: GanModel, steps: number, stepFn: (batch: ReturnType<typeof batchAt>, step: number) => Record<string, tf.Scalar>): Promise<number[][]> {
  const losses: number[][] = [];
  for (let step = 0; step < steps; step++) {
    const batch = batchAt(model, step);
    const scalars = stepFn(batch, step);
    tf.dispose(batch.real);
    const row: number[] = [];
    for (const name of ['loss/G', 'loss/D', 'D(x)', 'D(G(z))']) row.push((await scalars[name]!.data())[0]!);
    tf.dispose(Object.values(scalars));
    losses.push(row);
  }
  return losses;
}

async function state(model: GanModel): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const net of Object.values(model.networks)) for (const w of net.weights) out.push((await w.read().data()) as Float32Array);
  for (const opt of Object.values(model.optimizers)) for (const w of await opt.getWeights()) out.push(Float32Array.from(await w.tensor.data()));
  for (const t of Object.values(model.getExtraState().tensors)) out.push((await t.data()) as Float32Array);
  return out;
}

function maxRel(a: number[][], b: number[][]): number {
  let most = 0;
  a.forEach((row, i) => row.forEach((x, j) => { most = Math.max(most, Math.abs(x - b[i]![j]!) / Math.max(Math.abs(x), 1e-3)); }));
  return most;
}

async function compare(family: string, over: Partial<TrainSpecInput>, steps: number): Promise<void> {
  const reference = build(family, over);
  const compiledModel = build(family, over);
  try {
    const expected = await run(reference, steps, (b, s) => reference.trainStep(b, s));
    const before = tf.memory().numTensors;
    const compiled = await compileGanStep(compiledModel, stepRandom(compiledModel.spec.seed));
    const got = await run(compiledModel, steps, (b, s) => compiled.trainStep(b, s));
    compiled.syncToModel();
    compiled.dispose();
    expect(got.flat().every(Number.isFinite)).toBe(true);
    if (process.env.COMPILED_DEBUG) got.forEach((row, i) => console.log(i, row.map((v, j) => `${v.toFixed(5)}/${expected[i]![j]!.toFixed(5)}`).join(' ')));
    expect(maxRel(got, expected)).toBeLessThan(1e-3);
    const [a, b] = [await state(reference), await state(compiledModel)];
    expect(b.length).toBe(a.length);
    let worst = 0;
    a.forEach((x, i) => {
      let w = 0;
      x.forEach((v, j) => { w = Math.max(w, Math.abs(v - b[i]![j]!) / Math.max(1, Math.abs(v))); });
      if (process.env.COMPILED_DEBUG) console.log('state', i, x.length, w, x.slice(0, 3), b[i]!.slice(0, 3));
      worst = Math.max(worst, w);
    });
    expect(worst).toBeLessThan(1e-3);
    // optimizer moments created on first sync are the only tensors the compiled path adds
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(b.length);
  } finally {
    reference.dispose();
    compiledModel.dispose();
  }
}

describe('compiled WebGPU GAN step (llvmpipe)', () => {
  it('classic GAN: losses and weights match the tfjs path over 20 steps', async () => {
    await compare('vanilla', { ema: true }, 20);
  });
  it('DCGAN: losses and weights match the tfjs path over 20 steps', async () => {
    await compare('dcgan', { size: 8, channels: 3, ema: true }, 20);
  });
});
// Why 1e-3 on weights and not 1e-6: the biases of dense/conv layers that feed a batch norm have
// a true gradient of 0; both paths compute rounding noise there and Adam turns noise of either
// sign into ±lr steps (up to ~9e-4 apart after 20 steps). Every other weight agrees within 1e-4.
