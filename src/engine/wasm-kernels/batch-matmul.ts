// BatchMatMul for the wasm backend without the slow transposed paths.
//
// The shipped kernel hands transposeA/transposeB to C++, where they run at 0.3-1.2 GFLOP/s
// against ~15-30 for a plain product. Backprop through every dense layer asks for exactly those
// (dA = dY·Bᵀ, dB = Aᵀ·dY), so we materialise the transpose (a memory pass, cheap next to the
// product) and call the shipped kernel with plain operands.
import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { swapOuterInner } from './heap-ops.js';
import { type Scratch, withScratch } from './kernel-utils.js';

function swapLastTwo(s: Scratch, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const rows = t.shape[rank - 2]!;
  const cols = t.shape[rank - 1]!;
  const outShape = [...t.shape.slice(0, -2), cols, rows];
  // One matrix (the dense-layer case): the tiled JS transpose; batches go to the wasm kernel.
  if (t.shape.slice(0, -2).every((d) => d === 1)) return swapOuterInner(s, t, rows, 1, cols, outShape);
  const perm = t.shape.map((_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return s.transpose(t, perm);
}

/** Builds the override around the shipped kernel, which stays in charge of plain products. */
export function makeBatchMatMulConfig(shipped: KernelConfig): KernelConfig {
  const plain = shipped.kernelFunc;
  const kernelFunc = (args: {
    inputs: { a: TensorInfo; b: TensorInfo };
    backend: unknown;
    attrs: BatchMatMulAttrs;
  }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    if (!attrs.transposeA && !attrs.transposeB) {
      return plain({ inputs, backend: backend as object, attrs: { ...attrs } }) as TensorInfo;
    }
    return withScratch(backend, (s) => {
      const a = attrs.transposeA ? swapLastTwo(s, inputs.a) : inputs.a;
      const b = attrs.transposeB ? swapLastTwo(s, inputs.b) : inputs.b;
      return plain({
        inputs: { a, b },
        backend: backend as object,
        attrs: { transposeA: false, transposeB: false },
      }) as TensorInfo;
    });
  };
  return {
    kernelName: BatchMatMul,
    backendName: 'wasm',
    // The shipped setup binds the C++ entry point; keep it so registration order does not matter.
    setupFunc: shipped.setupFunc,
    disposeFunc: shipped.disposeFunc,
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
