// `vanilla`: the classic MLP GAN, for any image size (pixels are flattened).
import { AppError } from '../../contract/errors.js';
import type { ModelFamily } from '../types.js';
import { createGeneratorModel } from '../common/generator-model.js';
import { requireTask, resolveFromPresets, type PresetName, type PresetValues } from '../common/presets.js';
import { vanillaDiscriminator, vanillaGenerator } from './networks.js';

const presets: Record<PresetName, PresetValues> = {
  // a step takes a few milliseconds on the cpu backend: for tests and e2e
  tiny: {
    size: 8, channels: 1, steps: 40, batch: 8, lr: 2e-4, loss: 'bce', diffAugment: false, ema: false, flip: false,
    sampleEvery: 20, checkpointEvery: 20, keepCheckpoints: 3,
    extra: { zDim: 16, hidden1: 32, hidden2: 64, previewCount: 16, emaDecay: 0.99 },
  },
  small: {
    size: 28, channels: 1, steps: 2000, batch: 32, lr: 2e-4, loss: 'bce', diffAugment: false, ema: true, flip: false,
    sampleEvery: 200, checkpointEvery: 500, keepCheckpoints: 3,
    extra: { zDim: 64, hidden1: 128, hidden2: 256, previewCount: 64, emaDecay: 0.995 },
  },
  default: {
    size: 28, channels: 1, steps: 20000, batch: 64, lr: 2e-4, loss: 'bce', diffAugment: false, ema: true, flip: false,
    sampleEvery: 500, checkpointEvery: 1000, keepCheckpoints: 3,
    extra: { zDim: 100, hidden1: 128, hidden2: 256, previewCount: 64, emaDecay: 0.999 },
  },
};

export const vanillaFamily: ModelFamily = {
  id: 'vanilla',
  task: 'generate',
  title: 'Classic GAN (MLP)',
  description: 'The original GAN of Goodfellow et al.: small fully-connected networks on flattened pixels. Fast, any size, blurry beyond digits.',
  batchKeys: ['real'],
  resolve(spec) {
    requireTask('vanilla', spec, 'generate');
    const resolved = resolveFromPresets('vanilla', spec, presets);
    if (resolved.size > 128) {
      throw new AppError('INVALID_ARGUMENT', `the classic GAN flattens images, so ${resolved.size}px is too large (at most 128); use --size 128 or less, or --model dcgan`);
    }
    return resolved;
  },
  create(spec, random) {
    const shape = {
      size: spec.size,
      channels: spec.channels,
      zDim: Number(spec.extra.zDim),
      hidden1: Number(spec.extra.hidden1),
      hidden2: Number(spec.extra.hidden2),
    };
    return createGeneratorModel({ family: 'vanilla', spec, random, G: vanillaGenerator(shape, random), D: vanillaDiscriminator(shape, random) });
  },
};
