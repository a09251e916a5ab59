// Layout changes done in JS directly on the wasm heap.
//
// The shipped wasm data-movement kernels are generic per-element loops: DepthToSpace moved
// ~5M floats/s here and Transpose ~25M/s, slower than the XNNPACK convolutions they feed. These
// cover the few layouts the training kernels need with contiguous runs (TypedArray.set, i.e.
// memcpy) or L1-sized tiles, and measured 10-100x faster on DCGAN shapes (see README.md).
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Scratch } from './kernel-utils.js';

/** Copies `len` floats; `set` (memcpy) wins for long runs, a loop avoids its setup for short ones. */
function copyRun(src: Float32Array, from: number, dst: Float32Array, to: number, len: number): void {
  if (len >= 16) dst.set(src.subarray(from, from + len), to);
  else for (let i = 0; i < len; i++) dst[to + i] = src[from + i]!;
}

/** [A, M, B] -> [M, A, B]: moves whole B-runs, so it is memcpy-bound. */
export function swapOuterMiddle(s: Scratch, x: TensorInfo, a: number, m: number, b: number, outShape: number[]): TensorInfo {
  const out = s.alloc(outShape);
  const src = s.view(x);
  const dst = s.view(out);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < m; j++) copyRun(src, (i * m + j) * b, dst, (j * a + i) * b, b);
  }
  return out;
}

/**
 * [A, M, B] -> [B, M, A] (e.g. NHWC -> CHWN). Each m holds an A x B tile that is transposed in
 * 32x32 blocks so both the strided reads and the strided writes stay in L1.
 */
export function swapOuterInner(s: Scratch, x: TensorInfo, a: number, m: number, b: number, outShape: number[]): TensorInfo {
  const out = s.alloc(outShape);
  const src = s.view(x);
  const dst = s.view(out);
  const T = 32;
  const srcA = m * b; // stride of A in src
  const dstB = m * a; // stride of B in dst
  for (let j = 0; j < m; j++) {
    const sBase = j * b;
    const dBase = j * a;
    for (let i0 = 0; i0 < a; i0 += T) {
      const i1 = Math.min(a, i0 + T);
      for (let k0 = 0; k0 < b; k0 += T) {
        const k1 = Math.min(b, k0 + T);
        for (let k = k0; k < k1; k++) {
          let si = sBase + i0 * srcA + k;
          let di = dBase + k * dstB + i0;
          for (let i = i0; i < i1; i++) {
            dst[di++] = src[si]!;
            si += srcA;
          }
        }
      }
    }
  }
  return out;
}

/**
 * Sub-pixel phase planes [N, QH, QW, SH*SW*C] (phase-major channels) -> the [N, H, W, C] window
 * starting at (offH, offW) of their interleaving: DepthToSpace and the crop in one pass.
 */
export function interleaveCrop(
  s: Scratch,
  phases: TensorInfo,
  sh: number,
  sw: number,
  offH: number,
  offW: number,
  h: number,
  w: number,
): TensorInfo {
  const [n, qh, qw, depth] = phases.shape as [number, number, number, number];
  const c = depth / (sh * sw);
  const out = s.alloc([n, h, w, c]);
  const src = s.view(phases);
  const dst = s.view(out);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      const ii = i + offH;
      const qi = Math.floor(ii / sh);
      const rowBase = (b * qh + qi) * qw;
      const phaseRow = (ii - qi * sh) * sw;
      for (let j = 0; j < w; j++) {
        const jj = j + offW;
        const qj = Math.floor(jj / sw);
        copyRun(src, ((rowBase + qj) * sh * sw + phaseRow + (jj - qj * sw)) * c, dst, o, c);
        o += c;
      }
    }
  }
  return out;
}

/**
 * Writes the [CI, CO] block at `srcBase` of a filter transposed, as CO rows of CI values that
 * are `dstRowStride` apart starting at `dstBase` (32x32 tiles keep both sides in L1). The phase
 * filters of the transposed convolution are built from these: one wasm Transpose + Reverse of a
 * 4x4x128x256 filter cost ~120 ms, this ~2 ms.
 */
export function transposeBlockInto(
  src: Float32Array,
  srcBase: number,
  ci: number,
  co: number,
  dst: Float32Array,
  dstBase: number,
  dstRowStride: number,
): void {
  const T = 32;
  for (let i0 = 0; i0 < ci; i0 += T) {
    const i1 = Math.min(ci, i0 + T);
    for (let o0 = 0; o0 < co; o0 += T) {
      const o1 = Math.min(co, o0 + T);
      for (let o = o0; o < o1; o++) {
        let si = srcBase + i0 * co + o;
        let di = dstBase + o * dstRowStride + i0;
        for (let i = i0; i < i1; i++) {
          dst[di++] = src[si]!;
          si += co;
        }
      }
    }
  }
}

/** dst[n, first + a*stepH, firstW + b*stepW, :] = src[n, a, b, :] for an [N, A, B, C] src. */
export function scatterStrided(
  src: Float32Array,
  shape: [number, number, number, number],
  dst: Float32Array,
  dstH: number,
  dstW: number,
  firstH: number,
  firstW: number,
  stepH: number,
  stepW: number,
): void {
  const [n, a, b, c] = shape;
  let si = 0;
  for (let bi = 0; bi < n; bi++) {
    for (let i = 0; i < a; i++) {
      const rowBase = (bi * dstH + firstH + i * stepH) * dstW;
      for (let j = 0; j < b; j++) {
        copyRun(src, si, dst, (rowBase + firstW + j * stepW) * c, c);
        si += c;
      }
    }
  }
}
