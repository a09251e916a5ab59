import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mnistDigits } from '../data/samples.js';
import { digitClassifier } from './digit-classifier.js';
import { frechetDistance, kernelInceptionDistance, symmetricEigen, type FeatureSet } from './feature-distances.js';
import { digitFeaturesApply, generationQuality, inceptionStyleScore } from './generation-quality.js';
import { mulberry32 } from '../common/prng.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function gaussian(n: number, d: number, seed: number, shift = 0, scale = 1): FeatureSet {
  const rand = mulberry32(seed);
  const values = new Float64Array(n * d);
  for (let i = 0; i < values.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(rand() + 1e-12));
    const t = 2 * Math.PI * rand();
    values[i] = r * Math.cos(t) * scale + shift;
    if (i + 1 < values.length) values[i + 1] = r * Math.sin(t) * scale + shift;
  }
  return { values, n, d };
}

function digitsTensor(keep: (index: number) => boolean): tf.Tensor4D {
  const picked = mnistDigits().filter((d) => keep(d.index));
  return tf.tensor4d(Float32Array.from(picked.flatMap((d) => Array.from(d.pixels, (v) => v / 127.5 - 1))), [picked.length, 28, 28, 1]);
}

describe('feature distances', () => {
  it('KID is unbiased (≈0 for one distribution at any n), FID matches the Gaussian closed form', () => {
    const d = 8;
    for (const n of [50, 400]) expect(Math.abs(kernelInceptionDistance(gaussian(n, d, 1), gaussian(n, d, 2)))).toBeLessThan(0.15);
    expect(kernelInceptionDistance(gaussian(200, d, 1), gaussian(200, d, 2, 1))).toBeGreaterThan(0.5);
    // N(0, I) vs N(1·1, 4I) in d dims: d·1² + d·(1 + 4 − 2·2) = 2d
    const fid = frechetDistance(gaussian(4000, d, 3), gaussian(4000, d, 4, 1, 2));
    expect(fid).toBeGreaterThan(2 * d * 0.9);
    expect(fid).toBeLessThan(2 * d * 1.1);
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect([...values].sort()).toEqual([expect.closeTo(1, 10), expect.closeTo(3, 10)]);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 10);
  });

  it('the inception-style score runs from 1 (one class) to the number of classes', () => {
    const one = new Float32Array(40).map((_, i) => (i % 10 === 3 ? 1 : 0));
    expect(inceptionStyleScore(one, 4)).toBeCloseTo(1, 6);
    const all = new Float32Array(100).map((_, i) => (Math.floor(i / 10) === i % 10 ? 1 : 0));
    expect(inceptionStyleScore(all, 10)).toBeCloseTo(10, 4);
  });
});

describe('generation quality on digits (the shipped classifier)', () => {
  it('loads the classifier trained from the mnist package and ranks real < mirrored < noise, leaking nothing', async () => {
    const classifier = await digitClassifier();
    expect(classifier.accuracy).toBeGreaterThan(0.93);
    const real = digitsTensor((i) => i >= 900 && i < 920); // 200 held-out digits
    const train = digitsTensor((i) => i < 20);
    const mirrored = tf.reverse(train, 2) as tf.Tensor4D;
    const noise = tf.randomUniform([200, 28, 28, 1], -1, 1, 'float32', 5) as tf.Tensor4D;
    const padded = tf.image.resizeBilinear(train, [32, 32]) as tf.Tensor4D; // 32 px, as DCGAN trains on them
    try {
      const before = tf.memory().numTensors;
      const same = await generationQuality(train, real, { swd: false });
      expect(tf.memory().numTensors).toBe(before);
      const flipped = await generationQuality(mirrored, real, { swd: false });
      const random = await generationQuality(noise, real);
      expect(same.primary).toBe('quality/kid');
      const kid = (q: typeof same) => q.scores['quality/kid']!;
      expect(kid(same)).toBeLessThan(kid(flipped));
      expect(kid(flipped)).toBeLessThan(kid(random));
      expect(same.scores['quality/confident']!).toBeGreaterThan(0.75);
      expect(flipped.scores['quality/confident']!).toBeLessThan(same.scores['quality/confident']!);
      expect(same.scores['quality/is']!).toBeGreaterThan(7);
      expect(random.scores['quality/swd']).toBeGreaterThan(0);
      expect(digitFeaturesApply(padded.shape)).toBe(true);
      expect((await generationQuality(padded, real, { swd: false })).scores['quality/kid']).toBeLessThan(kid(flipped));
      const rgb = tf.zeros([4, 16, 16, 3]) as tf.Tensor4D;
      const colour = await generationQuality(rgb, rgb);
      expect(colour.primary).toBe('quality/swd');
      expect(Object.keys(colour.scores)).toEqual(['quality/swd']);
      rgb.dispose();
    } finally {
      tf.dispose([real, train, mirrored, noise, padded]);
    }
  });
});
