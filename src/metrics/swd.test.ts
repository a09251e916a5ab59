import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { slicedWassersteinDistance, swdPerLevel } from './swd.js';
import { defaultPyramidLevels, laplacianPyramid, pyramidUp } from './laplacian-pyramid.js';

/** Random coloured 4×4-pixel blocks in [-0.8, 0.8]: flat regions and hard edges, like drawings. */
function blocks(n: number, size: number, seed: number): tf.Tensor4D {
  return tf.tidy(() =>
    tf.sign(tf.randomUniform([n, size / 4, size / 4, 3], -1, 1, 'float32', seed)).mul(0.8).resizeNearestNeighbor([size, size]) as tf.Tensor4D,
  );
}

function blur(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.avgPool(tf.avgPool(tf.avgPool(x, 3, 1, 'same'), 3, 1, 'same'), 3, 1, 'same'));
}

describe('sliced Wasserstein distance', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('builds a pyramid whose levels add back to the image', () => {
    const x = blocks(2, 32, 1);
    const stack = { data: x.dataSync() as Float32Array, n: 2, h: 32, w: 32, c: 3 };
    const levels = laplacianPyramid(stack, 3);
    expect(levels.map((l) => [l.h, l.w])).toEqual([[32, 32], [16, 16], [8, 8]]);
    // band + up(next) reconstructs each level exactly
    const up = pyramidUp(pyramidUp(levels[2]!, 16, 16), 32, 32);
    const mid = pyramidUp(levels[1]!, 32, 32);
    let maxError = 0;
    for (let i = 0; i < stack.data.length; i++) maxError = Math.max(maxError, Math.abs(levels[0]!.data[i]! + mid.data[i]! + up.data[i]! - stack.data[i]!));
    expect(maxError).toBeLessThan(1e-5);
    expect(defaultPyramidLevels(64, 64)).toBe(3);
    expect(defaultPyramidLevels(37, 23)).toBe(1);
    x.dispose();
  });

  it('is zero for identical sets, larger for blurred or decoloured ones, symmetric and deterministic', async () => {
    const a = blocks(16, 32, 1);
    const a2 = blocks(16, 32, 2);
    const blurred = blur(a2);
    const gray = tf.tidy(() => a2.mean(3, true).tile([1, 1, 1, 3]) as tf.Tensor4D);
    const options = { seed: 7, patchesPerImage: 128, projections: 32 };
    const before = tf.memory().numTensors;

    const same = await slicedWassersteinDistance(a, a, options);
    const sameDistribution = await swdPerLevel(a, a2, options);
    const toBlurred = await swdPerLevel(a, blurred, options);
    const toGray = await slicedWassersteinDistance(a, gray, options);
    const reversed = await slicedWassersteinDistance(a2, a, options);
    const again = await slicedWassersteinDistance(a, a2, options);

    expect(tf.memory().numTensors).toBe(before);
    expect(same).toBe(0);
    expect(sameDistribution).toHaveLength(2);
    const mean = (sameDistribution[0]! + sameDistribution[1]!) / 2;
    expect(mean).toBeGreaterThan(0);
    // blur removes the fine band's edges: the finest level sees it most
    expect(toBlurred[0]!).toBeGreaterThan(sameDistribution[0]! * 1.5);
    expect(toGray).toBeGreaterThan(mean * 1.3);
    expect(reversed).toBeCloseTo(mean, 10);
    expect(again).toBeCloseTo(mean, 12);
    tf.dispose([a, a2, blurred, gray]);
  });

  it('compares sets of different sizes and depends on the seed', async () => {
    const a = blocks(8, 16, 1);
    const b = blocks(5, 16, 2);
    const options = { patchesPerImage: 16, projections: 32 };
    const d1 = await slicedWassersteinDistance(a, b, { ...options, seed: 1 });
    const d2 = await slicedWassersteinDistance(b, a, { ...options, seed: 1 });
    const d3 = await slicedWassersteinDistance(a, b, { ...options, seed: 2 });
    expect(Number.isFinite(d1)).toBe(true);
    expect(d2).toBeCloseTo(d1, 10);
    expect(d3).not.toBe(d1);
    tf.dispose([a, b]);
  });

  it('refuses mismatched sets with a clear error', async () => {
    const a = tf.zeros([2, 16, 16, 3]) as tf.Tensor4D;
    const b = tf.zeros([2, 16, 16, 1]) as tf.Tensor4D;
    await expect(slicedWassersteinDistance(a, b)).rejects.toThrow(/channel/);
    tf.dispose([a, b]);
  });
});
