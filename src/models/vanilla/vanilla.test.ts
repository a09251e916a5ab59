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

  it("starts from PyTorch's nn.Linear init: kernel and bias U(±1/√fan_in)", () => {
    const family = getFamily('vanilla');
    const spec = family.resolve(TrainSpec.parse({ task: 'generate', model: 'vanilla', size: 28, channels: 1 }));
    const model = family.create(spec, stepRandom(1));
    try {
      const dense = (net: tf.LayersModel) => net.layers.filter((l) => l.getClassName() === 'Dense');
      const layers = [...dense(model.networks.G!), ...dense(model.networks.D!)];
      // G: z 100 → 128 → 256 → 784; D: 784 → 256 → 128 → 1
      expect(layers.map((l) => (l.getWeights()[0]!.shape as number[])[0])).toEqual([100, 128, 256, 784, 256, 128]);
      for (const layer of layers) {
        const [kernel, bias] = layer.getWeights().map((w) => Array.from(w.dataSync()));
        const bound = 1 / Math.sqrt((layer.getWeights()[0]!.shape as number[])[0]!);
        for (const values of [kernel!, bias!]) {
          const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
          expect(largest).toBeLessThanOrEqual(bound);
          if (values.length >= 128) expect(largest).toBeGreaterThan(0.9 * bound);
          expect(values.some((v) => v !== 0)).toBe(true);
        }
        const std = Math.sqrt(kernel!.reduce((a, v) => a + v * v, 0) / kernel!.length);
        expect(std).toBeCloseTo(bound / Math.sqrt(3), 2);
      }
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
