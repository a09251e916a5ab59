// A/B of one of GAN Studio's wasm kernel replacements against the kernel tfjs ships, inside ONE
// process and interleaved (A B A B …), on the app's own training step: a busy machine slows both
// alike. Times are process CPU time (user + system), which neighbours inflate far less than wall
// time; run on one wasm thread so CPU time is the work. Prints one JSON line.
//   GAN_STUDIO_WASM_THREADS=1 node dist/bench/ab-kernel.js --kernel SplitV --net esrgan [--steps 4]
// --kernel takes a comma-separated list, toggled together. The shipped kernel is read from tfjs's
// registry before the engine installs ours; for a kernel of our own that tfjs lacks (e.g.
// GanStudioInstanceNorm) the other side runs with it unregistered, so its callers take their
// tf-op fallback; for Conv2DBackpropFilter (which tfjs lacks too) it runs our kernel with its
// previous rule (im2col only for KH·KW·CI ≤ 64, the conv formulation otherwise).
import '@tensorflow/tfjs-backend-wasm';
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { initTf } from '../src/engine/backends.js';
import { conv2dBackpropFilterWasm, WASM_TRAINING_KERNELS } from '../src/engine/wasm-kernels/index.js';
import { flag, median, round, syncedStep } from './common.js';
import { netStep, type Net } from './step-nets.js';

const kernel = flag('kernel') ?? '';
const kernels = kernel.split(',').filter(Boolean);
const net = (flag('net') ?? 'esrgan') as Net;
const steps = Number(flag('steps') ?? 4);
const unknown = kernels.filter((k) => !(WASM_TRAINING_KERNELS as readonly string[]).includes(k));
if (kernels.length === 0 || unknown.length > 0) throw new Error(`--kernel must be a comma-separated list of ${WASM_TRAINING_KERNELS.join(', ')}`);
const BASELINES: Record<string, KernelConfig> = {
  Conv2DBackpropFilter: {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ((args: Parameters<typeof conv2dBackpropFilterWasm>[0]) => conv2dBackpropFilterWasm(args, (_n, kh, kw, ci) => kh * kw * ci <= 64)) as unknown as KernelConfig['kernelFunc'],
  },
};
const shipped = new Map(kernels.map((k) => [k, getKernel(k, 'wasm') ?? BASELINES[k]] as const));
await initTf('wasm');
const ours = new Map(kernels.map((k) => [k, getKernel(k, 'wasm')!] as const));

function use(side: 'ours' | 'shipped'): void {
  for (const k of kernels) {
    if (getKernel(k, 'wasm')) unregisterKernel(k, 'wasm');
    const config: KernelConfig | undefined = side === 'ours' ? ours.get(k) : shipped.get(k);
    if (config) registerKernel(config);
  }
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const { model, batch, dispose } = netStep(net);
let step = 0;
const times: Record<'ours' | 'shipped', number[]> = { ours: [], shipped: [] };
for (let i = -2; i < 2 * steps; i++) {
  const side = i % 2 === 0 ? 'ours' : 'shipped';
  use(side);
  const t = cpuMs();
  await syncedStep(model, batch, step++);
  if (i >= 0) times[side].push(cpuMs() - t); // the first two (one each) warm both up
}
use('ours');
dispose();
const oursMs = median(times.ours);
const shippedMs = median(times.shipped);
console.log(JSON.stringify({
  method: 'process CPU time per step, ours and shipped alternated in one process', kernel, net, threads: process.env.GAN_STUDIO_WASM_THREADS ?? 'default',
  steps, ours_cpu_ms: round(oursMs), shipped_cpu_ms: round(shippedMs), speedup: round(shippedMs / oursMs, 2),
  ours_all: times.ours.map((x) => round(x)), shipped_all: times.shipped.map((x) => round(x)),
}));
