// The CycleGAN GanModel: two generators (G_AB: A→B, G_BA: B→A), two discriminators (D_A judges
// domain A, D_B domain B), LSGAN adversarial losses, cycle L1 (λ) and identity L1 (λ_id·λ), image
// pools of past fakes for the discriminators, Adam with a constant-then-linear-decay learning
// rate. One step = both generators together, then both discriminators on pooled fakes, exactly
// the order of the reference implementation (pytorch-CycleGAN-and-pix2pix, cycle_gan_model.py).
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../contract/errors.js';
import type { ExtraState, GanModel, ResolvedSpec, StepRandom, TrainBatch } from '../types.js';
import { makeGrid } from '../../data/image-io.js';
import { createAdam, trainableVariables } from '../common/optimizers.js';
import { WeightEma } from '../common/ema.js';
import { ImagePool } from './image-pool.js';
import { patchDiscriminator, resnetGenerator } from './networks.js';

export type Direction = 'a2b' | 'b2a';

export const CYCLEGAN_LOSS_NAMES = ['loss/G', 'loss/D', 'loss/G_adv', 'loss/cycle', 'loss/identity', 'loss/D_A', 'loss/D_B', 'lr'] as const;

export interface CycleGanModel extends GanModel {
  /** images NHWC in [-1, 1] whose sides are multiples of 4 → translated, same shape */
  translate(images: tf.Tensor4D, direction: Direction): tf.Tensor4D;
  /** any size ≥ 8 px: reflect-pads to a multiple of 4, translates, crops back */
  translateAnySize(images: tf.Tensor4D, direction: Direction): tf.Tensor4D;
}

export function isCycleGanModel(model: GanModel): model is CycleGanModel {
  return typeof (model as Partial<CycleGanModel>).translateAnySize === 'function';
}

/** Constant for the first `decayStart` fraction of the steps, then linear to zero (paper §7.1). */
export function learningRateAt(spec: ResolvedSpec, step: number): number {
  const start = Math.floor(spec.steps * Number(spec.extra.decayStart ?? 0.5));
  if (step < start) return spec.lr;
  const span = Math.max(1, spec.steps - start);
  return spec.lr * Math.max(0, 1 - (step - start) / span);
}

function setLearningRate(opt: tf.Optimizer, lr: number): void {
  // tfjs's Adam reads this field on every update; it has no public setter
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

const mse = (x: tf.Tensor, target: number) => tf.mean(tf.square(tf.sub(x, target))) as tf.Scalar;
const l1 = (x: tf.Tensor, y: tf.Tensor) => tf.mean(tf.abs(tf.sub(x, y))) as tf.Scalar;

export function createCycleGanModel(spec: ResolvedSpec, random: StepRandom): CycleGanModel {
  const x = spec.extra;
  const gShape = {
    channels: spec.channels, filters: Number(x.filters), blocks: Number(x.blocks),
    // runs saved before the option existed used the paper's transposed convolutions
    upsample: x.upsample === 'resize' ? ('resize' as const) : ('transpose' as const),
    // runs saved before the option existed normalised every layer, as the paper does
    plainEncoderLayers: Number(x.plainEncoderLayers ?? 0),
  };
  const dShape = { channels: spec.channels, filters: Number(x.dFilters ?? x.filters), layers: Number(x.dLayers ?? 3) };
  const G_AB = resnetGenerator(gShape, random, 'G_AB');
  const G_BA = resnetGenerator(gShape, random, 'G_BA');
  const D_A = patchDiscriminator(dShape, random, 'D_A');
  const D_B = patchDiscriminator(dShape, random, 'D_B');
  const optimizers = { G: createAdam({ lr: spec.lr, beta1: 0.5 }), D: createAdam({ lr: spec.lr, beta1: 0.5 }) };
  const gVars = [...trainableVariables(G_AB), ...trainableVariables(G_BA)];
  const dVars = [...trainableVariables(D_A), ...trainableVariables(D_B)];
  const lambdaCycle = Number(x.lambdaCycle ?? 10);
  const lambdaIdentity = Number(x.lambdaIdentity ?? 0.5);
  const pools = { A: new ImagePool(Number(x.poolSize ?? 50)), B: new ImagePool(Number(x.poolSize ?? 50)) };
  const emaDecay = Number(x.emaDecay ?? 0.999);
  const ema = spec.ema ? { G_AB: new WeightEma(G_AB, emaDecay), G_BA: new WeightEma(G_BA, emaDecay) } : null;
  const previewCount = Number(x.previewCount ?? 4);
  let currentLr = learningRateAt(spec, 0);

  const translate = (images: tf.Tensor4D, direction: Direction): tf.Tensor4D => {
    const name = direction === 'a2b' ? 'G_AB' : 'G_BA';
    const net = direction === 'a2b' ? G_AB : G_BA;
    const run = () => tf.tidy(() => net.apply(images, { training: false }) as tf.Tensor4D);
    return ema ? ema[name].withAveragedWeights(run) : run();
  };

  const translateAnySize = (images: tf.Tensor4D, direction: Direction): tf.Tensor4D => {
    const [n, h, w, c] = images.shape;
    if (h < 8 || w < 8) {
      throw new AppError('INVALID_ARGUMENT', `CycleGAN needs images of at least 8×8 pixels, got ${w}×${h}; enlarge the image first`);
    }
    const padH = (4 - (h % 4)) % 4;
    const padW = (4 - (w % 4)) % 4;
    if (!padH && !padW) return translate(images, direction);
    const padded = tf.mirrorPad(images, [[0, 0], [0, padH], [0, padW], [0, 0]], 'reflect');
    const out = translate(padded, direction);
    padded.dispose();
    const cropped = out.slice([0, 0, 0, 0], [n, h, w, c]);
    out.dispose();
    return cropped;
  };

  /** Rows of [real A, A→B, A→B→A, real B, B→A, B→A→B]. */
  const sampleGrid = (fixed: TrainBatch | null): tf.Tensor3D => {
    const a = fixed?.a;
    const b = fixed?.b;
    if (!a || !b) return tf.fill([spec.size, spec.size, spec.channels], 0.5) as tf.Tensor3D;
    const k = Math.min(a.shape[0], b.shape[0], previewCount);
    const realA = a.slice(0, k);
    const realB = b.slice(0, k);
    const fakeB = translate(realA, 'a2b');
    const recA = translate(fakeB, 'b2a');
    const fakeA = translate(realB, 'b2a');
    const recB = translate(fakeA, 'a2b');
    const grid = tf.tidy(() => {
      const rows = tf.stack([realA, fakeB, recA, realB, fakeA, recB], 1).reshape([k * 6, spec.size, spec.size, spec.channels]);
      return makeGrid(tf.div(tf.add(rows, 1), 2) as tf.Tensor4D, 6);
    });
    tf.dispose([realA, realB, fakeB, recA, fakeA, recB]);
    return grid;
  };

  const model: CycleGanModel = {
    family: 'cyclegan',
    task: 'cyclegan',
    spec,
    networks: { G_AB, G_BA, D_A, D_B },
    optimizers,
    lossNames: CYCLEGAN_LOSS_NAMES,
    visualNames: ['real_A', 'fake_B', 'rec_A', 'real_B', 'fake_A', 'rec_B'],

    trainStep(batch: TrainBatch, step: number) {
      const realA = batch.a;
      const realB = batch.b;
      if (!realA || !realB) throw new AppError('INVALID_ARGUMENT', 'cyclegan: a training batch needs the keys "a" and "b" (two image sets)');
      currentLr = learningRateAt(spec, step);
      setLearningRate(optimizers.G, currentLr);
      setLearningRate(optimizers.D, currentLr);

      const parts: Record<string, tf.Scalar> = {};
      // set inside the G closure, consumed by the D step
      const fakes: { A?: tf.Tensor4D; B?: tf.Tensor4D } = {};
      try {
        parts['loss/G'] = tf.tidy(() => optimizers.G.minimize(() => {
          const fB = G_AB.apply(realA, { training: true }) as tf.Tensor4D;
          const fA = G_BA.apply(realB, { training: true }) as tf.Tensor4D;
          const recA = G_BA.apply(fB, { training: true }) as tf.Tensor4D;
          const recB = G_AB.apply(fA, { training: true }) as tf.Tensor4D;
          const adv = tf.add(mse(D_B.apply(fB) as tf.Tensor, 1), mse(D_A.apply(fA) as tf.Tensor, 1));
          const cycle = tf.mul(tf.add(l1(recA, realA), l1(recB, realB)), lambdaCycle);
          let identity: tf.Tensor = tf.scalar(0);
          if (lambdaIdentity > 0) {
            const idA = G_BA.apply(realA, { training: true }) as tf.Tensor4D;
            const idB = G_AB.apply(realB, { training: true }) as tf.Tensor4D;
            identity = tf.mul(tf.add(l1(idA, realA), l1(idB, realB)), lambdaCycle * lambdaIdentity);
          }
          fakes.A = tf.keep(fA);
          fakes.B = tf.keep(fB);
          parts['loss/G_adv'] = tf.keep(adv as tf.Scalar);
          parts['loss/cycle'] = tf.keep(cycle as tf.Scalar);
          parts['loss/identity'] = tf.keep(identity as tf.Scalar);
          return tf.add(tf.add(adv, cycle), identity) as tf.Scalar;
        }, true, gVars) as tf.Scalar);

        // the discriminators see fakes from the generators before this step's update, mixed
        // with older ones from the pools
        const pooledA = pools.A.query(fakes.A!, random.stepSeed('pool/A', step));
        const pooledB = pools.B.query(fakes.B!, random.stepSeed('pool/B', step));
        try {
          parts['loss/D'] = tf.tidy(() => optimizers.D.minimize(() => {
            const dA = tf.mul(tf.add(mse(D_A.apply(realA) as tf.Tensor, 1), mse(D_A.apply(pooledA) as tf.Tensor, 0)), 0.5);
            const dB = tf.mul(tf.add(mse(D_B.apply(realB) as tf.Tensor, 1), mse(D_B.apply(pooledB) as tf.Tensor, 0)), 0.5);
            parts['loss/D_A'] = tf.keep(dA as tf.Scalar);
            parts['loss/D_B'] = tf.keep(dB as tf.Scalar);
            return tf.add(dA, dB) as tf.Scalar;
          }, true, dVars) as tf.Scalar);
        } finally {
          tf.dispose([pooledA, pooledB]);
        }
      } catch (error) {
        tf.dispose(Object.values(parts));
        throw error;
      } finally {
        tf.dispose([fakes.A, fakes.B].filter((t): t is tf.Tensor4D => t !== undefined));
      }
      parts.lr = tf.scalar(currentLr);
      ema?.G_AB.update();
      ema?.G_BA.update();
      return parts;
    },

    sampleGrid,

    sampleForMetrics(count: number, fixed: TrainBatch | null) {
      const a = fixed?.a;
      if (!a) throw new AppError('INVALID_ARGUMENT', 'cyclegan: metrics need held-out images of domain A');
      const realA = a.slice(0, Math.min(count, a.shape[0]));
      const out = translate(realA, 'a2b');
      realA.dispose();
      return out;
    },

    translate,
    translateAnySize,

    getExtraState(): ExtraState {
      const tensors: Record<string, tf.Tensor> = {};
      pools.A.state().forEach((t, i) => (tensors[`pool/A/${i}`] = t));
      pools.B.state().forEach((t, i) => (tensors[`pool/B/${i}`] = t));
      const json: Record<string, unknown> = { poolA: pools.A.size, poolB: pools.B.size, lr: currentLr };
      if (ema) {
        for (const name of ['G_AB', 'G_BA'] as const) {
          const { updates, tensors: shadow } = ema[name].state();
          json[`emaUpdates/${name}`] = updates;
          shadow.forEach((t, i) => (tensors[`ema/${name}/${i}`] = t));
        }
      }
      return { json, tensors };
    },

    setExtraState(state: ExtraState) {
      const list = (prefix: string, count: number) =>
        Array.from({ length: count }, (_, i) => {
          const t = state.tensors[`${prefix}/${i}`];
          if (!t) throw new AppError('CHECKPOINT_CORRUPT', `the checkpoint lacks ${prefix}/${i}; was it written by another version of the cyclegan model?`);
          return t;
        });
      pools.A.restore(list('pool/A', Number(state.json.poolA ?? 0)));
      pools.B.restore(list('pool/B', Number(state.json.poolB ?? 0)));
      if (typeof state.json.lr === 'number') currentLr = state.json.lr;
      if (ema) {
        for (const [name, net] of [['G_AB', G_AB], ['G_BA', G_BA]] as const) {
          if (state.json[`emaUpdates/${name}`] === undefined) continue; // a checkpoint without EMA: keep the fresh copy
          ema[name].restore(Number(state.json[`emaUpdates/${name}`]), list(`ema/${name}`, net.weights.length));
        }
      }
    },

    dispose() {
      pools.A.clear();
      pools.B.clear();
      ema?.G_AB.dispose();
      ema?.G_BA.dispose();
      for (const net of [G_AB, G_BA, D_A, D_B]) net.dispose();
      optimizers.G.dispose();
      optimizers.D.dispose();
    },
  };
  return model;
}
