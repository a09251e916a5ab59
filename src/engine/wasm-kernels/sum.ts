// Sum over leading axes for the wasm backend as one column-sum pass on the heap.
//
// Every bias gradient is a Sum of an NHWC dy over N, H and W. The shipped kernel reduces only
// innermost axes, so it first transposes the whole tensor (the wasm Transpose moves ~25 M
// floats/s) to put C in front. Summing rows of C into C accumulators reads the tensor once in
// order. Sums are kept in float64 (at least as exact as the shipped float32 loop). Other axes,
// dtypes and the all-axes case go to the shipped kernel.
import { backend_util, Sum, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './split-v.js';

/** out[c] = Σ_r src[r·cols + c]. */
export function sumRowsInto(src: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const acc = new Float64Array(cols);
  let i = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) acc[c] += src[i]!;
  }
  for (let c = 0; c < cols; c++) out[c] = acc[c]!;
}

/** How many leading axes `axes` reduces, or 0 when it is not a leading prefix of a rank-`rank` shape. */
function leadingCount(axes: number[], rank: number): number {
  const sorted = [...axes].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.length >= rank) return 0;
  return sorted.every((a, i) => a === i) ? sorted.length : 0;
}

export function makeSumConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown; attrs: { axis: number | number[]; keepDims: boolean } }): TensorInfo => {
    const { x } = args.inputs;
    const axes = util.parseAxisParam(args.attrs.axis, x.shape);
    const k = leadingCount(axes, x.shape.length);
    if (x.dtype !== 'float32' || k === 0) return shipped.kernelFunc({ ...args, backend: args.backend as object, attrs: { ...args.attrs } }) as TensorInfo;
    const rows = util.sizeFromShape(x.shape.slice(0, k));
    const kept = x.shape.slice(k);
    const b = args.backend as HeapBackend;
    const out = b.makeOutput(args.attrs.keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept, 'float32');
    sumRowsInto(b.typedArrayFromHeap(x) as Float32Array, rows, util.sizeFromShape(kept), b.typedArrayFromHeap(out) as Float32Array);
    return out;
  };
  return {
    kernelName: Sum,
    backendName: 'wasm',
    setupFunc: shipped.setupFunc,
    disposeFunc: shipped.disposeFunc,
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
