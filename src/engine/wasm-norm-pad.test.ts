// The wasm kernels behind CycleGAN's instance norm and reflection padding (instance-norm.ts,
// mirror-pad.ts): values and gradients against the cpu backend, the composite tf-op forms and
// finite differences; no tensors or wasm buffers left.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { instanceNorm, mirrorPad2d } from '../models/cyclegan/layers.js';
import { prepareWasm } from './wasm-setup.js';

function data(n: number, seed: number, scale = 1, offset = 0): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * scale + offset;
  }
  return out;
}

async function on(backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const vals = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return vals;
}

function maxRelDiff(got: Float32Array, want: Float32Array): number {
  expect(got.length).toBe(want.length);
  let maxAbs = 0;
  let maxDiff = 0;
  for (let i = 0; i < want.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(want[i]!));
    maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
  }
  return maxDiff / Math.max(1, maxAbs);
}

const shapes: Array<[number, number, number, number]> = [[2, 5, 7, 3], [1, 8, 8, 16], [3, 4, 3, 1]];

describe('wasm instance norm and mirror pad kernels', () => {
  beforeAll(prepareWasm);

  for (const shape of shapes) {
    it(`instance norm ${shape.join('x')}: value and gradient match the cpu backend's tf.moments form`, async () => {
      const size = shape.reduce((a, b) => a * b, 1);
      // an offset and a spread per run, as conv outputs have
      const xv = data(size, 11, 3, 0.7);
      const dyv = data(size, 12);
      const run = (): tf.Tensor[] => {
        const x = tf.tensor4d(xv, shape);
        const dy = tf.tensor4d(dyv, shape);
        const f = (v: tf.Tensor) => tf.sum(tf.mul(instanceNorm(v as tf.Tensor4D), dy));
        return [instanceNorm(x), tf.grad(f)(x)];
      };
      const want = await on('cpu', run); // no kernel of ours there: the composite form
      const got = await on('wasm', run);
      expect(maxRelDiff(got[0]!, want[0]!)).toBeLessThan(1e-4);
      expect(maxRelDiff(got[1]!, want[1]!)).toBeLessThan(1e-4);
    });
  }

  for (const mode of ['reflect', 'symmetric'] as const) {
    it(`${mode} pad: value as tf.mirrorPad, gradient as finite differences on wasm and cpu`, async () => {
      const shape: [number, number, number, number] = [2, 5, 4, 3];
      const pad: [[number, number], [number, number]] = mode === 'reflect' ? [[2, 1], [3, 0]] : [[1, 2], [0, 3]];
      const xv = data(40 * 3, 21);
      const outSize = 2 * (5 + 3) * (4 + 3) * 3;
      const wv = data(outSize, 22);
      const run = (): tf.Tensor[] => {
        const x = tf.tensor4d(xv, shape);
        const w = tf.tensor4d(wv, [2, 8, 7, 3]);
        const f = (v: tf.Tensor) => tf.sum(tf.mul(mirrorPad2d(v as tf.Tensor4D, pad, mode), w));
        const stock = tf.mirrorPad(x, [[0, 0], pad[0], pad[1], [0, 0]], mode);
        return [mirrorPad2d(x, pad, mode), stock, tf.grad(f)(x)];
      };
      // f is linear in x, so the numerical gradient is exact up to rounding: dL/dx[i] = f(e_i) − f(0)
      const numeric = new Float32Array(xv.length);
      await tf.setBackend('cpu');
      tf.tidy(() => {
        const w = tf.tensor4d(wv, [2, 8, 7, 3]);
        for (let i = 0; i < xv.length; i++) {
          const e = new Float32Array(xv.length);
          e[i] = 1;
          numeric[i] = tf.sum(tf.mul(tf.mirrorPad(tf.tensor4d(e, shape), [[0, 0], pad[0], pad[1], [0, 0]], mode), w)).dataSync()[0]!;
        }
      });
      const [cpuValue] = await on('cpu', run);
      for (const backend of ['cpu', 'wasm']) {
        const [value, stock, grad] = await on(backend, run);
        expect(maxRelDiff(value!, stock!)).toBe(0);
        expect(maxRelDiff(value!, cpuValue!)).toBe(0); // wasm: our MirrorPad override
        expect(maxRelDiff(grad!, numeric)).toBeLessThan(1e-5);
      }
    });
  }

  it('leaves no tensors or wasm buffers behind over repeated training-style calls', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = tf.variable(tf.tensor4d(data(2 * 6 * 6 * 4, 41), [2, 6, 6, 4]));
    const opt = tf.train.sgd(0.01);
    const step = () => opt.minimize(() => tf.sum(tf.square(instanceNorm(mirrorPad2d(x, [[1, 1], [1, 1]])))) as tf.Scalar);
    step();
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
    x.dispose();
    opt.dispose();
  });
});
