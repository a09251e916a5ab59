// Tile for the wasm backend, done as block copies on the heap.
//
// Batch-norm's gradient tiles a per-channel vector up to the activation's full [N,H,W,C] shape
// (twice per BN layer). The shipped kernel computes an index per element and took ~11% of a
// DCGAN step; replicating already-written blocks with copyWithin (memmove) is memory-bound.
import { type KernelConfig, type KernelFunc, Tile, type TensorInfo } from '@tensorflow/tfjs-core';

/** The wasm backend's heap API, for any dtype (kernel-utils' Scratch is float32-only). */
interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Writes `x` tiled by `reps` into `out` (both row-major; out dims = x dims * reps). */
export function tileInto(
  src: ArrayLike<number>,
  inShape: number[],
  reps: number[],
  out: Float32Array | Int32Array | Uint8Array,
): void {
  const rank = inShape.length;
  const outShape = inShape.map((d, i) => d * reps[i]!);
  const outStrides = new Array<number>(rank);
  let acc = 1;
  for (let k = rank - 1; k >= 0; k--) {
    outStrides[k] = acc;
    acc *= outShape[k]!;
  }
  // 1. Place x at the origin corner of the output, one innermost run at a time.
  const inner = inShape[rank - 1]!;
  const rows = inner === 0 ? 0 : src.length / inner;
  const idx = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let r = 0; r < rows; r++) {
    let base = 0;
    for (let k = 0; k < rank - 1; k++) base += idx[k]! * outStrides[k]!;
    for (let j = 0; j < inner; j++) out[base + j] = src[r * inner + j]!;
    for (let k = rank - 2; k >= 0; k--) {
      if (++idx[k]! < inShape[k]!) break;
      idx[k] = 0;
    }
  }
  // 2. From the innermost axis out, repeat each filled block reps[k]-1 more times along axis k.
  for (let k = rank - 1; k >= 0; k--) {
    if (reps[k] === 1) continue;
    const block = inShape[k]! * outStrides[k]!;
    const prefix = new Array<number>(k).fill(0);
    const count = inShape.slice(0, k).reduce((a, b) => a * b, 1);
    for (let p = 0; p < count; p++) {
      let base = 0;
      for (let j = 0; j < k; j++) base += prefix[j]! * outStrides[j]!;
      for (let t = 1; t < reps[k]!; t++) out.copyWithin(base + t * block, base, base + block);
      for (let j = k - 1; j >= 0; j--) {
        if (++prefix[j]! < inShape[j]!) break;
        prefix[j] = 0;
      }
    }
  }
}

export function makeTileConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown; attrs: { reps: number[] } }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    if (x.dtype === 'string' || x.shape.length === 0) {
      return shipped.kernelFunc({ inputs, backend: backend as object, attrs: { ...attrs } }) as TensorInfo;
    }
    const b = backend as HeapBackend;
    const out = b.makeOutput(
      x.shape.map((d, i) => d * attrs.reps[i]!),
      x.dtype,
    );
    // Views after the allocation: makeOutput may grow (and detach) the heap.
    tileInto(b.typedArrayFromHeap(x), x.shape, attrs.reps, b.typedArrayFromHeap(out));
    return out;
  };
  return {
    kernelName: Tile,
    backendName: 'wasm',
    setupFunc: shipped.setupFunc,
    disposeFunc: shipped.disposeFunc,
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
