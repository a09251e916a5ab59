import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { getFamily } from '../index.js';
import { TrainSpec, type TrainSpecInput } from '../../contract/runs.js';
import { stepRandom } from '../step-random.js';
import { expectFamilyBasics } from '../../training/testing/family-test-kit.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function build(over: Partial<TrainSpecInput>) {
  const family = getFamily('dcgan');
  return family.create(family.resolve(TrainSpec.parse({ task: 'generate', model: 'dcgan', ...over })), stepRandom(1));
}

describe('dcgan', () => {
  it('is the DCGAN-32 reference network at 32 px', () => {
    const model = build({ size: 32, channels: 3 });
    try {
      const g = model.networks.G!;
      const d = model.networks.D!;
      const gLayers = g.layers.map((l) => `${l.getClassName()}:${JSON.stringify(l.outputShape)}`);
      expect(gLayers).toEqual([
        'Dense:[null,4096]', 'Reshape:[null,4,4,256]', 'BatchNormalization:[null,4,4,256]', 'ReLU:[null,4,4,256]',
        'Conv2DTranspose:[null,8,8,128]', 'BatchNormalization:[null,8,8,128]', 'ReLU:[null,8,8,128]',
        'Conv2DTranspose:[null,16,16,64]', 'BatchNormalization:[null,16,16,64]', 'ReLU:[null,16,16,64]',
        'Conv2DTranspose:[null,32,32,3]',
      ]);
      const dLayers = d.layers.map((l) => `${l.getClassName()}:${JSON.stringify(l.outputShape)}`);
      expect(dLayers).toEqual([
        'Conv2D:[null,16,16,64]', 'LeakyReLU:[null,16,16,64]',
        'Conv2D:[null,8,8,128]', 'BatchNormalization:[null,8,8,128]', 'LeakyReLU:[null,8,8,128]',
        'Conv2D:[null,4,4,256]', 'BatchNormalization:[null,4,4,256]', 'LeakyReLU:[null,4,4,256]',
        'Flatten:[null,4096]', 'Dense:[null,1]',
      ]);
      // the PyTorch reference's parameter counts (trainable; BN moving stats excluded)
      const trainable = (net: tf.LayersModel) => net.trainableWeights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
      expect(trainable(g)).toBe(101 * 4096 + 2 * 256 + (256 * 128 * 16 + 128) + 2 * 128 + (128 * 64 * 16 + 64) + 2 * 64 + (64 * 3 * 16 + 3));
      expect(trainable(d)).toBe((3 * 64 * 16 + 64) + (64 * 128 * 16 + 128) + 2 * 128 + (128 * 256 * 16 + 256) + 2 * 256 + 4097);
    } finally {
      model.dispose();
    }
  });

  it('adds a layer per doubling at 64 and 128 px, gray or RGB', () => {
    // tiny filters: the layer ladder is the same code as at the default preset, built faster
    for (const [size, channels] of [[64, 1], [128, 3]] as const) {
      const model = build({ size, channels, preset: 'tiny' });
      try {
        expect(model.networks.G!.outputs[0]!.shape).toEqual([null, size, size, channels]);
        const convs = model.networks.D!.layers.filter((l) => l.getClassName() === 'Conv2D').length;
        expect(convs).toBe(Math.log2(size / 4));
      } finally {
        model.dispose();
      }
    }
    expect(() => build({ size: 48 })).toThrow(/32, 64, 128/);
  });

  it('trains, leaks nothing, and round-trips weights (tiny)', async () => {
    await expectFamilyBasics('dcgan', { size: 8, channels: 3, loss: 'bce', diffAugment: true, ema: true }, 2);
    await expectFamilyBasics('dcgan', { size: 16, channels: 1, loss: 'lsgan' }, 2);
  });
});
