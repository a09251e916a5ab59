// Super-resolution ×2 training throughput: the esrgan family's `small` preset (what a CPU user
// trains: 32 px HR crops, batch 8, L1 phase) and, in full runs, one step-timing of the GAN phase
// (relativistic D + feature matching) at the same size. Prints one JSON line.
//   node dist/bench/sr-train.js [--quick] [--backend=wasm]
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../src/engine/backends.js';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec } from '../src/contract/runs.js';
import { stepRandom } from '../src/models/step-random.js';
import type { BackendPref } from '../src/contract/system.js';
import { flag, timeSteps } from './common.js';

const quick = process.argv.includes('--quick');
const { chosen } = await initTf((flag('backend') ?? 'wasm') as BackendPref);

async function measure(phase: 'l1' | 'gan', steps: number) {
  const family = getFamily('esrgan');
  // pretrainSteps 0 puts every step in the GAN phase; the preset's own value keeps them all L1
  const spec = family.resolve(TrainSpec.parse({ task: 'superres', model: 'esrgan', preset: 'small', scale: 2 }));
  if (phase === 'gan') spec.extra = { ...spec.extra, pretrainSteps: 0 };
  const model = family.create(spec, stepRandom(0));
  const scale = spec.scale ?? 2;
  const hr = tf.randomUniform([spec.batch, spec.size, spec.size, 3], -1, 1) as tf.Tensor4D;
  const lr = tf.tidy(() => tf.avgPool(hr, scale, scale, 'valid') as tf.Tensor4D);
  const timing = await timeSteps(model, { lr, hr }, spec.batch, steps, 2);
  const params = model.networks.G ? model.networks.G.countParams() : null;
  model.dispose();
  tf.dispose([lr, hr]);
  return {
    phase, preset: spec.preset, scale, hr_size: spec.size, batch: spec.batch,
    filters: Number(spec.extra.filters), dense_blocks: Number(spec.extra.denseBlocks), g_params: params, ...timing,
  };
}

const results = [await measure('l1', quick ? 5 : 20)];
console.error(JSON.stringify(results[0]));
if (!quick) results.push(await measure('gan', 8));
console.log(JSON.stringify({ backend: chosen, results }));
