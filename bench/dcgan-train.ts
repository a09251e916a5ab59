// DCGAN-32 training throughput on each available backend, the same network and step as
// ../shared/reference/pytorch_dcgan_bench.py (D on real + fake, then G; batch 64; RGB).
// Prints one JSON line. Run through `npm run bench`, which also runs the PyTorch yardstick.
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../src/engine/backends.js';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { stepRandom } from '../src/training/step-random.js';
import type { BackendPref } from '../src/contract/system.js';
import { dcgan32FlopsPerImage } from './common.js';

async function measure(backend: BackendPref, batch: number, steps: number, warmup: number) {
  const { chosen } = await initTf(backend);
  const family = getFamily('dcgan');
  const spec = family.resolve({ task: 'generate', model: 'dcgan', preset: 'default', size: 32, channels: 3, batch, seed: 0, backend });
  const model = family.create(spec, stepRandom(0));
  const real = tf.randomUniform([batch, 32, 32, 3], -1, 1) as tf.Tensor4D;
  const step = async (i: number) => {
    const losses = model.trainStep({ real }, i);
    // one sync per step so the timing covers the work (the app itself syncs only every N steps)
    await Promise.all(Object.values(losses).map((l) => l.data()));
    tf.dispose(Object.values(losses));
  };
  for (let i = 0; i < warmup; i++) await step(i);
  const tensorsBefore = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    await step(warmup + i);
    times.push(performance.now() - t);
  }
  const tensorsAfter = tf.memory().numTensors;
  times.sort((a, b) => a - b);
  const stepMs = times[Math.floor(times.length / 2)]!;
  model.dispose();
  real.dispose();
  const imagesPerS = (batch / stepMs) * 1000;
  return {
    backend: chosen,
    batch,
    steps,
    step_ms: Number(stepMs.toFixed(1)),
    images_per_s: Number(imagesPerS.toFixed(1)),
    gflops: Number(((imagesPerS * dcgan32FlopsPerImage()) / 1e9).toFixed(2)),
    tensors_stable: tensorsAfter === tensorsBefore,
  };
}

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--backend='))?.slice(10) as BackendPref | undefined;
const results = [];
// --quick skips the pure-JS cpu backend (a minute or more per step); the wasm-kernels suite
// still gives its per-kernel ratio to wasm.
for (const backend of (only ? [only] : quick ? ['wasm'] : ['wasm', 'cpu']) as BackendPref[]) {
  try {
    // The pure-JS cpu backend needs about a minute per batch-8 step: one step, no warm-up (it
    // has no kernels to compile, so its first step costs what the others do).
    const r = backend === 'cpu' ? await measure('cpu', 8, 1, 0) : await measure(backend, 64, quick ? 5 : 15, 2);
    results.push(r);
    console.error(JSON.stringify(r));
  } catch (error) {
    results.push({ backend, error: error instanceof Error ? error.message : String(error) });
  }
}
console.log(JSON.stringify({ flops_per_image: dcgan32FlopsPerImage(), results }));
