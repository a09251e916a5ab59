// Where a training step's convolution time goes, per kernel and per shape: wraps the wasm
// convolution kernels (forward and both gradients), runs a few steps of one of the yardstick nets
// (bench/step-nets.ts) and prints, for each (kernel, shape), calls, ms per call and GFLOP/s.
// Wall time by default, process CPU time with --cpu-time (one wasm thread: the work).
//   GAN_STUDIO_WASM_THREADS=1 node dist/bench/conv-shapes.js --net cyclegan [--steps 2] [--cpu-time]
import '@tensorflow/tfjs-backend-wasm';
import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { initTf } from '../src/engine/backends.js';
import { flag, round, syncedStep } from './common.js';
import { netStep, type Net } from './step-nets.js';

const net = (flag('net') ?? 'cyclegan') as Net;
const steps = Number(flag('steps') ?? 2);
const KERNELS = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const clock = process.argv.includes('--cpu-time') ? cpuMs : () => performance.now();

await initTf('wasm');
const stats = new Map<string, { ms: number; calls: number; flops: number }>();
let recording = false;
let depth = 0; // kernels call Conv2D inside: count only the outermost call

/** MACs × 2 of the convolution a kernel call belongs to, from its forward shapes. */
function convFlops(name: string, inputs: Record<string, TensorInfo>, out: TensorInfo, filterShape?: number[]): number {
  if (name === 'Conv2DBackpropFilter') {
    const [kh, kw, ci] = filterShape!;
    const dy = inputs.dy!.shape;
    return 2 * dy[0]! * dy[1]! * dy[2]! * dy[3]! * kh! * kw! * ci!;
  }
  if (name === 'Conv2DBackpropInput') {
    const [kh, kw, , co] = inputs.filter!.shape;
    const dy = inputs.dy!.shape;
    return 2 * dy[0]! * dy[1]! * dy[2]! * co! * kh! * kw! * out.shape[3]!;
  }
  const [kh, kw, ci] = inputs.filter!.shape;
  return 2 * out.shape.reduce((a, b) => a * b, 1) * kh! * kw! * ci!;
}

for (const name of KERNELS) {
  const inner = getKernel(name, 'wasm');
  if (!inner) continue;
  const wrapped: KernelConfig = {
    ...inner,
    kernelFunc: (args) => {
      if (!recording || depth > 0) return inner.kernelFunc(args);
      const inputs = args.inputs as Record<string, TensorInfo>;
      const attrs = args.attrs as { strides?: number | number[]; filterShape?: number[] };
      const t = clock();
      depth++;
      let out: TensorInfo;
      try {
        out = inner.kernelFunc(args) as TensorInfo;
      } finally {
        depth--;
      }
      const ms = clock() - t;
      const shapeOf = (k: string) => inputs[k]?.shape.join('x');
      const key = `${name.padEnd(21)} x ${shapeOf('x') ?? shapeOf('dy')} ${name === 'Conv2DBackpropFilter' ? `w ${attrs.filterShape!.join('x')}` : `w ${shapeOf('filter')}`} s${String(attrs.strides)} -> ${out.shape.join('x')}`;
      const e = stats.get(key) ?? { ms: 0, calls: 0, flops: 0 };
      e.ms += ms;
      e.calls++;
      e.flops += convFlops(name, inputs, out, attrs.filterShape);
      stats.set(key, e);
      return out;
    },
  };
  unregisterKernel(name, 'wasm');
  registerKernel(wrapped);
}

const { model, batch, dispose } = netStep(net);
await syncedStep(model, batch, 0); // warm-up: optimizer slots, XNNPACK operators
recording = true;
const started = clock();
for (let i = 1; i <= steps; i++) await syncedStep(model, batch, i);
const stepMs = (clock() - started) / steps;
recording = false;
dispose();

const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
const convMs = rows.reduce((a, [, e]) => a + e.ms, 0) / steps;
console.log(`${net}: ${round(stepMs)} ms per step, convolution kernels ${round(convMs)} ms (${round((100 * convMs) / stepMs)}%)`);
for (const [key, e] of rows) {
  console.log(`${key.padEnd(90)} ${String(e.calls / steps).padStart(3)}× ${round(e.ms / e.calls, 2).toFixed(2).padStart(7)} ms ${round(e.flops / e.ms / 1e6, 1).toFixed(1).padStart(6)} GFLOP/s ${round((100 * e.ms) / steps / stepMs, 1).toFixed(1).padStart(5)}%`);
}
