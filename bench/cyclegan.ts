// CycleGAN throughput: training steps/s of the `small` preset at 64 px (what demo:cyclegan and a
// CPU user train), and 256×256 inference images/s of that generator (what stylize does per image).
// Prints one JSON line. Flags: --quick (fewer steps), --backend=NAME (default auto),
// --default (also time the paper-width `default` generator at 256², slow on a CPU),
// --batch=N (train at another batch than the preset's), --profile (one step's kernels, on stderr).
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../src/engine/backends.js';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec } from '../src/contract/runs.js';
import { stepRandom } from '../src/training/step-random.js';
import { isCycleGanModel } from '../src/models/cyclegan/model.js';
import type { BackendPref } from '../src/contract/system.js';
import { median, profileStep } from './common.js';

const quick = process.argv.includes('--quick');
const backendPref = (process.argv.find((a) => a.startsWith('--backend='))?.slice(10) ?? 'auto') as BackendPref;
const withDefault = process.argv.includes('--default');
const batchOverride = process.argv.find((a) => a.startsWith('--batch='))?.slice(8);
const profile = process.argv.includes('--profile');


async function trainSpeed(preset: 'small', size: number, steps: number) {
  const family = getFamily('cyclegan');
  const spec = family.resolve(TrainSpec.parse({ task: 'cyclegan', model: 'cyclegan', preset, size, ...(batchOverride ? { batch: Number(batchOverride) } : {}) }));
  const model = family.create(spec, stepRandom(0));
  const a = tf.randomUniform([spec.batch, size, size, 3], -1, 1) as tf.Tensor4D;
  const b = tf.randomUniform([spec.batch, size, size, 3], -1, 1) as tf.Tensor4D;
  const step = async (i: number) => {
    const losses = model.trainStep({ a, b }, i);
    // one sync per step so the timing covers the work (the loop itself syncs every N steps)
    await Promise.all(Object.values(losses).map((l) => l.data()));
    tf.dispose(Object.values(losses));
  };
  for (let i = 0; i < 2; i++) await step(i);
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    await step(2 + i);
    times.push(performance.now() - t);
  }
  if (profile) await profileStep(() => step(2 + steps));
  model.dispose();
  tf.dispose([a, b]);
  const stepMs = median(times);
  return {
    preset, size, batch: spec.batch, filters: spec.extra.filters, blocks: spec.extra.blocks,
    step_ms: Number(stepMs.toFixed(0)),
    steps_per_s: Number((1000 / stepMs).toFixed(3)),
    images_per_s: Number(((spec.batch * 1000) / stepMs).toFixed(2)),
  };
}

async function inferenceSpeed(preset: 'small' | 'default', side: number, images: number) {
  const family = getFamily('cyclegan');
  const spec = family.resolve(TrainSpec.parse({ task: 'cyclegan', model: 'cyclegan', preset, size: preset === 'small' ? 64 : 256 }));
  const model = family.create(spec, stepRandom(0));
  if (!isCycleGanModel(model)) throw new Error('not a cyclegan model');
  const input = tf.randomUniform([1, side, side, 3], -1, 1) as tf.Tensor4D;
  const once = async () => {
    const out = model.translate(input, 'a2b');
    await out.data();
    out.dispose();
  };
  await once();
  const times: number[] = [];
  for (let i = 0; i < images; i++) {
    const t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  model.dispose();
  input.dispose();
  const ms = median(times);
  return { preset, side, filters: spec.extra.filters, blocks: spec.extra.blocks, ms_per_image: Number(ms.toFixed(0)), images_per_s: Number((1000 / ms).toFixed(2)) };
}

const { chosen } = await initTf(backendPref);
const result: Record<string, unknown> = { backend: chosen };
try {
  result.train = await trainSpeed('small', 64, quick ? 3 : 10);
  console.error(JSON.stringify(result.train));
  result.inference = [await inferenceSpeed('small', 256, quick ? 3 : 10)];
  if (withDefault) (result.inference as unknown[]).push(await inferenceSpeed('default', 256, quick ? 1 : 3));
} catch (error) {
  result.error = error instanceof Error ? error.message : String(error);
}
console.log(JSON.stringify(result));
