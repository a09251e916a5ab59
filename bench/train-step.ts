// Our side of a yardstick pair (bench/pairs.ts): the app's own training step of one network,
// timed the way bench/pytorch_yardsticks.py times the PyTorch one (warm-up steps, then the
// median of synced steps). Prints one JSON line.
//   node dist/bench/train-step.js --net dcgan|cyclegan|esrgan [--steps N] [--warmup N] [--backend wasm] [--profile]
// --profile prints one more step's time per kernel to stderr (tf.profile) after the timing.
// The wasm thread count comes from the engine's own rule (GAN_STUDIO_WASM_THREADS or the core
// count, src/engine/wasm-threads.ts), so the pair measures what the app runs with.
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../src/engine/backends.js';
import { wasmThreads } from '../src/engine/wasm-setup.js';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec, type TrainSpecInput } from '../src/contract/runs.js';
import { stepRandom } from '../src/training/step-random.js';
import type { TrainBatch } from '../src/models/types.js';
import type { BackendPref } from '../src/contract/system.js';
import { dcgan32FlopsPerImage, flag, profileStep, round, syncedStep, timeSteps } from './common.js';

type Net = 'dcgan' | 'cyclegan' | 'esrgan';

/** The spec each yardstick copies (see the docstring of pytorch_yardsticks.py). */
const SPECS: Record<Net, TrainSpecInput> = {
  dcgan: { task: 'generate', model: 'dcgan', preset: 'default', size: 32, channels: 3, batch: 64, seed: 0 },
  cyclegan: { task: 'cyclegan', model: 'cyclegan', preset: 'small', size: 64, seed: 0 },
  esrgan: { task: 'superres', model: 'esrgan', preset: 'small', scale: 2, seed: 0 },
};

function batchFor(net: Net, batch: number, size: number, scale: number): TrainBatch {
  const image = (side: number) => tf.randomUniform([batch, side, side, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
  if (net === 'dcgan') return { real: image(size) };
  if (net === 'cyclegan') return { a: image(size), b: image(size) };
  const hr = image(size);
  return { hr, lr: tf.tidy(() => tf.avgPool(hr, scale, scale, 'valid') as tf.Tensor4D) };
}

const net = (flag('net') ?? '') as Net;
if (!(net in SPECS)) throw new Error(`--net must be one of ${Object.keys(SPECS).join(', ')}, got "${net}"`);
const steps = Number(flag('steps') ?? 8);
const warmup = Number(flag('warmup') ?? 2);
const { chosen } = await initTf((flag('backend') ?? 'wasm') as BackendPref);

const family = getFamily(SPECS[net].model);
const spec = family.resolve(TrainSpec.parse(SPECS[net]));
const model = family.create(spec, stepRandom(0));
const batch = batchFor(net, spec.batch, spec.size, spec.scale ?? 2);
// the networks whose weights the step trains (ESRGAN's L1 phase trains G only), counted as the
// yardstick counts its own: pairs.ts refuses a pair whose two sides differ
const trained = net === 'esrgan' ? [model.networks.G!] : Object.values(model.networks);
const params = trained.reduce((n, m) => n + m.trainableWeights.reduce((k, w) => k + w.shape.reduce((a, b) => a! * b!, 1)!, 0), 0);
const timing = await timeSteps(model, batch, spec.batch, steps, warmup);
if (process.argv.includes('--profile')) await profileStep(() => syncedStep(model, batch, warmup + steps));
model.dispose();
tf.dispose(Object.values(batch));
const { threads, note } = wasmThreads();
console.log(JSON.stringify({
  impl: 'gan-studio', net, backend: chosen, threads: chosen === 'wasm' ? threads : null, ...(note ? { note } : {}),
  batch: spec.batch, params, steps, ...timing,
  ...(net === 'dcgan' ? { gflops: round((timing.images_per_s * dcgan32FlopsPerImage()) / 1e9, 2) } : {}),
}));
