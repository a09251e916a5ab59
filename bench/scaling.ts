// How DCGAN training time and memory grow with image size (32/64/128) and batch size (8..64) on
// one backend (wasm by default). Each cell runs in its own child process so its peak RSS and
// wasm heap are its own. A cell whose step the previous (smaller) batch predicts to exceed
// --max-step-s is skipped and reported as such: that keeps the full `npm run bench` bounded.
//   node dist/bench/scaling.js [--quick] [--backend=wasm] [--sizes 32,64,128] [--batches 8,16,32,64] [--max-step-s 30]
//   node dist/bench/scaling.js --cell 64,16        (one cell; what the parent runs)
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initTf } from '../src/engine/backends.js';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec } from '../src/contract/runs.js';
import { stepRandom } from '../src/models/step-random.js';
import type { BackendPref } from '../src/contract/system.js';
import { flag, processRss, round, timeSteps, wasmHeapMB } from './common.js';

const quick = process.argv.includes('--quick');
const backend = (flag('backend') ?? 'wasm') as BackendPref;
const list = (s: string) => s.split(',').map(Number).filter((n) => Number.isFinite(n) && n > 0);

export interface ScalingCell {
  size: number;
  batch: number;
  step_ms?: number;
  images_per_s?: number;
  /** live tensors after a step: weights, Adam slots, EMA copy (does not grow with batch) */
  tensor_mb?: number;
  /** high-water of the wasm heap: activations and kernel scratch (grows with batch × pixels) */
  wasm_heap_mb?: number | null;
  peak_rss_mb?: number | null;
  tensors_stable?: boolean | null;
  skipped?: string;
  error?: string;
}

async function cell(size: number, batch: number): Promise<ScalingCell> {
  const { chosen } = await initTf(backend);
  if (chosen !== backend && backend !== 'auto') throw new Error(`backend ${backend} did not start (got ${chosen})`);
  const family = getFamily('dcgan');
  const spec = family.resolve(TrainSpec.parse({ task: 'generate', model: 'dcgan', preset: 'default', size, channels: 3, batch }));
  const model = family.create(spec, stepRandom(0));
  const real = tf.randomUniform([batch, size, size, 3], -1, 1) as tf.Tensor4D;
  // Big cells (a step is 10 s or more) get one timed step and no warm-up: the warm-up's one-off
  // kernel setup is well under a second, small next to their step, and skipping it saves a
  // minute of the full run. Small cells get a warm-up and the median of three.
  const big = size * size * batch >= 64 * 64 * 32;
  const timing = await timeSteps(model, { real }, batch, big ? 1 : quick ? 2 : 3, big ? 0 : 1);
  const tensorMB = round(tf.memory().numBytes / 2 ** 20);
  model.dispose();
  real.dispose();
  return {
    size, batch, step_ms: timing.step_ms, images_per_s: timing.images_per_s, tensor_mb: tensorMB,
    wasm_heap_mb: wasmHeapMB(), peak_rss_mb: processRss().peakRssMB, tensors_stable: timing.tensors_stable,
  };
}

function runCellInChild(size: number, batch: number): ScalingCell {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [script, '--cell', `${size},${batch}`, `--backend=${backend}`, ...(quick ? ['--quick'] : [])], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20,
  });
  const line = child.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (child.status === 0 && line) return JSON.parse(line) as ScalingCell;
  return { size, batch, error: `exit ${child.status ?? child.signal}: ${child.stdout.slice(-200)}` };
}

async function main(): Promise<void> {
  const one = flag('cell');
  if (one) {
    const [size, batch] = list(one);
    console.log(JSON.stringify(await cell(size!, batch!)));
    return;
  }
  const sizes = list(flag('sizes') ?? (quick ? '32,64' : '32,64,128'));
  const batches = list(flag('batches') ?? (quick ? '8,16' : '8,16,32,64'));
  const maxStepMs = Number(flag('max-step-s') ?? (quick ? 10 : 30)) * 1000;
  const cells: ScalingCell[] = [];
  for (const size of sizes) {
    let previous: ScalingCell | undefined;
    for (const batch of batches) {
      // step time grows about linearly with batch: predict from the last measured cell of this size
      const predictedMs = previous?.step_ms ? (previous.step_ms * batch) / previous.batch : 0;
      const r: ScalingCell = predictedMs > maxStepMs
        ? { size, batch, skipped: `predicted ${round(predictedMs / 1000)} s/step > ${maxStepMs / 1000} s budget` }
        : runCellInChild(size, batch);
      cells.push(r);
      if (r.step_ms) previous = r;
      console.error(JSON.stringify(r));
    }
  }
  console.log(JSON.stringify({ backend, model: 'default preset, 64 base filters, RGB', sizes, batches, max_step_s: maxStepMs / 1000, cells }));
}

await main();
