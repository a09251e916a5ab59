// Conv2DBackpropFilter for the wasm backend, which ships without one (so conv nets cannot train).
//
// dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s+kh-pad, ow*s+kw-pad, ci] * dy[n,oh,ow,co].
//
// Read with ci as a "batch", n as the "input channels", (oh,ow) as a huge kernel dilated by the
// stride and (kh,kw) as a tiny output image, this is an ordinary forward convolution:
//   conv2d(x as [CI,H,W,N], dy as [OH,OW,N,CO], stride 1, dilation s) -> [CI,KH,KW,CO].
// That puts the whole reduction inside XNNPACK's convolution (~15-30 GFLOP/s on this CPU), with
// im2col done implicitly by its indirection buffer. The alternatives measured worse: an explicit
// im2col needs KH*KW strided slices (StridedSlice on wasm moves ~4M floats/s), and the natural
// matmul layout needs a transposeA matmul (0.3-0.8 GFLOP/s). The only data movement left is one
// relayout of x, one of dy and one of the small result, done in JS on the heap (heap-ops.ts).
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { swapOuterInner, swapOuterMiddle } from './heap-ops.js';
import { nhwcShape, type Scratch, toNhwc, withScratch } from './kernel-utils.js';

/** Up to this many filter rows (KH*KW*CI) the explicit im2col product beats the conv formulation. */
const IM2COL_MAX_ROWS = 64;
/**
 * Up to this batch the conv formulation's "input channels" (= N) are few for XNNPACK (CycleGAN
 * `small` trains at batch 4, ESRGAN `small` at 8: 5–12 GFLOP/s), and the im2col product wins
 * when its matmul is wide enough: CO ≥ 48, or CO ≥ 32 at stride 2 (where the conv formulation
 * also walks a dilated filter). Narrower products lost to the gather (0.6–0.9×, ESRGAN's
 * 12–24-channel dense layers); measured per shape by bench/filter-grad-ab.ts (optimisation log
 * #15). The patch matrix is capped at IM2COL_MAX_FLOATS.
 */
const IM2COL_MAX_BATCH = 16;
const IM2COL_MAX_FLOATS = 8 * 2 ** 20;

/** Whether the im2col product is expected to beat the conv formulation. */
export function useIm2col(n: number, kh: number, kw: number, ci: number, cols: number, co: number, stride: number): boolean {
  const rows = kh * kw * ci;
  if (rows <= IM2COL_MAX_ROWS) return true;
  const wide = co >= 48 || (stride > 1 && co >= 32);
  return n <= IM2COL_MAX_BATCH && wide && rows * cols <= IM2COL_MAX_FLOATS;
}

/**
 * dW = P * dy with P the [KH*KW*CI, N*OH*OW] patch matrix and dy viewed as [N*OH*OW, CO]: one
 * plain matmul whose result already is the [KH,KW,CI,CO] filter layout (XNNPACK packs only the
 * small dy). P is gathered from x relaid out as CI planes of [N,H,W], so each patch row is a
 * shifted copy of one plane: runs of OW floats at stride 1.
 */
function viaIm2col(
  s: Scratch,
  x: TensorInfo,
  dy: TensorInfo,
  g: { kh: number; kw: number; sh: number; sw: number; top: number; left: number },
): TensorInfo {
  const [n, inH, inW, ci] = x.shape as [number, number, number, number];
  const [, oh, ow, co] = dy.shape as [number, number, number, number];
  const cols = n * oh * ow;
  const planes = ci === 1 ? x : swapOuterInner(s, x, n * inH * inW, 1, ci, [ci, n, inH, inW]);
  const patches = s.alloc([1, g.kh * g.kw * ci, cols]);
  const src = s.view(planes);
  const dst = s.view(patches);
  const plane = n * inH * inW;
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) {
      // output columns whose tap j lands inside the row: z in [z0, z1)
      const z0 = Math.max(0, Math.ceil((g.left - j) / g.sw));
      const z1 = Math.min(ow, Math.floor((inW - 1 + g.left - j) / g.sw) + 1);
      for (let c = 0; c < ci; c++) {
        let o = ((i * g.kw + j) * ci + c) * cols;
        for (let b = 0; b < n; b++) {
          for (let y = 0; y < oh; y++, o += ow) {
            const row = y * g.sh + i - g.top;
            if (row < 0 || row >= inH || z1 <= z0) {
              for (let z = 0; z < ow; z++) dst[o + z] = 0;
              continue;
            }
            for (let z = 0; z < z0; z++) dst[o + z] = 0;
            for (let z = z1; z < ow; z++) dst[o + z] = 0;
            // short runs in a loop: a subarray per run costs more than copying 16–64 floats
            let from = c * plane + (b * inH + row) * inW + z0 * g.sw + j - g.left;
            for (let z = z0; z < z1; z++, from += g.sw) dst[o + z] = src[from]!;
          }
        }
      }
    }
  }
  const product = s.run('BatchMatMul', { a: patches, b: s.reshape(dy, [1, cols, co]) }, { transposeA: false, transposeB: false });
  return s.reshape(product, [g.kh, g.kw, ci, co]);
}

export function conv2dBackpropFilterWasm(
  args: {
    inputs: { x: TensorInfo; dy: TensorInfo };
    backend: unknown;
    attrs: Conv2DBackpropFilterAttrs;
  },
  /** which formulation to take; benches pass another rule to compare the two */
  im2col: typeof useIm2col = useIm2col,
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputs.x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const [n, inH, inW, ci] = nhwcShape(inputs.x.shape, dataFormat);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { outHeight: oh, outWidth: ow, padInfo } = info;

  return withScratch(backend, (s) => {
    const x = toNhwc(s, inputs.x, dataFormat);
    const dy = toNhwc(s, inputs.dy, dataFormat);
    const co = dy.shape[3]!;
    if (im2col(n, kh, kw, ci, n * oh * ow, co, Math.max(sh, sw))) return viaIm2col(s, x, dy, { kh, kw, sh, sw, top: padInfo.top, left: padInfo.left });
    const xT = swapOuterInner(s, x, n, inH * inW, ci, [ci, inH, inW, n]);
    const dyT = swapOuterMiddle(s, dy, n, oh * ow, co, [oh, ow, n, co]);
    // The forward pass may have ignored trailing rows (stride leftovers, or a bottom pad); pad only
    // as far as the last tap that was used, and trim any surplus output row below.
    const bottom = Math.max(0, (oh - 1) * sh + kh - inH - padInfo.top);
    const right = Math.max(0, (ow - 1) * sw + kw - inW - padInfo.left);
    let out = s.run(
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        dilations: [sh, sw],
        pad: [
          [0, 0],
          [padInfo.top, bottom],
          [padInfo.left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    ); // [CI, KH', KW', CO] with KH' >= KH
    if (out.shape[1] !== kh || out.shape[2] !== kw) {
      out = s.slice(out, [0, 0, 0, 0], [out.shape[0]!, kh, kw, out.shape[3]!]);
    }
    return swapOuterMiddle(s, out, ci, kh * kw, co, [kh, kw, ci, co]);
  });
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ((args: Parameters<typeof conv2dBackpropFilterWasm>[0]) => conv2dBackpropFilterWasm(args)) as unknown as KernelFunc,
};
