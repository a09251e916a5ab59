// `esrgan`: super-resolution trained in ESRGAN's two phases. Phase 1 (steps < pretrainSteps) is
// the PSNR-oriented L1 pretraining; phase 2 adds a relativistic-average GAN loss and a perceptual
// loss. The perceptual loss is feature matching on the discriminator's stages (L1 between D's
// features of SR and HR) because ImageNet VGG weights cannot be downloaded at run time.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../contract/errors.js';
import type { ExtraState, GanModel, ModelFamily, ResolvedSpec, StepRandom, TrainBatch } from '../types.js';
import { makeGrid } from '../../data/image-io.js';
import { createAdam, trainableVariables } from '../common/optimizers.js';
import { requireTask, resolveFromPresets, type PresetName, type PresetValues } from '../common/presets.js';
import { esrganDiscriminator, esrganGenerator, upsampleStages, type GeneratorShape } from './networks.js';

const presets: Record<PresetName, PresetValues> = {
  // a step takes milliseconds on the cpu backend: for tests and e2e (2 steps L1, then GAN)
  tiny: {
    size: 12, channels: 3, steps: 6, batch: 2, lr: 2e-4, loss: 'bce', diffAugment: false, ema: false,
    sampleEvery: 3, checkpointEvery: 3, keepCheckpoints: 2,
    extra: { filters: 8, growth: 4, blocks: 1, denseBlocks: 1, globalResidual: true, dFilters: 8, dStages: 2, pretrainSteps: 2, l1Weight: 0.01, advWeight: 0.005, featWeight: 1 },
  },
  // PSNR-oriented (L1 only) and sized to train on a laptop CPU (wasm) within about an hour
  small: {
    size: 32, channels: 3, steps: 2400, batch: 8, lr: 5e-4, loss: 'bce', diffAugment: false, ema: false,
    sampleEvery: 250, checkpointEvery: 500, keepCheckpoints: 3,
    extra: { filters: 24, growth: 12, blocks: 1, denseBlocks: 3, globalResidual: true, dFilters: 16, dStages: 3, pretrainSteps: 1_000_000, l1Weight: 0.01, advWeight: 0.005, featWeight: 1 },
  },
  // ESRGAN's recipe at a size a desktop GPU trains in hours (the paper uses 23 blocks at 128 px)
  default: {
    size: 96, channels: 3, steps: 60_000, batch: 16, lr: 2e-4, loss: 'bce', diffAugment: false, ema: false,
    sampleEvery: 1000, checkpointEvery: 5000, keepCheckpoints: 3,
    extra: { filters: 64, growth: 32, blocks: 8, denseBlocks: 3, globalResidual: true, dFilters: 64, dStages: 4, pretrainSteps: 30_000, l1Weight: 0.01, advWeight: 0.005, featWeight: 1 },
  },
};

export const ESRGAN_LOSS_NAMES = ['loss/G', 'loss/D', 'loss/L1', 'loss/adv', 'loss/feat', 'psnr'] as const;

export function generatorShape(spec: ResolvedSpec): GeneratorShape {
  return {
    channels: spec.channels,
    scale: spec.scale ?? 2,
    filters: Number(spec.extra.filters),
    growth: Number(spec.extra.growth),
    blocks: Number(spec.extra.blocks),
    denseBlocks: Number(spec.extra.denseBlocks),
    globalResidual: spec.extra.globalResidual !== false,
  };
}

/** BCE with logits against a constant label, mean over the batch. */
function bce(logits: tf.Tensor, label: 0 | 1): tf.Scalar {
  return tf.losses.sigmoidCrossEntropy(label ? tf.onesLike(logits) : tf.zerosLike(logits), logits) as tf.Scalar;
}

/** Relativistic average (ESRGAN eq. 1–2): how much more real x looks than the average of the other set. */
function relativistic(real: tf.Tensor, fake: tf.Tensor): { real: tf.Tensor; fake: tf.Tensor } {
  return { real: tf.sub(real, tf.mean(fake)), fake: tf.sub(fake, tf.mean(real)) };
}

/** A fixed, deterministic HR/LR pair for previews when the run has no held-out images. */
function syntheticPair(spec: ResolvedSpec, count: number): TrainBatch {
  return tf.tidy(() => {
    const n = spec.size;
    const coords = tf.linspace(0, Math.PI * 4, n);
    const waves = Array.from({ length: count }, (_, i) =>
      tf.sin(tf.add(tf.outerProduct(coords, tf.onesLike(coords)).mul(1 + i), tf.outerProduct(tf.onesLike(coords), coords).mul(0.5 + i))),
    );
    const hr = tf.stack(waves).expandDims(3).tile([1, 1, 1, spec.channels]).mul(0.9) as tf.Tensor4D;
    const s = spec.scale ?? 2;
    const lr = tf.avgPool(hr, s, s, 'valid') as tf.Tensor4D;
    return { hr, lr };
  });
}

export function createEsrganModel(spec: ResolvedSpec, random: StepRandom): GanModel {
  const scale = spec.scale ?? 2;
  const G = esrganGenerator(generatorShape(spec), random);
  const { D, features } = esrganDiscriminator({ size: spec.size, channels: spec.channels, filters: Number(spec.extra.dFilters), stages: Number(spec.extra.dStages) }, random);
  // ESRGAN's Adam: β1 0.9, β2 0.99
  const optimizers = { G: createAdam({ lr: spec.lr, beta1: 0.9, beta2: 0.99 }), D: createAdam({ lr: spec.lr, beta1: 0.9, beta2: 0.99 }) };
  const gVars = trainableVariables(G);
  const dVars = trainableVariables(D);
  const pretrainSteps = Number(spec.extra.pretrainSteps);
  const weights = { l1: Number(spec.extra.l1Weight), adv: Number(spec.extra.advWeight), feat: Number(spec.extra.featWeight) };

  const pairs = (fixed: TrainBatch | null, count: number): TrainBatch => {
    if (fixed?.lr && fixed.hr) {
      const n = Math.min(count, fixed.lr.shape[0]);
      return tf.tidy(() => ({ lr: fixed.lr!.slice(0, n), hr: fixed.hr!.slice(0, n) }));
    }
    return syntheticPair(spec, count);
  };

  return {
    family: 'esrgan',
    task: 'superres',
    spec,
    networks: { G, D },
    optimizers,
    lossNames: ESRGAN_LOSS_NAMES,
    visualNames: ['lr (bilinear)', 'sr', 'hr'],

    trainStep(batch: TrainBatch, step: number) {
      const { lr, hr } = batch;
      if (!lr || !hr) throw new AppError('INVALID_ARGUMENT', 'esrgan: a training batch needs the keys "lr" and "hr"');
      return tf.tidy(() => {
        const zero = tf.scalar(0);
        if (step < pretrainSteps) {
          let psnr: tf.Scalar | undefined;
          const lossG = optimizers.G.minimize(() => {
            const sr = G.apply(lr, { training: true }) as tf.Tensor4D;
            psnr = tf.keep(psnrOf(sr, hr)); // G has no batch norm: the training forward is the inference one
            return tf.mean(tf.abs(tf.sub(sr, hr))) as tf.Scalar;
          }, true, gVars) as tf.Scalar;
          // every scalar a distinct tensor: the caller disposes each one
          return { 'loss/G': lossG, 'loss/D': zero, 'loss/L1': lossG.clone(), 'loss/adv': zero.clone(), 'loss/feat': zero.clone(), psnr: psnr! };
        }
        const lossD = optimizers.D.minimize(() => {
          const sr = G.apply(lr, { training: false }) as tf.Tensor4D;
          const r = relativistic(D.apply(hr, { training: true }) as tf.Tensor, D.apply(sr, { training: true }) as tf.Tensor);
          return tf.add(bce(r.real, 1), bce(r.fake, 0)).div(2) as tf.Scalar;
        }, true, dVars) as tf.Scalar;
        let l1: tf.Scalar | undefined;
        let adv: tf.Scalar | undefined;
        let feat: tf.Scalar | undefined;
        let psnr: tf.Scalar | undefined;
        const lossG = optimizers.G.minimize(() => {
          const sr = G.apply(lr, { training: true }) as tf.Tensor4D;
          psnr = tf.keep(psnrOf(sr, hr));
          const fakeOut = features.apply(sr, { training: true }) as tf.Tensor[];
          const realOut = features.apply(hr, { training: true }) as tf.Tensor[];
          const taps = fakeOut.length - 1;
          const r = relativistic(realOut[taps]!, fakeOut[taps]!);
          l1 = tf.keep(tf.mean(tf.abs(tf.sub(sr, hr))) as tf.Scalar);
          adv = tf.keep(tf.add(bce(r.real, 0), bce(r.fake, 1)).div(2) as tf.Scalar);
          const diffs = fakeOut.slice(0, taps).map((f, i) => tf.mean(tf.abs(tf.sub(f, realOut[i]!))));
          feat = tf.keep(tf.addN(diffs).div(taps) as tf.Scalar);
          return tf.addN([l1.mul(weights.l1), adv.mul(weights.adv), feat.mul(weights.feat)]) as tf.Scalar;
        }, true, gVars) as tf.Scalar;
        return { 'loss/G': lossG, 'loss/D': lossD, 'loss/L1': l1!, 'loss/adv': adv!, 'loss/feat': feat!, psnr: psnr! };
      });
    },

    sampleGrid(fixed: TrainBatch | null) {
      const pair = pairs(fixed, 4);
      const grid = tf.tidy(() => {
        const { lr, hr } = pair as { lr: tf.Tensor4D; hr: tf.Tensor4D };
        const base = tf.image.resizeBilinear(lr, [hr.shape[1], hr.shape[2]], false, true);
        const sr = G.apply(lr, { training: false }) as tf.Tensor4D;
        // rows of [bilinear | SR | HR], one row per image
        const rows = tf.stack([base, sr, hr], 1).reshape([hr.shape[0] * 3, hr.shape[1], hr.shape[2], hr.shape[3]]) as tf.Tensor4D;
        return makeGrid(tf.clipByValue(tf.div(tf.add(rows, 1), 2), 0, 1) as tf.Tensor4D, 3);
      });
      tf.dispose(Object.values(pair));
      return grid;
    },

    sampleForMetrics(count: number, fixed: TrainBatch | null) {
      const pair = pairs(fixed, count);
      const out = tf.tidy(() => tf.clipByValue(G.apply(pair.lr!, { training: false }) as tf.Tensor4D, -1, 1) as tf.Tensor4D);
      tf.dispose(Object.values(pair));
      return out;
    },

    getExtraState(): ExtraState {
      // the phase follows from the step, so resume needs nothing beyond weights and optimizers
      return { json: { scale, stages: upsampleStages(scale) }, tensors: {} };
    },
    setExtraState() {},

    dispose() {
      G.dispose();
      D.dispose(); // `features` shares D's layers: disposing D frees them
      optimizers.G.dispose();
      optimizers.D.dispose();
    },
  };
}

/** PSNR of the batch in dB (range [-1, 1] → peak-to-peak 2). */
function psnrOf(output: tf.Tensor4D, hr: tf.Tensor4D): tf.Scalar {
  const sr = tf.clipByValue(output, -1, 1);
  const mse = tf.maximum(tf.mean(tf.square(tf.sub(sr, hr))), 1e-10);
  return tf.sub(20 * Math.log10(2), tf.mul(10 / Math.LN10, tf.log(mse))) as tf.Scalar;
}

export const esrganFamily: ModelFamily = {
  id: 'esrgan',
  task: 'superres',
  title: 'ESRGAN (super-resolution)',
  description: 'RRDB generator with pixel-shuffle upsampling; L1 pretraining then relativistic GAN + feature-matching perceptual loss (Wang et al. 2018).',
  batchKeys: ['lr', 'hr'],
  resolve(spec) {
    requireTask('esrgan', spec, 'superres');
    const resolved = resolveFromPresets('esrgan', spec, presets);
    resolved.scale = spec.scale ?? 2;
    if (resolved.size % resolved.scale !== 0) {
      const fit = Math.max(resolved.scale, Math.round(resolved.size / resolved.scale) * resolved.scale);
      throw new AppError('INVALID_ARGUMENT', `esrgan: the HR crop (--size ${resolved.size}) must be divisible by the scale ${resolved.scale}; use --size ${fit}`);
    }
    const stages = Number(resolved.extra.dStages);
    if (resolved.size / 2 ** stages < 1) throw new AppError('INVALID_ARGUMENT', `esrgan: --size ${resolved.size} is too small for the discriminator; use at least ${2 ** stages}`);
    return resolved;
  },
  create: createEsrganModel,
};
