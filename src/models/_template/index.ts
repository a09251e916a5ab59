// Runnable documentation: the smallest complete model family. Copy this folder to add one:
//   1. rename the id, write resolve() (presets → ResolvedSpec) and create() (networks, optimizers);
//   2. add `registerFamily(yourFamily)` to src/models/index.ts (one import line);
//   3. copy template.test.ts — expectFamilyBasics checks shapes, finite losses, no tensor leaks
//      and save → load; the training loop, checkpoints, resume, samples and SWD come for free.
// This family is deliberately NOT registered in index.ts, so the app never lists it.
// A generation family's model also has the generator capability (GeneratorModel in
// common/generator-model.ts: latentSize and generate(z)); it is what `generate`, `interpolate`,
// batches and `models export` use, and what makes training score it as a generator. A family
// can instead reuse createGeneratorModel there, as vanilla and dcgan do.
import * as tf from '@tensorflow/tfjs';
import { makeGrid } from '../../data/image-io.js';
import type { ModelFamily, ResolvedSpec, StepRandom, TrainBatch } from '../types.js';
import type { GeneratorModel } from '../common/generator-model.js';
import { discriminatorLoss, generatorLoss, meanProbability } from '../common/losses.js';
import { createAdam, trainableVariables } from '../common/optimizers.js';
import { glorotInit, initSeeds } from '../common/init.js';
import { requireTask, resolveFromPresets, type PresetName, type PresetValues } from '../common/presets.js';

const base: PresetValues = {
  size: 8, channels: 1, steps: 100, batch: 8, lr: 1e-3, loss: 'bce', diffAugment: false, ema: false,
  sampleEvery: 50, checkpointEvery: 50, keepCheckpoints: 2, extra: { zDim: 8 },
};
const presets: Record<PresetName, PresetValues> = { tiny: base, small: base, default: { ...base, steps: 1000 } };

function createTemplateModel(spec: ResolvedSpec, random: StepRandom): GeneratorModel {
  const zDim = Number(spec.extra.zDim);
  // Seed every initializer from the run seed (initSeeds): fresh runs are reproducible.
  const gSeeds = initSeeds(random, 'G');
  const G = tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [zDim], units: spec.size * spec.size * spec.channels, activation: 'tanh', kernelInitializer: glorotInit(gSeeds) }),
    tf.layers.reshape({ targetShape: [spec.size, spec.size, spec.channels] }),
  ] });
  const dSeeds = initSeeds(random, 'D');
  const D = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [spec.size, spec.size, spec.channels] }),
    tf.layers.dense({ units: 1, kernelInitializer: glorotInit(dSeeds) }),
  ] });
  const optimizers = { G: createAdam({ lr: spec.lr }), D: createAdam({ lr: spec.lr }) };
  const loss = spec.loss ?? 'bce';
  // Randomness comes from random.stepSeed(purpose, step), never Math.random: exact resume.
  const previewZ = () => tf.randomNormal([16, zDim], 0, 1, 'float32', random.stepSeed('preview', 0));

  return {
    family: 'template',
    task: 'generate',
    spec,
    networks: { G, D }, // saved/loaded by name, weights in network order
    optimizers, // saved via getWeights/setWeights
    lossNames: ['loss/G', 'loss/D', 'D(x)', 'D(G(z))'],
    visualNames: ['fake'],
    // the generator capability: z [n, zDim] → images [n, H, W, C] in [-1, 1]
    latentSize: zDim,
    generate: (z: tf.Tensor2D) => tf.tidy(() => G.apply(z, { training: false }) as tf.Tensor4D),
    trainStep(batch: TrainBatch, step: number) {
      // Everything inside tf.tidy; the returned scalars are the caller's to read and dispose.
      return tf.tidy(() => {
        const real = batch.real!;
        const z = tf.randomNormal([real.shape[0], zDim], 0, 1, 'float32', random.stepSeed('z', step));
        let dx: tf.Scalar | undefined;
        let dgz: tf.Scalar | undefined;
        const lossD = optimizers.D.minimize(() => {
          const realLogits = D.apply(real, { training: true }) as tf.Tensor;
          const fakeLogits = D.apply(G.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor;
          dx = tf.keep(meanProbability(realLogits));
          dgz = tf.keep(meanProbability(fakeLogits));
          return discriminatorLoss(loss, realLogits, fakeLogits);
        }, true, trainableVariables(D)) as tf.Scalar;
        const lossG = optimizers.G.minimize(
          () => generatorLoss(loss, D.apply(G.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor),
          true, trainableVariables(G),
        ) as tf.Scalar;
        return { 'loss/G': lossG, 'loss/D': lossD, 'D(x)': dx!, 'D(G(z))': dgz! };
      });
    },
    sampleGrid() {
      // [H, W, C] in [0, 1]; the loop writes it to samples/step-XXXXXX.png
      return tf.tidy(() => makeGrid(tf.div(tf.add(G.apply(previewZ(), { training: false }) as tf.Tensor4D, 1), 2) as tf.Tensor4D));
    },
    sampleForMetrics(count: number) {
      // NHWC in [-1, 1], for the best-checkpoint SWD; a fixed latent so scores are comparable
      return tf.tidy(() => G.apply(tf.randomNormal([count, zDim], 0, 1, 'float32', random.stepSeed('metrics', 0)), { training: false }) as tf.Tensor4D);
    },
    // State beyond weights and optimizers (EMA, image pools...). Return model-owned tensors (the
    // checkpoint reads, never disposes them); setExtraState must copy what it keeps.
    getExtraState: () => ({ json: {}, tensors: {} }),
    setExtraState() {},
    dispose() {
      G.dispose();
      D.dispose();
      optimizers.G.dispose();
      optimizers.D.dispose();
    },
  };
}

export const templateFamily: ModelFamily = {
  id: 'template',
  task: 'generate',
  title: 'Template (linear GAN)',
  description: 'The smallest complete family: one dense layer each. Documentation, not a model to use.',
  batchKeys: ['real'],
  resolve(spec) {
    requireTask('template', spec, 'generate');
    return resolveFromPresets('template', spec, presets);
  },
  create: createTemplateModel,
};
