// Reflection / symmetric padding of H and W (NHWC) on the wasm heap, and its gradient.
//
// The gradient tfjs registers for MirrorPad is a Slice of dy: it keeps the centre and drops what
// the reflected border rows and columns received, although each of them is a copy of an inner
// pixel whose gradient should include it (PyTorch's ReflectionPad2d backward adds them). Here
// the gradient kernel folds every border cell back onto the pixel it was copied from. It is
// registered under a name of its own (MIRROR_PAD_GRAD_KERNEL); the CycleGAN layer
// (src/models/cyclegan/layers.ts) calls it on wasm and builds the same sum from tf ops elsewhere.
// The forward override copies each row's centre as one run (the shipped kernel computes an index
// per element); other ranks, padded axes and dtypes go to the shipped kernel.
import { MirrorPad, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { copyRun, type HeapBackend } from './split-v.js';

export const MIRROR_PAD_GRAD_KERNEL = 'GanStudioMirrorPadGrad';

type Mode = 'reflect' | 'symmetric';
type Paddings = Array<[number, number]>;

/** The source index of padded position `i` along an axis of length `len` padded by `before`. */
export function mirrorIndex(i: number, before: number, len: number, mode: Mode): number {
  const j = i - before;
  const off = mode === 'reflect' ? 0 : 1;
  if (j < 0) return -j - off;
  if (j >= len) return 2 * len - 2 + off - j;
  return j;
}

/** Only H and W padded, NHWC float32: the case both kernels handle themselves. */
function spatialOnly(shape: number[], paddings: Paddings, dtype: string): boolean {
  if (shape.length !== 4 || dtype !== 'float32') return false;
  const [n, h, w, c] = paddings;
  return n![0] === 0 && n![1] === 0 && c![0] === 0 && c![1] === 0 && h![0] >= 0 && h![1] >= 0 && w![0] >= 0 && w![1] >= 0;
}

function sourceIndices(before: number, len: number, outLen: number, mode: Mode): Int32Array {
  const idx = new Int32Array(outLen);
  for (let i = 0; i < outLen; i++) idx[i] = mirrorIndex(i, before, len, mode);
  return idx;
}

export function mirrorPadInto(src: Float32Array, shape: number[], paddings: Paddings, mode: Mode, dst: Float32Array): void {
  const [n, h, w, c] = shape as [number, number, number, number];
  const [top, bottom] = paddings[1]!;
  const [left, right] = paddings[2]!;
  const oh = h + top + bottom;
  const ow = w + left + right;
  const rows = sourceIndices(top, h, oh, mode);
  const cols = sourceIndices(left, w, ow, mode);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      const rowBase = (b * h + rows[i]!) * w;
      for (let j = 0; j < left; j++, o += c) copyRun(src, (rowBase + cols[j]!) * c, dst, o, c);
      copyRun(src, rowBase * c, dst, o, w * c);
      o += w * c;
      for (let j = left + w; j < ow; j++, o += c) copyRun(src, (rowBase + cols[j]!) * c, dst, o, c);
    }
  }
}

/** dx[n, src(i), src(j), :] += dy[n, i, j, :] over every padded position. */
export function mirrorPadGradInto(dy: Float32Array, dyShape: number[], paddings: Paddings, mode: Mode, dx: Float32Array): void {
  const [n, oh, ow, c] = dyShape as [number, number, number, number];
  const [top, bottom] = paddings[1]!;
  const [left, right] = paddings[2]!;
  const h = oh - top - bottom;
  const w = ow - left - right;
  const rows = sourceIndices(top, h, oh, mode);
  const cols = sourceIndices(left, w, ow, mode);
  dx.fill(0);
  let s = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      const rowBase = (b * h + rows[i]!) * w;
      for (let j = 0; j < ow; j++) {
        const d = (rowBase + cols[j]!) * c;
        for (let k = 0; k < c; k++) dx[d + k] += dy[s++]!;
      }
    }
  }
}

interface MirrorPadArgs {
  inputs: { x: TensorInfo };
  backend: unknown;
  attrs: { paddings: Paddings; mode: Mode };
}

export function mirrorPadGrad(args: { inputs: { dy: TensorInfo }; backend: unknown; attrs: { paddings: Paddings; mode: Mode } }): TensorInfo {
  const { dy } = args.inputs;
  const { paddings, mode } = args.attrs;
  if (!spatialOnly(dy.shape, paddings, dy.dtype)) throw new Error(`${MIRROR_PAD_GRAD_KERNEL}: expects float32 NHWC with only H and W padded, got ${dy.dtype} [${dy.shape.join(', ')}] padded ${JSON.stringify(paddings)}`);
  const b = args.backend as HeapBackend;
  const shape = dy.shape.map((d, i) => d - paddings[i]![0] - paddings[i]![1]);
  const out = b.makeOutput(shape, 'float32');
  mirrorPadGradInto(b.typedArrayFromHeap(dy) as Float32Array, dy.shape, paddings, mode, b.typedArrayFromHeap(out) as Float32Array);
  return out;
}

export function makeMirrorPadConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc = (args: MirrorPadArgs): TensorInfo => {
    const { x } = args.inputs;
    const { paddings, mode } = args.attrs;
    if (!spatialOnly(x.shape, paddings, x.dtype)) return shipped.kernelFunc({ ...args, backend: args.backend as object, attrs: { ...args.attrs } }) as TensorInfo;
    const b = args.backend as HeapBackend;
    const out = b.makeOutput(x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]), 'float32');
    mirrorPadInto(b.typedArrayFromHeap(x) as Float32Array, x.shape, paddings, mode, b.typedArrayFromHeap(out) as Float32Array);
    return out;
  };
  return {
    kernelName: MirrorPad,
    backendName: 'wasm',
    setupFunc: shipped.setupFunc,
    disposeFunc: shipped.disposeFunc,
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}

export const mirrorPadGradConfig: KernelConfig = {
  kernelName: MIRROR_PAD_GRAD_KERNEL,
  backendName: 'wasm',
  kernelFunc: mirrorPadGrad as unknown as KernelFunc,
};
