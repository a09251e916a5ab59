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
// phases when the padding is odd, and zero taps when K is not a multiple of s.
//
// That waste is 1.56x on DCGAN's k4 s2 'same' layers (a 5x5 phase grid for 4x4 real rows), so
// when the input has enough channels to keep each product a good GEMM shape, every phase gets
// its own exact stride-1 convolution instead (`splitPhases`), and the s*s results are scattered
// into dx. Phase filters are built in JS on the heap: the wasm Reverse + Transpose they replace
// cost as much as the convolution itself on the 8x8x128 <- 4x4x256 layer.
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { interleaveCrop, scatterStrided, transposeBlockInto } from './heap-ops.js';
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

/** One output phase along one axis: the dx rows first, first+s, ... and the taps that feed them. */
export interface PhaseRows {
  phase: number; // r: the taps r, r+s, ... feed these rows
  first: number; // first dx row of this phase
  count: number; // dx rows in it
  taps: number; // filter taps r, r+s, ... below K
  padLo: number; // zero rows before dy (negative: crop dy instead)
  padHi: number;
}

/** Row r of the result is phase r = (dx row + padBefore) mod s. */
export function phaseRows(k: number, s: number, padBefore: number, inSize: number, outSize: number): PhaseRows[] {
  return Array.from({ length: s }, (_, r) => {
    const first = (((r - padBefore) % s) + s) % s;
    const count = first < inSize ? Math.ceil((inSize - first) / s) : 0;
    const taps = r < k ? Math.ceil((k - r) / s) : 0;
    const q0 = (first + padBefore - r) / s; // dy row of the phase's first output
    return { phase: r, first, count, taps, padLo: taps - 1 - q0, padHi: q0 + count - outSize };
  });
}

/** Below this many input channels a per-phase GEMM is too thin: the waste of one conv is cheaper. */
const SPLIT_MIN_CHANNELS = 16;

/** MACs (per batch item and channel pair) of one joint phase conv vs exact per-phase convs. */
function phaseWork(ph: AxisPlan, pw: AxisPlan, rowsH: PhaseRows[], rowsW: PhaseRows[], dyH: number, dyW: number) {
  const q = (p: AxisPlan, len: number) => len + p.padLo + p.padHi - p.taps + 1;
  const joint = q(ph, dyH) * q(pw, dyW) * ph.taps * pw.taps * rowsH.length * rowsW.length;
  let exact = 0;
  for (const a of rowsH) for (const b of rowsW) exact += a.count * b.count * a.taps * b.taps;
  return { joint, exact };
}

/**
 * The phase filter of `phaseFilter` for a plain (not depthwise) filter, built in one JS pass:
 * [MH,MW,CO,SH*SW*CI] with entry [u,v,co,(rh*SW+rw)*CI+ci] = W[rh+(MH-1-u)*SH, rw+(MW-1-v)*SW, ci, co]
 * (zero where that tap is past K).
 */
function jointPhaseFilter(s: Scratch, w: TensorInfo, mh: number, mw: number, sh: number, sw: number): TensorInfo {
  const [kh, kw, ci, co] = w.shape as [number, number, number, number];
  const depth = sh * sw * ci;
  const out = s.alloc([mh, mw, co, depth]);
  const src = s.view(w);
  const dst = s.view(out);
  if (mh * sh !== kh || mw * sw !== kw) dst.fill(0);
  for (let u = 0; u < mh; u++) {
    for (let v = 0; v < mw; v++) {
      for (let rh = 0; rh < sh; rh++) {
        const y = rh + (mh - 1 - u) * sh;
        if (y >= kh) continue;
        for (let rw = 0; rw < sw; rw++) {
          const x = rw + (mw - 1 - v) * sw;
          if (x >= kw) continue;
          transposeBlockInto(src, (y * kw + x) * ci * co, ci, co, dst, (u * mw + v) * co * depth + (rh * sw + rw) * ci, depth);
        }
      }
    }
  }
  return out;
}

/** Exact per-phase convolutions, scattered into dx [N, H, W, CI]. */
function splitPhases(
  s: Scratch,
  dy: TensorInfo,
  w: TensorInfo,
  rowsH: PhaseRows[],
  rowsW: PhaseRows[],
  inH: number,
  inW: number,
): TensorInfo {
  const [, kw, ci, co] = w.shape as [number, number, number, number];
  const [n, oh, ow] = dy.shape as [number, number, number, number];
  const sh = rowsH.length;
  const sw = rowsW.length;
  const phases: Array<{ a: PhaseRows; b: PhaseRows; filter: TensorInfo }> = [];
  for (const a of rowsH) {
    for (const b of rowsW) {
      if (a.count > 0 && b.count > 0 && a.taps > 0 && b.taps > 0) phases.push({ a, b, filter: s.alloc([a.taps, b.taps, co, ci]) });
    }
  }
  // Every allocation above precedes these views (a later one could detach them).
  const src = s.view(w);
  for (const { a, b, filter } of phases) {
    const dst = s.view(filter);
    for (let u = 0; u < a.taps; u++) {
      for (let v = 0; v < b.taps; v++) {
        const y = a.phase + (a.taps - 1 - u) * sh;
        const x = b.phase + (b.taps - 1 - v) * sw;
        transposeBlockInto(src, (y * kw + x) * ci * co, ci, co, dst, (u * b.taps + v) * co * ci, ci);
      }
    }
  }
  const results = phases.map(({ a, b, filter }) => {
    const top = Math.max(0, -a.padLo);
    const left = Math.max(0, -b.padLo);
    const h = oh - top - Math.max(0, -a.padHi);
    const wd = ow - left - Math.max(0, -b.padHi);
    const x = top === 0 && left === 0 && h === oh && wd === ow ? dy : s.slice(dy, [0, top, left, 0], [n, h, wd, co]);
    return s.run(
      'Conv2D',
      { x, filter },
      {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [
          [0, 0],
          [Math.max(0, a.padLo), Math.max(0, a.padHi)],
          [Math.max(0, b.padLo), Math.max(0, b.padHi)],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    ); // [N, a.count, b.count, CI]
  });
  const dx = s.alloc([n, inH, inW, ci]);
  const out = s.view(dx);
  // phases with no taps (K < s) contribute nothing: their rows stay zero
  if (phases.length < rowsH.filter((r) => r.count > 0).length * rowsW.filter((r) => r.count > 0).length) out.fill(0);
  phases.forEach(({ a, b }, i) => {
    scatterStrided(s.view(results[i]!), [n, a.count, b.count, ci], out, inH, inW, a.first, b.first, sh, sw);
  });
  return dx;
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
  const [, inH, inW, ci] = nhwcShape(inputShape, dataFormat);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const ph = planAxis(kh, sh, padInfo.top, inH, info.outHeight);
  const pw = planAxis(kw, sw, padInfo.left, inW, info.outWidth);
  const rowsH = phaseRows(kh, sh, padInfo.top, inH, info.outHeight);
  const rowsW = phaseRows(kw, sw, padInfo.left, inW, info.outWidth);
  const work = phaseWork(ph, pw, rowsH, rowsW, info.outHeight, info.outWidth);
  const split = ci >= SPLIT_MIN_CHANNELS && sh * sw > 1 && work.joint > 1.05 * work.exact;

  return withScratch(backend, (s) => {
    const nhwcDy = toNhwc(s, inputs.dy, dataFormat);
    let out: TensorInfo;
    if (split) {
      out = splitPhases(s, nhwcDy, inputs.filter, rowsH, rowsW, inH, inW);
    } else {
      const dy = cropDy(s, nhwcDy, ph, pw);
      const filter = jointPhaseFilter(s, inputs.filter, ph.taps, pw.taps, sh, sw);
      out = s.run(
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
    }
    return dataFormat === 'NCHW' ? s.transpose(out, [0, 3, 1, 2]) : out;
  });
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm as unknown as KernelFunc,
};
