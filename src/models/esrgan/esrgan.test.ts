import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { getFamily } from '../index.js';
import { prepareWasm } from '../../engine/wasm-setup.js';
import { TrainSpec, type TrainSpecInput } from '../../contract/runs.js';
import { stepRandom } from '../step-random.js';
import { restoreModel, serializeModel } from '../../training/checkpoint-format.js';
import { pixelShuffle } from './layers.js';

beforeAll(async () => {
  // wasm with the engine's training kernels: the pure-JS cpu backend's conv backprop is ~5× slower here
  await prepareWasm();
  await tf.setBackend('wasm');
});

function tinyModel(overrides: Partial<TrainSpecInput> = {}, seed = 7) {
  const family = getFamily('esrgan');
  const spec = family.resolve(TrainSpec.parse({ task: 'superres', model: 'esrgan', preset: 'tiny', ...overrides }));
  return { family, spec, model: family.create(spec, stepRandom(seed)) };
}

function pairBatch(n: number, size: number, scale: number, seed: number) {
  return tf.tidy(() => {
    const hr = tf.randomUniform([n, size, size, 3], -1, 1, 'float32', seed) as tf.Tensor4D;
    return { hr, lr: tf.avgPool(hr, scale, scale, 'valid') as tf.Tensor4D };
  });
}

describe('pixel shuffle from reshape + transpose', () => {
  it('matches depthToSpace forward, and its gradient matches an index-by-index reference', () => {
    const r = 2;
    const x = tf.randomNormal([2, 3, 4, 3 * r * r], 0, 1, 'float32', 1) as tf.Tensor4D;
    const ours = pixelShuffle(x, r);
    const ref = tf.depthToSpace(x, r, 'NHWC');
    expect(ours.shape).toEqual([2, 6, 8, 3]);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(ref.dataSync()));

    const w = tf.randomNormal([2, 6, 8, 3], 0, 1, 'float32', 2);
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(pixelShuffle(v as tf.Tensor4D, r), w)))(x);
    // d/dx[b,h,w,(i·r+j)·C+c] of Σ ps(x)·W = W[b, h·r+i, w·r+j, c]
    const W = w.arraySync() as number[][][][];
    const expected = new Float32Array(x.size);
    const [, H, Wd, C4] = x.shape;
    const C = C4 / (r * r);
    for (let b = 0; b < 2; b++)
      for (let h = 0; h < H; h++)
        for (let ww = 0; ww < Wd; ww++)
          for (let i = 0; i < r; i++)
            for (let j = 0; j < r; j++)
              for (let c = 0; c < C; c++) expected[((b * H + h) * Wd + ww) * C4 + (i * r + j) * C + c] = W[b]![h * r + i]![ww * r + j]![c]!;
    expect(Array.from(grad.dataSync())).toEqual(Array.from(expected));
    tf.dispose([x, ours, ref, w, grad]);
  });
});

describe('esrgan (tiny)', () => {
  it('upscales any size by ×2, ×3 and ×4, and D scores HR crops', () => {
    for (const scale of [2, 3, 4] as const) {
      const { model } = tinyModel({ scale });
      try {
        const G = model.networks.G!;
        expect(G.outputs[0]!.shape).toEqual([null, null, null, 3]);
        const out = tf.tidy(() => G.predict(tf.zeros([1, 5, 7, 3])) as tf.Tensor);
        expect(out.shape).toEqual([1, 5 * scale, 7 * scale, 3]);
        out.dispose();
        expect(model.networks.D!.outputs[0]!.shape).toEqual([null, 1]);
      } finally {
        model.dispose();
      }
    }
  });

  it('refuses a crop size the scale does not divide', () => {
    expect(() => getFamily('esrgan').resolve(TrainSpec.parse({ task: 'superres', model: 'esrgan', preset: 'tiny', size: 14, scale: 4 }))).toThrow(/--size 16/);
  });

  it('trains through both phases with finite losses and no leak, and round-trips weights', async () => {
    const { family, spec, model } = tinyModel();
    const pretrain = Number(spec.extra.pretrainSteps);
    const step = (s: number) => {
      const batch = pairBatch(spec.batch, spec.size, 2, 100 + s);
      const scalars = model.trainStep(batch, s);
      tf.dispose(Object.values(batch));
      return scalars;
    };
    try {
      tf.dispose(Object.values(step(0))); // warm-up, L1 phase (G's Adam slots)
      tf.dispose(Object.values(step(pretrain))); // warm-up, GAN phase (D's Adam slots)
      const before = tf.memory().numTensors;
      for (const s of [1, pretrain + 1, pretrain + 2]) {
        const scalars = step(s);
        expect(Object.keys(scalars).sort()).toEqual([...model.lossNames].sort());
        expect(new Set(Object.values(scalars)).size, 'each scalar is its own tensor').toBe(model.lossNames.length);
        for (const [name, t] of Object.entries(scalars)) expect(Number.isFinite(t.dataSync()[0]), `${name} at ${s}`).toBe(true);
        if (s >= pretrain) expect(scalars['loss/D']!.dataSync()[0]).toBeGreaterThan(0);
        else expect(scalars['loss/adv']!.dataSync()[0]).toBe(0);
        tf.dispose(Object.values(scalars));
      }
      expect(tf.memory().numTensors).toBe(before);

      const fixed = pairBatch(2, spec.size, 2, 9);
      const grid = model.sampleGrid(fixed);
      expect(grid.shape[2]).toBe(3);
      const metrics = model.sampleForMetrics!(2, fixed);
      expect(metrics.shape).toEqual([2, spec.size, spec.size, 3]);
      tf.dispose([grid, metrics]);

      const { tensors, buffer } = await serializeModel(model);
      const copy = family.create(spec, stepRandom(7));
      try {
        await restoreModel(copy, tensors, buffer, { optimizers: true });
        const a = model.networks.G!.predict(fixed.lr) as tf.Tensor;
        const b = copy.networks.G!.predict(fixed.lr) as tf.Tensor;
        expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
        tf.dispose([a, b]);
      } finally {
        copy.dispose();
      }
      tf.dispose(Object.values(fixed));
    } finally {
      model.dispose();
    }
  });
});
