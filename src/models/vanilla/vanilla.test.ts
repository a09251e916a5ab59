import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { getFamily } from '../index.js';
import { TrainSpec } from '../../contract/runs.js';
import { stepRandom } from '../step-random.js';
import { isGeneratorModel, latentsForSeeds } from '../common/generator-model.js';
import { expectFamilyBasics } from '../../training/testing/family-test-kit.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('vanilla (classic MLP GAN)', () => {
  it('has the CONVENTIONS.md layers at the default preset', () => {
    const family = getFamily('vanilla');
    const spec = family.resolve(TrainSpec.parse({ task: 'generate', model: 'vanilla', size: 28, channels: 1 }));
    const model = family.create(spec, stepRandom(1));
    try {
      const g = model.networks.G!;
      const units = g.layers.filter((l) => l.getClassName() === 'Dense').map((l) => l.outputShape as number[]);
      expect(units.map((s) => s[1])).toEqual([128, 256, 28 * 28]);
      expect(g.outputs[0]!.shape).toEqual([null, 28, 28, 1]);
      expect(model.networks.D!.outputs[0]!.shape).toEqual([null, 1]);
    } finally {
      model.dispose();
    }
  });

  it('trains, leaks nothing, and round-trips weights (tiny, rgb, every loss + augment + ema)', async () => {
    await expectFamilyBasics('vanilla', { size: 8, channels: 3, loss: 'hinge', diffAugment: true, ema: true });
    await expectFamilyBasics('vanilla', { size: 12, channels: 1, loss: 'lsgan' });
  });

  it('maps the same seed to the same image', () => {
    const family = getFamily('vanilla');
    const model = family.create(family.resolve(TrainSpec.parse({ task: 'generate', model: 'vanilla', preset: 'tiny' })), stepRandom(3));
    try {
      expect(isGeneratorModel(model)).toBe(true);
      if (!isGeneratorModel(model)) return;
      const a = latentsForSeeds(5, 3, model.latentSize);
      const b = latentsForSeeds(6, 1, model.latentSize);
      expect(Array.from(a.slice([1, 0], [1, -1]).dataSync())).toEqual(Array.from(b.dataSync()));
      tf.dispose([a, b]);
    } finally {
      model.dispose();
    }
  });
});
