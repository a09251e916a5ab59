// The generation step against PyTorch's loop (bench/quality_torch.py), where one G forward per
// step feeds both D's and G's half: G's batch-norm running statistics (what samples are drawn
// with) must move once per step, not once per forward pass.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainSpec } from '../../contract/runs.js';
import { getFamily } from '../index.js';
import { stepRandom } from '../step-random.js';
import { syntheticImages } from '../../training/testing/family-test-kit.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('generation step', () => {
  for (const model of ['vanilla', 'dcgan'] as const) {
    it(`${model}: one step moves G's running statistics once, as one training-mode forward does`, () => {
      const family = getFamily(model);
      const spec = family.resolve(TrainSpec.parse({ task: 'generate', model, preset: 'tiny', ema: false }));
      const trained = family.create(spec, stepRandom(4));
      const reference = family.create(spec, stepRandom(4));
      const real = syntheticImages(spec.batch, spec.size, spec.channels);
      try {
        const G = trained.networks.G!;
        const before = G.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
        tf.dispose(Object.values(trained.trainStep({ real }, 0)));
        // the same z the step drew, through the same (untrained) G once, in training mode
        const z = tf.randomNormal([spec.batch, Number(spec.extra.zDim)], 0, 1, 'float32', stepRandom(4).stepSeed('z', 0));
        tf.dispose(reference.networks.G!.apply(z, { training: true }) as tf.Tensor);
        z.dispose();
        const once = reference.networks.G!.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
        const after = G.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
        expect(after.length).toBeGreaterThan(0);
        after.forEach((values, i) => {
          expect(values).not.toEqual(before[i]);
          values.forEach((v, j) => expect(v).toBeCloseTo(once[i]![j]!, 5));
        });
      } finally {
        real.dispose();
        trained.dispose();
        reference.dispose();
      }
    });
  }
});
