// Instance normalisation (per image and channel over H×W, no affine parameters) and its gradient
// as two custom wasm kernels, each two passes over the heap.
//
// CycleGAN normalises ~90 activations per step. Built from tf.moments and autodiff, each costs
// ~10 forward and ~25 backward kernel calls, several of them Sum/Mean over H and W, which the
// wasm backend serves by transposing the whole tensor first (src/engine/README.md, optimisation
// log #12). The closed form needs two passes each way:
//   forward:  μ, σ² per (n, c) in one pass (sums in float64), then y = (x − μ)·r, r = (σ² + ε)^-½
//   backward: dx = r·(dy − mean(dy) − ŷ·mean(dy·ŷ)), ŷ = (x − μ)·r; one pass gathers Σx, Σx²,
//             Σdy, Σdy·x (so μ and r are recomputed, nothing is saved but x), one writes
//             dx = a·dy + b·x + c with per-channel a, b, c.
// The kernels are registered under names of their own (INSTANCE_NORM_KERNELS); the CycleGAN
// layer (src/models/cyclegan/layers.ts) calls them when the wasm backend has them and otherwise
// keeps its tf.moments form.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './split-v.js';

/** Kernel names, as the CycleGAN layer spells them. */
export const INSTANCE_NORM_KERNELS = { forward: 'GanStudioInstanceNorm', backward: 'GanStudioInstanceNormGrad' } as const;

interface Moments {
  mean: Float64Array;
  rstd: Float64Array;
}

/**
 * μ and r per channel of one image starting at `base`, channels innermost. Channel by channel
 * with the sums in locals (registers): the strided reads stay in cache (one image of a CycleGAN
 * activation is ≤ 256 KB), and it measured ~2× faster than pixel by pixel into arrays of sums.
 */
function momentsOf(x: Float32Array, base: number, hw: number, c: number, epsilon: number, into: Moments): void {
  const end = base + hw * c;
  for (let k = 0; k < c; k++) {
    let s = 0;
    let ss = 0;
    for (let i = base + k; i < end; i += c) {
      const v = x[i]!;
      s += v;
      ss += v * v;
    }
    const m = s / hw;
    into.mean[k] = m;
    into.rstd[k] = 1 / Math.sqrt(Math.max(0, ss / hw - m * m) + epsilon);
  }
}

function dims(t: TensorInfo): [number, number, number] {
  const [n, h, w, c] = t.shape as [number, number, number, number];
  return [n, h * w, c];
}

export function instanceNormForward(args: { inputs: { x: TensorInfo }; backend: unknown; attrs: { epsilon: number } }): TensorInfo {
  const { x } = args.inputs;
  if (x.shape.length !== 4 || x.dtype !== 'float32') throw new Error(`${INSTANCE_NORM_KERNELS.forward}: expects a float32 NHWC tensor, got ${x.dtype} [${x.shape.join(', ')}]`);
  const b = args.backend as HeapBackend;
  const [n, hw, c] = dims(x);
  const out = b.makeOutput(x.shape, 'float32');
  // views after the allocation: makeOutput may grow (and detach) the heap
  const src = b.typedArrayFromHeap(x) as Float32Array;
  const dst = b.typedArrayFromHeap(out) as Float32Array;
  const m: Moments = { mean: new Float64Array(c), rstd: new Float64Array(c) };
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let img = 0; img < n; img++) {
    const base = img * hw * c;
    momentsOf(src, base, hw, c, args.attrs.epsilon, m);
    for (let k = 0; k < c; k++) {
      scale[k] = m.rstd[k]!;
      shift[k] = -m.mean[k]! * m.rstd[k]!;
    }
    let i = base;
    for (let p = 0; p < hw; p++) {
      for (let k = 0; k < c; k++, i++) dst[i] = src[i]! * scale[k]! + shift[k]!;
    }
  }
  return out;
}

export function instanceNormBackward(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: unknown; attrs: { epsilon: number } }): TensorInfo {
  const { x, dy } = args.inputs;
  const b = args.backend as HeapBackend;
  const [n, hw, c] = dims(x);
  const out = b.makeOutput(x.shape, 'float32');
  const xs = b.typedArrayFromHeap(x) as Float32Array;
  const g = b.typedArrayFromHeap(dy) as Float32Array;
  const dx = b.typedArrayFromHeap(out) as Float32Array;
  const sx = new Float64Array(c);
  const sxx = new Float64Array(c);
  const sg = new Float64Array(c);
  const sgx = new Float64Array(c);
  const ca = new Float32Array(c);
  const cb = new Float32Array(c);
  const cc = new Float32Array(c);
  for (let img = 0; img < n; img++) {
    const base = img * hw * c;
    const end = base + hw * c;
    for (let k = 0; k < c; k++) {
      let a = 0;
      let aa = 0;
      let d = 0;
      let dv = 0;
      for (let i = base + k; i < end; i += c) {
        const v = xs[i]!;
        const q = g[i]!;
        a += v;
        aa += v * v;
        d += q;
        dv += q * v;
      }
      sx[k] = a;
      sxx[k] = aa;
      sg[k] = d;
      sgx[k] = dv;
    }
    for (let k = 0; k < c; k++) {
      const mean = sx[k]! / hw;
      const r = 1 / Math.sqrt(Math.max(0, sxx[k]! / hw - mean * mean) + args.attrs.epsilon);
      const meanG = sg[k]! / hw;
      const meanGy = r * (sgx[k]! / hw - mean * meanG); // mean(dy·ŷ)
      // dx = r·dy − r·meanG − (x − μ)·r²·meanGy
      ca[k] = r;
      cb[k] = -r * r * meanGy;
      cc[k] = -r * meanG + mean * r * r * meanGy;
    }
    let i = base;
    for (let p = 0; p < hw; p++) {
      for (let k = 0; k < c; k++, i++) dx[i] = ca[k]! * g[i]! + cb[k]! * xs[i]! + cc[k]!;
    }
  }
  return out;
}

export const instanceNormForwardConfig: KernelConfig = {
  kernelName: INSTANCE_NORM_KERNELS.forward,
  backendName: 'wasm',
  kernelFunc: instanceNormForward as unknown as KernelFunc,
};

export const instanceNormBackwardConfig: KernelConfig = {
  kernelName: INSTANCE_NORM_KERNELS.backward,
  backendName: 'wasm',
  kernelFunc: instanceNormBackward as unknown as KernelFunc,
};
