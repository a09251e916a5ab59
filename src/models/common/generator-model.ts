// The GanModel shared by the generation families (vanilla, dcgan): they differ only in their two
// networks, so the step (D on real + fake, then G, as in the DCGAN reference), sampling, EMA and
// DiffAugment live here once.
import * as tf from '@tensorflow/tfjs';
import type { ExtraState, GanModel, ResolvedSpec, StepRandom, TrainBatch } from '../types.js';
import { makeGrid } from '../../data/image-io.js';
import { discriminatorLoss, generatorLoss, meanProbability, type LossId } from './losses.js';
import { createAdam, trainableVariables } from './optimizers.js';
import { WeightEma } from './ema.js';
import { diffAugment } from './diff-augment.js';
import { keepingRunningStatistics } from './batch-norm.js';

/**
 * The generator capability: what generate, interpolate, batches and export use of a model. A
 * trained run's model has it (GeneratorModel below) and so does an imported TF.js generator.
 */
export interface Generator {
  readonly latentSize: number;
  /** z [n, latentSize] → images [n, H, W, C] in [-1, 1], with EMA weights when the run keeps them */
  generate(z: tf.Tensor2D): tf.Tensor4D;
  dispose(): void;
}

/** A GanModel with the generator capability: how a generation family's model declares it. */
export interface GeneratorModel extends GanModel, Generator {}

export function isGeneratorModel(model: GanModel): model is GeneratorModel {
  return typeof (model as Partial<GeneratorModel>).generate === 'function' && typeof (model as Partial<GeneratorModel>).latentSize === 'number';
}

/**
 * Latent vectors for consecutive seeds: image i comes from seed + i, so `generate --seed 7`
 * and `interpolate --from 7` start from the same picture.
 */
export function latentsForSeeds(firstSeed: number, count: number, latentSize: number): tf.Tensor2D {
  return tf.tidy(() => tf.stack(
    Array.from({ length: count }, (_, i) => tf.randomNormal([latentSize], 0, 1, 'float32', (firstSeed + i) % 2 ** 31)),
  ) as tf.Tensor2D);
}

export const GENERATOR_LOSS_NAMES = ['loss/G', 'loss/D', 'D(x)', 'D(G(z))'] as const;

export function createGeneratorModel(options: {
  family: string;
  spec: ResolvedSpec;
  random: StepRandom;
  G: tf.LayersModel;
  D: tf.LayersModel;
}): GeneratorModel {
  const { family, spec, random, G, D } = options;
  const latentSize = Number(spec.extra.zDim);
  const loss = (spec.loss ?? 'bce') as LossId;
  const optimizers = { G: createAdam({ lr: spec.lr }), D: createAdam({ lr: spec.lr }) };
  const gVars = trainableVariables(G);
  const dVars = trainableVariables(D);
  const ema = spec.ema ? new WeightEma(G, Number(spec.extra.emaDecay ?? 0.999)) : null;
  const previewCount = Number(spec.extra.previewCount ?? 64);
  const augment = (x: tf.Tensor4D, seed: number) => (spec.diffAugment ? diffAugment(x, seed) : x);

  const generate = (z: tf.Tensor2D): tf.Tensor4D => {
    const run = () => tf.tidy(() => G.apply(z, { training: false }) as tf.Tensor4D);
    return ema ? ema.withAveragedWeights(run) : run();
  };

  const model: GeneratorModel = {
    family,
    task: 'generate',
    spec,
    networks: { G, D },
    optimizers,
    lossNames: GENERATOR_LOSS_NAMES,
    visualNames: ['fake'],
    latentSize,

    trainStep(batch: TrainBatch, step: number) {
      const real = batch.real;
      if (!real) throw new Error(`${family}: a training batch needs the key "real"`);
      const scalars = tf.tidy(() => {
        const n = real.shape[0];
        const z = tf.randomNormal([n, latentSize], 0, 1, 'float32', random.stepSeed('z', step));
        let dReal: tf.Scalar | undefined;
        let dFake: tf.Scalar | undefined;
        // G's forward here only makes D's fakes: its running statistics move in G's half alone
        // (once per step, as in PyTorch's loop, where one forward feeds both halves)
        const lossD = keepingRunningStatistics(G, () => optimizers.D.minimize(() => {
          const fake = G.apply(z, { training: true }) as tf.Tensor4D;
          const realLogits = D.apply(augment(real, random.stepSeed('augment/real', step)), { training: true }) as tf.Tensor;
          const fakeLogits = D.apply(augment(fake, random.stepSeed('augment/fake', step)), { training: true }) as tf.Tensor;
          dReal = tf.keep(meanProbability(realLogits));
          dFake = tf.keep(meanProbability(fakeLogits));
          return discriminatorLoss(loss, realLogits, fakeLogits);
        }, true, dVars) as tf.Scalar);
        const lossG = optimizers.G.minimize(() => {
          const fake = G.apply(z, { training: true }) as tf.Tensor4D;
          const fakeLogits = D.apply(augment(fake, random.stepSeed('augment/G', step)), { training: true }) as tf.Tensor;
          return generatorLoss(loss, fakeLogits);
        }, true, gVars) as tf.Scalar;
        return { 'loss/G': lossG, 'loss/D': lossD, 'D(x)': dReal!, 'D(G(z))': dFake! };
      });
      ema?.update();
      return scalars;
    },

    generate,

    sampleGrid() {
      const z = latentsForSeeds(random.stepSeed('preview', 0), previewCount, latentSize);
      const images = generate(z);
      z.dispose();
      const grid = tf.tidy(() => makeGrid(tf.div(tf.add(images, 1), 2) as tf.Tensor4D));
      images.dispose();
      return grid;
    },

    sampleForMetrics(count: number) {
      const z = latentsForSeeds(random.stepSeed('metrics', 0), count, latentSize);
      const images = generate(z);
      z.dispose();
      return images;
    },

    getExtraState(): ExtraState {
      if (!ema) return { json: {}, tensors: {} };
      const { updates, tensors } = ema.state();
      return { json: { emaUpdates: updates }, tensors: Object.fromEntries(tensors.map((t, i) => [`ema/G/${i}`, t])) };
    },

    setExtraState(state: ExtraState) {
      if (!ema) return;
      const count = G.weights.length;
      const tensors = Array.from({ length: count }, (_, i) => {
        const t = state.tensors[`ema/G/${i}`];
        if (!t) throw new Error(`checkpoint lacks the EMA weight ema/G/${i}`);
        return t;
      });
      ema.restore(Number(state.json.emaUpdates ?? 0), tensors);
    },

    dispose() {
      ema?.dispose();
      G.dispose();
      D.dispose();
      optimizers.G.dispose();
      optimizers.D.dispose();
    },
  };
  return model;
}
