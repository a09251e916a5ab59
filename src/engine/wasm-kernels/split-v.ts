// SplitV for the wasm backend as contiguous run copies on the heap.
//
// SplitV is the gradient of Concat: every ESRGAN dense block concatenates its features along
// the channel axis five times, so backprop splits dy back into those channel groups. The shipped
// kernel slices each part with the generic wasm Slice (~5 M floats/s on a channel split) and was
// 26% of an ESRGAN `small` step (src/engine/README.md, optimisation log #9); a split is one
// run copy per (outer index, part), memcpy-bound.
import { backend_util, SplitV, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

export type Heap = Float32Array | Int32Array | Uint8Array;

/** The wasm backend's heap API, for any dtype (kernel-utils' Scratch is float32-only). */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Heap;
}

/** Copies `len` elements; `set` (memcpy) wins for long runs, a loop avoids its setup for short ones. */
export function copyRun(src: Heap, from: number, dst: Heap, to: number, len: number): void {
  if (len >= 16) dst.set(src.subarray(from, from + len), to);
  else for (let i = 0; i < len; i++) dst[to + i] = src[from + i]!;
}

/** Writes the parts of `src` (row-major `shape`) split along `axis` into `outs`, in order. */
export function splitInto(src: Heap, shape: number[], axis: number, sizes: number[], outs: Heap[]): void {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const axisLen = shape[axis]!;
  let start = 0;
  sizes.forEach((size, part) => {
    const run = size * inner;
    const dst = outs[part]!;
    for (let o = 0; o < outer; o++) copyRun(src, (o * axisLen + start) * inner, dst, o * run, run);
    start += size;
  });
}

export function makeSplitVConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown; attrs: { numOrSizeSplits: number[] | number; axis: number } }): TensorInfo[] => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    if (x.dtype === 'string' || x.shape.length === 0) {
      return shipped.kernelFunc({ inputs, backend: backend as object, attrs: { ...attrs } }) as TensorInfo[];
    }
    const axis = util.parseAxisParam(attrs.axis, x.shape)[0]!;
    const sizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
    const b = backend as HeapBackend;
    const outs = sizes.map((size) => b.makeOutput(x.shape.map((d, i) => (i === axis ? size : d)), x.dtype));
    // Views after the last allocation: makeOutput may grow (and detach) the heap.
    splitInto(b.typedArrayFromHeap(x), x.shape, axis, sizes, outs.map((t) => b.typedArrayFromHeap(t)));
    return outs;
  };
  return {
    kernelName: SplitV,
    backendName: 'wasm',
    setupFunc: shipped.setupFunc,
    disposeFunc: shipped.disposeFunc,
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
