// The three training steps the PyTorch yardsticks copy (bench/pytorch_yardsticks.py): the app's own
// model for each, with a fixed random batch. Shared by train-step.ts (one side of a pair) and
// ab-kernel.ts (kernel A/B inside one process).
import * as tf from '@tensorflow/tfjs';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec, type TrainSpecInput } from '../src/contract/runs.js';
import { stepRandom } from '../src/training/step-random.js';
import type { GanModel, ResolvedSpec, TrainBatch } from '../src/models/types.js';

export type Net = 'dcgan' | 'cyclegan' | 'esrgan';

/** The spec each yardstick copies (see the docstring of pytorch_yardsticks.py). */
const SPECS: Record<Net, TrainSpecInput> = {
  dcgan: { task: 'generate', model: 'dcgan', preset: 'default', size: 32, channels: 3, batch: 64, seed: 0 },
  cyclegan: { task: 'cyclegan', model: 'cyclegan', preset: 'small', size: 64, seed: 0 },
  esrgan: { task: 'superres', model: 'esrgan', preset: 'small', scale: 2, seed: 0 },
};

export const NETS = Object.keys(SPECS) as Net[];

function batchFor(net: Net, batch: number, size: number, scale: number): TrainBatch {
  const image = (side: number) => tf.randomUniform([batch, side, side, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
  if (net === 'dcgan') return { real: image(size) };
  if (net === 'cyclegan') return { a: image(size), b: image(size) };
  const hr = image(size);
  return { hr, lr: tf.tidy(() => tf.avgPool(hr, scale, scale, 'valid') as tf.Tensor4D) };
}

export interface NetStep {
  spec: ResolvedSpec;
  model: GanModel;
  batch: TrainBatch;
  /** trainable parameters of the networks the step trains, counted as the yardstick counts them */
  params: number;
  dispose(): void;
}

/** Builds `net`'s model and batch on the current backend. */
export function netStep(net: Net): NetStep {
  if (!NETS.includes(net)) throw new Error(`--net must be one of ${NETS.join(', ')}, got "${net}"`);
  const family = getFamily(SPECS[net].model);
  const spec = family.resolve(TrainSpec.parse(SPECS[net]));
  const model = family.create(spec, stepRandom(0));
  const batch = batchFor(net, spec.batch, spec.size, spec.scale ?? 2);
  // ESRGAN's L1 phase trains G only; pairs.ts refuses a pair whose two sides differ
  const trained = net === 'esrgan' ? [model.networks.G!] : Object.values(model.networks);
  const params = trained.reduce((n, m) => n + m.trainableWeights.reduce((k, w) => k + w.shape.reduce((a, b) => a! * b!, 1)!, 0), 0);
  return {
    spec, model, batch, params,
    dispose() {
      model.dispose();
      tf.dispose(Object.values(batch));
    },
  };
}
