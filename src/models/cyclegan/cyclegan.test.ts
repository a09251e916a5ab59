import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainSpec, type TrainSpecInput } from '../../contract/runs.js';
import { AppError } from '../../contract/errors.js';
import { silentReporter } from '../../common/reporter.js';
import { getFamily } from '../index.js';
import { stepRandom } from '../../training/step-random.js';
import { memoryBatchSource } from '../../training/memory-source.js';
import { train } from '../../training/train.js';
import { readCheckpoint } from '../../training/checkpoint.js';
import { serializeModel, restoreModel } from '../../training/checkpoint-format.js';
import { syntheticImages } from '../../training/testing/family-test-kit.js';
import { prepareWasm } from '../../engine/wasm-setup.js';
import { instanceNorm, UpsampleNearest2d } from './layers.js';
import { isCycleGanModel, learningRateAt, type CycleGanModel } from './model.js';
import { resnetGenerator } from './networks.js';

let root: string;
beforeAll(async () => {
  // the pure-JS cpu backend's conv backprop is far too slow to train even tiny conv nets
  await prepareWasm();
  await tf.setBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'gan-cyclegan-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const specInput = (over: Partial<TrainSpecInput> = {}): TrainSpecInput => ({
  task: 'cyclegan', model: 'cyclegan', preset: 'tiny', seed: 3, size: 16, ...over,
});
const resolve = (over: Partial<TrainSpecInput> = {}) => getFamily('cyclegan').resolve(TrainSpec.parse(specInput(over)));

function create(over: Partial<TrainSpecInput> = {}): CycleGanModel {
  const model = getFamily('cyclegan').create(resolve(over), stepRandom(3));
  if (!isCycleGanModel(model)) throw new Error('not a cyclegan model');
  return model;
}

/** Two distinguishable domains: A = the synthetic square pictures, B = their negatives. */
function abBatch(n: number, size: number, seed: number) {
  const a = syntheticImages(n, size, 3, seed);
  return { a, b: tf.neg(a) as tf.Tensor4D };
}

describe('cyclegan', () => {
  it('instance norm has the gradient finite differences give', () => {
    const x = tf.randomNormal([2, 3, 4, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    const weights = tf.randomNormal([2, 3, 4, 2], 0, 1, 'float32', 2);
    const f = (v: tf.Tensor) => tf.sum(tf.mul(instanceNorm(v as tf.Tensor4D), weights)) as tf.Scalar;
    const analytic = tf.grad(f)(x);
    const base = x.arraySync();
    const eps = 1e-2;
    let maxError = 0;
    const grads = analytic.arraySync() as number[][][][];
    for (const [n, h, w, c] of [[0, 0, 0, 0], [0, 2, 3, 1], [1, 1, 2, 0], [1, 2, 0, 1]] as const) {
      const bump = (delta: number) => {
        const copy = structuredClone(base);
        copy[n]![h]![w]![c]! += delta;
        const t = tf.tensor4d(copy);
        const value = f(t).dataSync()[0]!;
        t.dispose();
        return value;
      };
      const numeric = (bump(eps) - bump(-eps)) / (2 * eps);
      maxError = Math.max(maxError, Math.abs(numeric - grads[n]![h]![w]![c]!));
    }
    expect(maxError).toBeLessThan(2e-2);
    // output is normalised per image and channel
    const { mean, variance } = tf.moments(instanceNorm(x), [1, 2]);
    expect(Math.max(...Array.from(mean.abs().dataSync()))).toBeLessThan(1e-5);
    expect(Math.max(...Array.from(variance.sub(1).abs().dataSync()))).toBeLessThan(1e-3);
    tf.dispose([x, weights, analytic, mean, variance]);
  });

  it('resolves presets and refuses bad sizes; lr is constant then decays linearly to zero', () => {
    expect(resolve({ preset: 'small', size: undefined }).size).toBe(64);
    const big = getFamily('cyclegan').resolve(TrainSpec.parse({ task: 'cyclegan', model: 'cyclegan', size: 256 }));
    expect(big.extra.blocks).toBe(9);
    expect(big.extra.filters).toBe(64);
    expect(() => resolve({ size: 30 })).toThrow(AppError);
    expect(() => resolve({ task: 'generate' })).toThrow(/cyclegan/);
    const spec = resolve({ steps: 100, lr: 1e-3 });
    expect(learningRateAt(spec, 0)).toBe(1e-3);
    expect(learningRateAt(spec, 49)).toBe(1e-3);
    expect(learningRateAt(spec, 75)).toBeCloseTo(5e-4, 10);
    expect(learningRateAt(spec, 100)).toBe(0);
  });

  it('trains in both directions with finite losses, right shapes and no tensor leak', () => {
    const model = create();
    const { a, b } = abBatch(2, 16, 1);
    try {
      for (const net of ['G_AB', 'G_BA', 'D_A', 'D_B']) expect(model.networks[net]).toBeDefined();
      const fakeB = model.translate(a, 'a2b');
      const fakeA = model.translate(b, 'b2a');
      expect(fakeB.shape).toEqual([2, 16, 16, 3]);
      expect(fakeA.shape).toEqual([2, 16, 16, 3]);
      const d = model.networks.D_B!.predict(fakeB) as tf.Tensor;
      expect(d.shape[3]).toBe(1);
      tf.dispose([fakeA, fakeB, d]);

      tf.dispose(Object.values(model.trainStep({ a, b }, 0))); // warm-up: optimizer slots appear here
      const before = tf.memory().numTensors;
      for (let step = 1; step <= 1; step++) {
        const scalars = model.trainStep({ a, b }, step);
        expect(Object.keys(scalars).sort()).toEqual([...model.lossNames].sort());
        for (const [name, t] of Object.entries(scalars)) expect(Number.isFinite(t.dataSync()[0]), name).toBe(true);
        tf.dispose(Object.values(scalars));
      }
      // pools grow by a batch per step until full (the tiny pool holds 8): that is state, not a leak
      expect(tf.memory().numTensors).toBe(before + 2 * 2);

      const grid = model.sampleGrid({ a, b });
      expect(grid.shape).toEqual([2 * 18 + 2, 6 * 18 + 2, 3]);
      expect(grid.min().dataSync()[0]).toBeGreaterThanOrEqual(0);
      grid.dispose();
      const odd = tf.randomUniform([1, 23, 37, 3], -1, 1) as tf.Tensor4D;
      const out = model.translateAnySize(odd, 'b2a');
      expect(out.shape).toEqual([1, 23, 37, 3]);
      tf.dispose([odd, out]);
    } finally {
      tf.dispose([a, b]);
      model.dispose();
    }
  });

  it('resize-convolution decoder (the small preset): nearest ×2 with block-sum gradients; trains leak-free; reloads from JSON', async () => {
    const up = new UpsampleNearest2d();
    const x = tf.tensor4d([[[[1], [2]], [[3], [4]]]]);
    const y = up.apply(x) as tf.Tensor4D;
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(Array.from(y.dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    // d/dx of Σ w·up(x) is the sum of w over each pixel's 2×2 block
    const w = tf.range(0, 16).reshape([1, 4, 4, 1]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(up.apply(v) as tf.Tensor, w)) as tf.Scalar)(x);
    expect(Array.from(g.dataSync())).toEqual([0 + 1 + 4 + 5, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, 10 + 11 + 14 + 15]);
    tf.dispose([x, y, w, g]);

    expect(resolve({ preset: 'small', size: undefined }).extra.upsample).toBe('resize');
    const spec = resolve();
    spec.extra.upsample = 'resize';
    const model = getFamily('cyclegan').create(spec, stepRandom(3)) as CycleGanModel;
    const { a, b } = abBatch(2, 16, 5);
    try {
      expect(model.networks.G_AB!.layers.some((l) => l instanceof UpsampleNearest2d)).toBe(true);
      tf.dispose(Object.values(model.trainStep({ a, b }, 0)));
      const before = tf.memory().numTensors;
      const scalars = model.trainStep({ a, b }, 1);
      for (const [name, t] of Object.entries(scalars)) expect(Number.isFinite(t.dataSync()[0]), name).toBe(true);
      tf.dispose(Object.values(scalars));
      expect(tf.memory().numTensors).toBe(before + 2 * 2); // the pools' new entries only
      const odd = tf.randomUniform([1, 21, 30, 3], -1, 1) as tf.Tensor4D;
      const out = model.translateAnySize(odd, 'a2b');
      expect(out.shape).toEqual([1, 21, 30, 3]);
      // an exported generator (layers-model JSON + weights) rebuilds with the custom layer
      const net = model.networks.G_AB!;
      const copy = await tf.models.modelFromJSON({ modelTopology: net.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] });
      copy.setWeights(net.getWeights());
      const viaCopy = copy.predict(a) as tf.Tensor;
      const direct = net.predict(a) as tf.Tensor;
      expect(viaCopy.sub(direct).abs().max().dataSync()[0]).toBeLessThan(1e-6);
      copy.dispose();
      tf.dispose([odd, out, viaCopy, direct]);
    } finally {
      tf.dispose([a, b]);
      model.dispose();
    }
  });

  it("the paper's generator is blind to an image's brightness; with its first layer plain it is not", () => {
    // instance norm right after a linear first layer removes any colour shift: G(x + c) = G(x)
    const shiftGap = (plainEncoderLayers: number) => tf.tidy(() => {
      const net = resnetGenerator({ channels: 3, filters: 4, blocks: 1, upsample: 'resize', plainEncoderLayers }, stepRandom(3), 'G');
      const x = tf.randomUniform([2, 16, 16, 3], -0.5, 0.5, 'float32', 4);
      const shifted = x.add(tf.tensor1d([0.4, -0.3, 0.2]));
      const gap = tf.abs(tf.sub(net.apply(x) as tf.Tensor, net.apply(shifted) as tf.Tensor)).max().dataSync()[0]!;
      net.dispose();
      return gap;
    });
    expect(shiftGap(0)).toBeLessThan(1e-3);
    expect(shiftGap(1)).toBeGreaterThan(0.05);
    expect(resolve({ preset: 'small', size: undefined }).extra.plainEncoderLayers).toBe(1);
  });

  it('round-trips weights, optimizers, pools and EMA through a checkpoint: the next step matches', async () => {
    const first = create({ ema: true });
    const { a, b } = abBatch(2, 16, 2);
    try {
      for (let step = 0; step < 2; step++) tf.dispose(Object.values(first.trainStep({ a, b }, step)));
      const { tensors, buffer } = await serializeModel(first);
      expect(tensors.extra.tensors.filter((t) => t.name.startsWith('pool/A/'))).toHaveLength(4);
      const second = create({ ema: true });
      try {
        await restoreModel(second, tensors, buffer, { optimizers: true });
        const s1 = first.trainStep({ a, b }, 2);
        const s2 = second.trainStep({ a, b }, 2);
        expect(s2['loss/D']!.dataSync()[0]).toBeCloseTo(s1['loss/D']!.dataSync()[0]!, 5);
        tf.dispose([...Object.values(s1), ...Object.values(s2)]);
        const o1 = first.translate(a, 'a2b');
        const o2 = second.translate(a, 'a2b');
        // tfjs's Adam rebuilds β^t with pow() on restore instead of repeated products: ~1e-7 apart
        const diff = o1.sub(o2).abs().max().dataSync()[0]!;
        expect(diff).toBeLessThan(1e-5);
        tf.dispose([o1, o2]);
      } finally {
        second.dispose();
      }
    } finally {
      tf.dispose([a, b]);
      first.dispose();
    }
  });

  it('through the generic train loop: pause at 2 and resume to 3 equals an uninterrupted run', async () => {
    const spec = specInput({ steps: 3, sampleEvery: 2, checkpointEvery: 3 });
    const source = () => {
      const { a, b } = abBatch(10, 16, 4);
      const both = tf.concat([a, b], 3);
      tf.dispose([a, b]);
      // memoryBatchSource gives the same images on every key; split channels to get A and B
      const src = memoryBatchSource(both as tf.Tensor4D, ['ab'], 5, { heldOutCount: 2 });
      const split = (batch: Record<string, tf.Tensor4D>) => {
        const [x, y] = tf.split(batch.ab!, 2, 3) as [tf.Tensor4D, tf.Tensor4D];
        batch.ab!.dispose();
        return { a: x, b: y };
      };
      return { ...src, keys: ['a', 'b'], next: (n: number) => split(src.next(n)), heldOut: (n: number) => split(src.heldOut(n)) };
    };
    const whole = join(root, 'whole');
    const s1 = source();
    await train({ spec, runDir: whole, source: s1, scoreImages: 2 }, { signal: new AbortController().signal, report: silentReporter });
    s1.dispose();

    const split = join(root, 'split');
    const controller = new AbortController();
    const report = { ...silentReporter, progress: (p: { done: number }) => { if (p.done === 2) controller.abort(new AppError('JOB_STATE', 'paused')); } };
    const s2 = source();
    const paused = await train({ spec, runDir: split, source: s2, scoreImages: 2 }, { signal: controller.signal, report });
    s2.dispose();
    expect(paused.stopped).toBe('paused');
    const s3 = source();
    const resumed = await train({ spec, runDir: split, source: s3, resume: true, scoreImages: 2 }, { signal: new AbortController().signal, report: silentReporter });
    s3.dispose();
    expect(resumed).toMatchObject({ step: 3, stopped: 'done' });

    const x = await readCheckpoint(whole, 'step-000003');
    const y = await readCheckpoint(split, 'step-000003');
    expect(y.buffer.byteLength).toBe(x.buffer.byteLength);
    const fx = new Float32Array(x.buffer.buffer.slice(x.buffer.byteOffset, x.buffer.byteOffset + x.buffer.byteLength));
    const fy = new Float32Array(y.buffer.buffer.slice(y.buffer.byteOffset, y.buffer.byteOffset + y.buffer.byteLength));
    let maxDiff = 0;
    for (let i = 0; i < fx.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fx[i]! - fy[i]!));
    expect(maxDiff).toBeLessThan(1e-5);
  });
});
