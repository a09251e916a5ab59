// Our side of a yardstick pair (bench/pairs.ts): the app's own training step of one network,
// timed the way bench/pytorch_yardsticks.py times the PyTorch one (warm-up steps, then the
// median of synced steps). Prints one JSON line.
//   node dist/bench/train-step.js --net dcgan|cyclegan|esrgan [--steps N] [--warmup N] [--backend wasm] [--profile]
// --profile prints one more step's time per kernel to stderr (tf.profile) after the timing.
// The wasm thread count comes from the engine's own rule (GAN_STUDIO_WASM_THREADS or the core
// count, src/engine/wasm-threads.ts), so the pair measures what the app runs with.
import { initTf } from '../src/engine/backends.js';
import { wasmThreads } from '../src/engine/wasm-setup.js';
import type { BackendPref } from '../src/contract/system.js';
import { dcgan32FlopsPerImage, flag, profileStep, round, syncedStep, timeSteps } from './common.js';
import { netStep, type Net } from './step-nets.js';

const net = (flag('net') ?? '') as Net;
const steps = Number(flag('steps') ?? 8);
const warmup = Number(flag('warmup') ?? 2);
const { chosen } = await initTf((flag('backend') ?? 'wasm') as BackendPref);

const { spec, model, batch, params, dispose } = netStep(net);
const timing = await timeSteps(model, batch, spec.batch, steps, warmup);
if (process.argv.includes('--profile')) await profileStep(() => syncedStep(model, batch, warmup + steps));
dispose();
const { threads, note } = wasmThreads();
console.log(JSON.stringify({
  impl: 'gan-studio', net, backend: chosen, threads: chosen === 'wasm' ? threads : null, ...(note ? { note } : {}),
  batch: spec.batch, params, steps, ...timing,
  ...(net === 'dcgan' ? { gflops: round((timing.images_per_s * dcgan32FlopsPerImage()) / 1e9, 2) } : {}),
}));
