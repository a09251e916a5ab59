// Slice for the wasm backend with the longest contiguous runs the slice allows.
//
// The shipped kernel copies one innermost-axis run per element of the other axes, each through
// a new `subarray` view: cropping an NHWC gradient (the gradient of MirrorPad and of zero
// padding is a Slice of dy) makes one 16–64-float copy per pixel. Here trailing axes that the
// slice takes whole are merged into the run (a crop of H and W copies W·C floats at a time), and
// short runs are copied in a loop. Slice was 11.5% of a CycleGAN `small` step
// (src/engine/README.md, optimisation log #11).
import { Slice, slice_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { copyRun, type Heap, type HeapBackend } from './split-v.js';

/** Copies the block of `src` (row-major `shape`) at `begin` of extent `size` into `dst`. */
export function sliceInto(src: Heap, shape: number[], begin: number[], size: number[], dst: Heap): void {
  const rank = shape.length;
  const strides = util.computeStrides(shape);
  // axes k.. form one contiguous run: every axis after k is taken whole
  let k = rank - 1;
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
  const run = size.slice(k).reduce((a, b) => a * b, 1);
  const base = begin.reduce((acc, b, i) => acc + b * (i === rank - 1 ? 1 : strides[i]!), 0);
  const count = size.slice(0, k).reduce((a, b) => a * b, 1);
  const idx = new Array<number>(k).fill(0);
  let to = 0;
  for (let r = 0; r < count; r++) {
    let from = base;
    for (let i = 0; i < k; i++) from += idx[i]! * strides[i]!;
    copyRun(src, from, dst, to, run);
    to += run;
    for (let i = k - 1; i >= 0; i--) {
      if (++idx[i]! < size[i]!) break;
      idx[i] = 0;
    }
  }
}

export function makeSliceConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown; attrs: { begin: number | number[]; size: number | number[] } }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    if (x.dtype === 'string' || x.shape.length === 0) {
      return shipped.kernelFunc({ inputs, backend: backend as object, attrs: { ...attrs } }) as TensorInfo;
    }
    const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size) as [number[], number[]];
    const b = backend as HeapBackend;
    const out = b.makeOutput(size, x.dtype);
    // views after the allocation: makeOutput may grow (and detach) the heap
    if (util.sizeFromShape(size) > 0) sliceInto(b.typedArrayFromHeap(x), x.shape, begin, size, b.typedArrayFromHeap(out));
    return out;
  };
  return {
    kernelName: Slice,
    backendName: 'wasm',
    setupFunc: shipped.setupFunc,
    disposeFunc: shipped.disposeFunc,
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
