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
 * dW = P * dy with P the [KH*KW*CI, N*OH*OW] patch matrix gathered in JS and dy viewed as
 * [N*OH*OW, CO]: one plain matmul whose result already is the [KH,KW,CI,CO] filter layout. For
 * an RGB first layer the conv formulation hands XNNPACK only KH*KW*CI = 48 output rows and ran
 * at ~3-5 GFLOP/s; P costs 16x the input in memory, hence the row limit.
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
  const patches = s.alloc([1, g.kh * g.kw * ci, cols]);
  const src = s.view(x);
  const dst = s.view(patches);
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) {
      for (let c = 0; c < ci; c++) {
        let o = ((i * g.kw + j) * ci + c) * cols;
        for (let b = 0; b < n; b++) {
          for (let y = 0; y < oh; y++) {
            const row = y * g.sh + i - g.top;
            const inside = row >= 0 && row < inH;
            const base = (b * inH + row) * inW;
            for (let z = 0; z < ow; z++) {
              const col = z * g.sw + j - g.left;
              dst[o++] = inside && col >= 0 && col < inW ? src[(base + col) * ci + c]! : 0;
            }
          }
        }
      }
    }
  }
  const product = s.run('BatchMatMul', { a: patches, b: s.reshape(dy, [1, cols, co]) }, { transposeA: false, transposeB: false });
  return s.reshape(product, [g.kh, g.kw, ci, co]);
}

export function conv2dBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: unknown;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
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
    if (kh * kw * ci <= IM2COL_MAX_ROWS) return viaIm2col(s, x, dy, { kh, kw, sh, sw, top: padInfo.top, left: padInfo.left });
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
  kernelFunc: conv2dBackpropFilterWasm as unknown as KernelFunc,
};
