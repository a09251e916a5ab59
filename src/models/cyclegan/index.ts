// `cyclegan`: unpaired image-to-image translation (Zhu et al. 2017) between two image sets A and B.
import { AppError } from '../../contract/errors.js';
import type { ModelFamily } from '../types.js';
import { requireTask, resolveFromPresets, type PresetName, type PresetValues } from '../common/presets.js';
import { createCycleGanModel } from './model.js';

const common = { lambdaCycle: 10, lambdaIdentity: 0.5, poolSize: 50, decayStart: 0.5, dLayers: 3 };

const presets: Record<PresetName, PresetValues> = {
  // milliseconds per step on the cpu backend: for tests and e2e
  tiny: {
    size: 32, channels: 3, steps: 20, batch: 2, lr: 2e-4, loss: 'lsgan', diffAugment: false, ema: false, flip: true,
    sampleEvery: 10, checkpointEvery: 10, keepCheckpoints: 2,
    extra: { ...common, filters: 8, dFilters: 8, blocks: 2, poolSize: 8, previewCount: 4, emaDecay: 0.99 },
  },
  // what a laptop CPU trains in an hour or two at 64 px (see BENCHMARKS.md / bench/cyclegan.ts).
  // Its generators leave the first convolution unnormalised (networks.ts, plainEncoderLayers):
  // on the emoji demo that lifted cycle PSNR from 20.0 dB (115 minutes, every layer normalised)
  // to 22.0–23.0 dB (87 minutes), and SWD from 0.048 / 0.058 to 0.037 / 0.044 (README).
  small: {
    size: 64, channels: 3, steps: 6000, batch: 4, lr: 2e-4, loss: 'lsgan', diffAugment: false, ema: true, flip: true,
    sampleEvery: 250, checkpointEvery: 500, keepCheckpoints: 3,
    extra: { ...common, filters: 16, dFilters: 16, blocks: 4, previewCount: 6, emaDecay: 0.999, upsample: 'resize', plainEncoderLayers: 1 },
  },
  // the paper: 64 base filters, 9 blocks at 256 px, batch 1, 200 epochs of ~1000 images
  default: {
    size: 256, channels: 3, steps: 200_000, batch: 1, lr: 2e-4, loss: 'lsgan', diffAugment: false, ema: false, flip: true,
    sampleEvery: 1000, checkpointEvery: 5000, keepCheckpoints: 3,
    extra: { ...common, filters: 64, dFilters: 64, blocks: 9, previewCount: 6, emaDecay: 0.999 },
  },
};

export const cycleganFamily: ModelFamily = {
  id: 'cyclegan',
  task: 'cyclegan',
  title: 'CycleGAN',
  description: 'Unpaired style transfer between two image sets (Zhu et al. 2017): ResNet generators, PatchGAN discriminators, cycle consistency. Translates images of any size.',
  batchKeys: ['a', 'b'],
  resolve(spec) {
    requireTask('cyclegan', spec, 'cyclegan');
    const resolved = resolveFromPresets('cyclegan', spec, presets);
    if (resolved.size % 4 !== 0 || resolved.size < 16) {
      throw new AppError('INVALID_ARGUMENT', `CycleGAN trains on square crops whose side is a multiple of 4 and at least 16 px, got ${resolved.size}; use --size 32, 64, 128 or 256`);
    }
    if (resolved.loss !== 'lsgan') {
      throw new AppError('INVALID_ARGUMENT', `CycleGAN uses the least-squares GAN loss; drop --loss ${resolved.loss} (or pass --loss lsgan)`);
    }
    // the PatchGAN needs ≥ 4×4 features after its strided layers: fewer layers on small crops
    resolved.extra.dLayers = Math.min(Number(resolved.extra.dLayers), Math.floor(Math.log2(resolved.size / 4)));
    // the paper's 9 blocks are for 256 px and up; 6 below
    if (spec.preset === 'default' || spec.preset === undefined) resolved.extra.blocks = resolved.size >= 256 ? 9 : 6;
    return resolved;
  },
  create(spec, random) {
    return createCycleGanModel(spec, random);
  },
};

export { createCycleGanModel, isCycleGanModel, learningRateAt, type CycleGanModel, type Direction } from './model.js';
