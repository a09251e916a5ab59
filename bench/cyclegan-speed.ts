// CycleGAN speed probes shared by the cyclegan and wasm-threads benchmarks: training steps/s of a
// preset at a size and batch, and a generator's a2b inference images/s at a square side.
import * as tf from '@tensorflow/tfjs';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec } from '../src/contract/runs.js';
import { stepRandom } from '../src/models/step-random.js';
import { isCycleGanModel } from '../src/models/cyclegan/model.js';
import { median, medianMs, profileStep } from './common.js';

export interface TrainSpeedOptions {
  batch?: number;
  /** print one extra step's kernels to stderr */
  profile?: boolean;
}

export async function trainSpeed(preset: 'small', size: number, steps: number, opts: TrainSpeedOptions = {}) {
  const family = getFamily('cyclegan');
  const spec = family.resolve(TrainSpec.parse({ task: 'cyclegan', model: 'cyclegan', preset, size, ...(opts.batch ? { batch: opts.batch } : {}) }));
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
  if (opts.profile) await profileStep(() => step(2 + steps));
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

export async function inferenceSpeed(preset: 'small' | 'default', side: number, images: number) {
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
  const ms = await medianMs(once, images);
  model.dispose();
  input.dispose();
  return { preset, side, filters: spec.extra.filters, blocks: spec.extra.blocks, ms_per_image: Number(ms.toFixed(0)), images_per_s: Number((1000 / ms).toFixed(2)) };
}
