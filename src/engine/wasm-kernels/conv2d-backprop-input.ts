// Conv2DBackpropInput for the wasm backend: the gradient of conv2d w.r.t. its input, and also the
// forward pass of conv2dTranspose (every DCGAN/CycleGAN generator upsampling layer).
//
// The shipped kernel is a direct loop (~1.5 GFLOP/s here). This one is a single XNNPACK forward
// convolution via the sub-pixel decomposition. In 1-D, with j = i + padBefore:
//   dx[i] = sum over taps k = (j mod s) + m*s of dy[floor(j/s) - m] * W[k]
// so each output phase r = j mod s is a stride-1 correlation of dy with the taps W[r + m*s]
// (flipped). All s*s phases share the same dy window, so one conv with s*s*CI output channels
// computes them together, and DepthToSpace interleaves them back into dx. Work equals the true
// FLOPs (no zeros inserted between dy pixels), apart from at most one extra row/column of
// phases when the padding is odd.
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { interleaveCrop } from './heap-ops.js';
import { nhwcShape, type Scratch, toNhwc, withScratch } from './kernel-utils.js';

/** Per-axis plan: which dy rows feed the phase conv and where dx sits in the interleaved output. */
export interface AxisPlan {
  taps: number; // M = ceil(K / s): taps per phase
  padLo: number; // zero rows before dy (negative: crop dy instead)
  padHi: number;
  offset: number; // first dx row inside the interleaved result
}

/**
 * `dilation` > 1 is only meaningful with stride 1 (tfjs rejects both > 1): then there is a single
 * phase and the correlation itself is dilated.
 */
export function planAxis(k: number, s: number, padBefore: number, inSize: number, outSize: number, dilation = 1): AxisPlan {
  if (s === 1) {
    const padLo = (k - 1) * dilation - padBefore;
    return { taps: k, padLo, padHi: inSize + (k - 1) * dilation - outSize - padLo, offset: 0 };
  }
  const taps = Math.ceil(k / s);
  const qlo = Math.floor(padBefore / s);
  const qhi = Math.floor((padBefore + inSize - 1) / s);
  const q = qhi - qlo + 1; // phase rows needed to cover dx
  const padLo = taps - 1 - qlo;
  const padHi = q + taps - 1 - outSize - padLo;
  return { taps, padLo, padHi, offset: padBefore - qlo * s };
}

/**
 * Rearranges W [KH,KW,CI,CO] into the phase filter [MH,MW,CO,SH*SW*CI]: taps grouped by phase,
 * flipped (correlation of the reversed taps), and in/out channels swapped. For a depthwise
 * filter [KH,KW,C,M] it gives [MH,MW,C*M,SH*SW]: one phase per channel multiplier slot.
 */
export function phaseFilter(
  s: Scratch,
  w: TensorInfo,
  mh: number,
  mw: number,
  sh: number,
  sw: number,
  depthwise = false,
): TensorInfo {
  const [kh, kw, ci, co] = w.shape as [number, number, number, number];
  let f = w;
  if (mh * sh !== kh || mw * sw !== kw) {
    f = s.pad(f, [
      [0, mh * sh - kh],
      [0, mw * sw - kw],
      [0, 0],
      [0, 0],
    ]);
  }
  f = s.reshape(f, [mh, sh, mw, sw, ci, co]);
  f = s.run('Reverse', { x: f }, { dims: [0, 2] });
  if (depthwise) {
    f = s.transpose(f, [0, 2, 4, 5, 1, 3]); // [MH, MW, C, M, SH, SW]
    return s.reshape(f, [mh, mw, ci * co, sh * sw]);
  }
  f = s.transpose(f, [0, 2, 5, 1, 3, 4]); // [MH, MW, CO, SH, SW, CI]
  return s.reshape(f, [mh, mw, co, sh * sw * ci]);
}

/** Crops dy where a plan asks for negative padding (a 'valid' conv that skipped trailing rows). */
export function cropDy(s: Scratch, dy: TensorInfo, ph: AxisPlan, pw: AxisPlan): TensorInfo {
  const [n, oh, ow, co] = dy.shape as [number, number, number, number];
  const top = Math.max(0, -ph.padLo);
  const left = Math.max(0, -pw.padLo);
  const h = oh - top - Math.max(0, -ph.padHi);
  const w = ow - left - Math.max(0, -pw.padHi);
  if (top === 0 && left === 0 && h === oh && w === ow) return dy;
  return s.slice(dy, [0, top, left, 0], [n, h, w, co]);
}

/**
 * [N, QH, QW, SH*SW*C] phase planes (phase-major channels) -> dx [N, H, W, C]: interleave the
 * phases into pixels and cut the window dx occupies, in one JS pass (the shipped DepthToSpace
 * alone cost more than the convolution).
 */
export function interleavePhases(
  s: Scratch,
  phases: TensorInfo,
  sh: number,
  sw: number,
  ph: AxisPlan,
  pw: AxisPlan,
  inH: number,
  inW: number,
): TensorInfo {
  if (sh === 1 && sw === 1 && ph.offset === 0 && pw.offset === 0 && phases.shape[1] === inH && phases.shape[2] === inW) {
    return phases;
  }
  return interleaveCrop(s, phases, sh, sw, ph.offset, pw.offset, inH, inW);
}

export function conv2dBackpropInputWasm(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: unknown;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    inputs.filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const [, inH, inW] = nhwcShape(inputShape, dataFormat);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const ph = planAxis(kh, sh, padInfo.top, inH, info.outHeight);
  const pw = planAxis(kw, sw, padInfo.left, inW, info.outWidth);

  return withScratch(backend, (s) => {
    const dy = cropDy(s, toNhwc(s, inputs.dy, dataFormat), ph, pw);
    const filter = phaseFilter(s, inputs.filter, ph.taps, pw.taps, sh, sw);
    let out = s.run(
      'Conv2D',
      { x: dy, filter },
      {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [
          [0, 0],
          [Math.max(0, ph.padLo), Math.max(0, ph.padHi)],
          [Math.max(0, pw.padLo), Math.max(0, pw.padHi)],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    ); // [N, QH, QW, SH*SW*CI]
    out = interleavePhases(s, out, sh, sw, ph, pw, inH, inW);
    return dataFormat === 'NCHW' ? s.transpose(out, [0, 3, 1, 2]) : out;
  });
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm as unknown as KernelFunc,
};
