// Conv2DBackpropFilter on wasm, its two formulations side by side on the CycleGAN `small` and
// ESRGAN `small` layer shapes (bench/conv-shapes.ts lists them): the conv formulation (x as
// [CI,H,W,N] convolved with dy) against the im2col product (patch matrix × dy), alternated call
// by call in one process. Process CPU time; run on one wasm thread. Prints one JSON line per shape
// and which one the kernel's rule (useIm2col) picks.
//   GAN_STUDIO_WASM_THREADS=1 node dist/bench/filter-grad-ab.js [--reps 9]
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { initTf } from '../src/engine/backends.js';
import { conv2dBackpropFilterWasm } from '../src/engine/wasm-kernels/index.js';
import { useIm2col } from '../src/engine/wasm-kernels/conv2d-backprop-filter.js';
import { flag, median, round } from './common.js';

const reps = Number(flag('reps') ?? 9);
// [x shape, kernel, cout, stride]: 'valid' after an explicit pad, as the two networks do
const SHAPES: Array<[[number, number, number, number], number, number, number]> = [
  [[4, 18, 18, 64], 3, 64, 1], // CycleGAN residual blocks
  [[4, 66, 66, 32], 3, 16, 1],
  [[4, 34, 34, 64], 3, 32, 1],
  [[4, 70, 70, 16], 7, 3, 1],
  [[4, 70, 70, 3], 7, 16, 1],
  [[4, 66, 66, 16], 3, 32, 2],
  [[4, 34, 34, 32], 3, 64, 2],
  [[4, 34, 34, 16], 4, 32, 2],
  [[4, 10, 10, 64], 4, 128, 1],
  [[8, 18, 18, 72], 3, 24, 1], // ESRGAN dense blocks (16² LR, 'same')
  [[8, 18, 18, 48], 3, 12, 1],
  [[8, 18, 18, 24], 3, 12, 1],
  [[8, 34, 34, 24], 3, 24, 1],
  [[8, 18, 18, 24], 3, 96, 1],
];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
await initTf('wasm');
const backend = tf.backend();
for (const [xShape, k, co, stride] of SHAPES) {
  const [n, h, w, ci] = xShape;
  const oh = Math.floor((h - k) / stride) + 1;
  const ow = Math.floor((w - k) / stride) + 1;
  const x = tf.randomNormal(xShape);
  const dy = tf.randomNormal([n, oh, ow, co]);
  const args = { inputs: { x: x as TensorInfo, dy: dy as TensorInfo }, backend, attrs: { strides: [stride, stride], pad: 'valid', dataFormat: 'NHWC', filterShape: [k, k, ci, co] } } as unknown as Parameters<typeof conv2dBackpropFilterWasm>[0];
  const variants = { conv: () => false, im2col: () => true } as const;
  const times: Record<keyof typeof variants, number[]> = { conv: [], im2col: [] };
  const results: Record<string, Float32Array> = {};
  for (let r = -1; r < reps; r++) {
    for (const name of (r % 2 ? ['conv', 'im2col'] : ['im2col', 'conv']) as Array<keyof typeof variants>) {
      const t = cpuMs();
      const out = conv2dBackpropFilterWasm(args, variants[name]);
      const ms = cpuMs() - t;
      if (r >= 0) times[name].push(ms);
      else results[name] = (backend as unknown as { typedArrayFromHeap(t: TensorInfo): Float32Array }).typedArrayFromHeap(out).slice();
      backend.disposeData(out.dataId);
    }
  }
  let maxDiff = 0;
  for (let i = 0; i < results.conv!.length; i++) maxDiff = Math.max(maxDiff, Math.abs(results.conv![i]! - results.im2col![i]!));
  const flops = 2 * n * oh * ow * co * k * k * ci;
  const conv = median(times.conv);
  const im2col = median(times.im2col);
  console.log(JSON.stringify({
    shape: `${xShape.join('x')} k${k} s${stride} -> ${co}`, conv_ms: round(conv, 2), im2col_ms: round(im2col, 2),
    conv_gflops: round(flops / conv / 1e6), im2col_gflops: round(flops / im2col / 1e6), im2col_speedup: round(conv / im2col, 2),
    rule_picks: useIm2col(n, k, k, ci, n * oh * ow, co, stride) ? 'im2col' : 'conv', max_abs_diff: Number(maxDiff.toPrecision(2)),
  }));
  tf.dispose([x, dy]);
}
