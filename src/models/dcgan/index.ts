// `dcgan`: convolutional GAN at 32, 64 or 128 px, gray or RGB (tiny also allows 8 and 16 px so
// tests and e2e train in milliseconds on the pure-JS backend).
import { AppError } from '../../contract/errors.js';
import type { ModelFamily } from '../types.js';
import { createGeneratorModel } from '../common/generator-model.js';
import { requireTask, resolveFromPresets, type PresetName, type PresetValues } from '../common/presets.js';
import { dcganDiscriminator, dcganGenerator } from './networks.js';

const presets: Record<PresetName, PresetValues> = {
  tiny: {
    size: 16, channels: 1, steps: 40, batch: 4, lr: 2e-4, loss: 'bce', diffAugment: false, ema: false, flip: false,
    sampleEvery: 20, checkpointEvery: 20, keepCheckpoints: 3,
    extra: { zDim: 16, baseFilters: 8, maxFilters: 32, previewCount: 16, emaDecay: 0.99 },
  },
  small: {
    size: 32, channels: 3, steps: 3000, batch: 32, lr: 2e-4, loss: 'bce', diffAugment: true, ema: true, flip: false,
    sampleEvery: 200, checkpointEvery: 500, keepCheckpoints: 3,
    extra: { zDim: 64, baseFilters: 32, maxFilters: 256, previewCount: 64, emaDecay: 0.995 },
  },
  // DCGAN-32 exactly as the reference: z 100, 64 base filters, batch 64, Adam 2e-4 / 0.5
  default: {
    size: 32, channels: 3, steps: 20000, batch: 64, lr: 2e-4, loss: 'bce', diffAugment: false, ema: true, flip: false,
    sampleEvery: 500, checkpointEvery: 1000, keepCheckpoints: 3,
    extra: { zDim: 100, baseFilters: 64, maxFilters: 512, previewCount: 64, emaDecay: 0.999 },
  },
};

const SIZES: Record<PresetName, readonly number[]> = { tiny: [8, 16, 32, 64, 128], small: [32, 64, 128], default: [32, 64, 128] };

export const dcganFamily: ModelFamily = {
  id: 'dcgan',
  task: 'generate',
  title: 'DCGAN',
  description: 'Deep convolutional GAN (Radford et al.): transposed convolutions with batch norm. 32, 64 or 128 px, gray or colour.',
  batchKeys: ['real'],
  resolve(spec) {
    requireTask('dcgan', spec, 'generate');
    const resolved = resolveFromPresets('dcgan', spec, presets);
    const allowed = SIZES[resolved.preset];
    if (!allowed.includes(resolved.size)) {
      throw new AppError('INVALID_ARGUMENT', `DCGAN trains at ${allowed.join(', ')} px (preset ${resolved.preset}), not ${resolved.size}; pass --size ${allowed.filter((s) => s >= 32)[0]}`);
    }
    return resolved;
  },
  create(spec, random) {
    const shape = {
      size: spec.size,
      channels: spec.channels,
      zDim: Number(spec.extra.zDim),
      baseFilters: Number(spec.extra.baseFilters),
      maxFilters: Number(spec.extra.maxFilters),
    };
    return createGeneratorModel({ family: 'dcgan', spec, random, G: dcganGenerator(shape, random), D: dcganDiscriminator(shape, random) });
  },
};
