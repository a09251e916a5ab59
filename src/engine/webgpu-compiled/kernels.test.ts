// Single compiled kernels against tfjs on llvmpipe: each kernel's forward and its gradient on
// small random inputs (tf.grad of the same function is the reference).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { installWebGpu } from '../webgpu-setup.js';
import { augmentDraws, cutoutSize, diffAugment } from '../../models/common/diff-augment.js';
import { KernelHarness } from './kernel-harness.js';
import { AUG, AUG_BACKWARD, AUG_FORWARD, AUG_PARAM_FLOATS } from './wgsl-augment.js';

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

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i]! - b[i]!));
  return most;
}

describe('compiled kernels vs tfjs (llvmpipe)', () => {
  for (const [n, size, channels] of [[3, 8, 3], [2, 12, 1]] as const) {
    it(`DiffAugment forward and input gradient, ${n}×${size}²×${channels}`, async () => {
      const seed = 4242;
      const shape = [n, size, size, channels] as [number, number, number, number];
      const x = tf.randomUniform(shape, -1, 1, 'float32', 1);
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 2);
      const expectedY = diffAugment(x as tf.Tensor4D, seed);
      const expectedDx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(diffAugment(v as tf.Tensor4D, seed), dy)))(x);
      const h = new KernelHarness();
      const inX = h.region('x', (await x.data()) as Float32Array);
      const inDy = h.region('dy', (await dy.data()) as Float32Array);
      const draws = h.region('draws', augmentDraws(n, size, size, channels, seed));
      const y = h.region('y', x.size);
      const dx = h.region('dx', x.size);
      const words = { [AUG.H]: size, [AUG.W]: size, [AUG.C]: channels, [AUG.OFF_P]: draws.offset, [AUG.CUT_H]: cutoutSize(size), [AUG.CUT_W]: cutoutSize(size) };
      h.dispatch('aug-f', AUG_FORWARD, { ...words, [AUG.OFF_IN]: inX.offset, [AUG.OFF_OUT]: y.offset }, [n, 1, 1]);
      h.dispatch('aug-b', AUG_BACKWARD, { ...words, [AUG.OFF_IN]: inDy.offset, [AUG.OFF_OUT]: dx.offset }, [n, 1, 1]);
      const [gotY, gotDx] = await h.run([y, dx]);
      expect(AUG_PARAM_FLOATS).toBe(8);
      expect(maxAbsDiff(gotY!, await expectedY.data())).toBeLessThan(1e-5);
      expect(maxAbsDiff(gotDx!, await expectedDx.data())).toBeLessThan(1e-5);
      tf.dispose([x, dy, expectedY, expectedDx]);
    });
  }
});
