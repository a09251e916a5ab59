// Depthwise conv gradients for the wasm backend (both missing in 4.22). None of the shipped GAN
// architectures uses depthwise convs, but user-built models (MobileNet-style discriminators) do,
// and without these kernels they fail at the first training step.
//
// Both reuse the tricks of the dense conv kernels with the depthwise forward kernel as the engine:
// - filter grad: fold the batch into the channels (x as [1,H,W,N*C], dy as the filter
//   [OH,OW,N*C,M], dilation = stride), then sum the N partial filters;
// - input grad: the sub-pixel phase decomposition, with the phases as channel multiplier.
import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { cropDy, interleavePhases, phaseFilter, planAxis } from './conv2d-backprop-input.js';
import { withScratch } from './kernel-utils.js';

type Shape4 = [number, number, number, number];

export function depthwiseBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: unknown;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputs.x.shape as Shape4,
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const [n, inH, inW, c] = inputs.x.shape as Shape4;
  const [kh, kw, , m] = filterShape;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { outHeight: oh, outWidth: ow, padInfo } = info;

  return withScratch(backend, (s) => {
    const xT = s.reshape(s.transpose(inputs.x, [1, 2, 0, 3]), [1, inH, inW, n * c]);
    const dyT = s.reshape(s.transpose(inputs.dy, [1, 2, 0, 3]), [oh, ow, n * c, m]);
    const bottom = Math.max(0, (oh - 1) * sh + (kh - 1) * dh + 1 - inH - padInfo.top);
    const right = Math.max(0, (ow - 1) * sw + (kw - 1) * dw + 1 - inW - padInfo.left);
    let out = s.run(
      'DepthwiseConv2dNative',
      { x: xT, filter: dyT },
      {
        strides: [dh, dw],
        dilations: [sh, sw],
        pad: [
          [0, 0],
          [padInfo.top, bottom],
          [padInfo.left, right],
          [0, 0],
        ],
      },
    ); // [1, KH', KW', N*C*M]
    if (out.shape[1] !== kh || out.shape[2] !== kw) {
      out = s.slice(out, [0, 0, 0, 0], [1, kh, kw, n * c * m]);
    }
    out = s.reshape(out, [kh, kw, n, c * m]);
    out = s.run('Sum', { x: out }, { axis: [2], keepDims: false });
    return s.reshape(out, [kh, kw, c, m]);
  });
}

export function depthwiseBackpropInputWasm(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: unknown;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    inputs.filter.shape as Shape4,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const [n, inH, inW, c] = inputShape;
  const m = inputs.filter.shape[3]!;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, padInfo } = info;
  if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) {
    throw new Error('DepthwiseConv2dNativeBackpropInput: strides and dilations cannot both exceed 1');
  }
  const ph = planAxis(kh, sh, padInfo.top, inH, info.outHeight, dh);
  const pw = planAxis(kw, sw, padInfo.left, inW, info.outWidth, dw);
  const phases = sh * sw;

  return withScratch(backend, (s) => {
    const dy = cropDy(s, inputs.dy, ph, pw);
    const filter = phaseFilter(s, inputs.filter, ph.taps, pw.taps, sh, sw, true);
    let out = s.run(
      'DepthwiseConv2dNative',
      { x: dy, filter },
      {
        strides: [1, 1],
        dilations: [sh === 1 ? dh : 1, sw === 1 ? dw : 1],
        pad: [
          [0, 0],
          [Math.max(0, ph.padLo), Math.max(0, ph.padHi)],
          [Math.max(0, pw.padLo), Math.max(0, pw.padHi)],
          [0, 0],
        ],
      },
    ); // [N, QH, QW, C*M*phases], channels ordered (c, m, phase)
    const [, qh, qw] = out.shape as Shape4;
    if (m > 1 || phases > 1) {
      // phase-major channels for the interleave, multiplier last so it can be summed away
      out = s.transpose(s.reshape(out, [n, qh, qw, c, m, phases]), [0, 1, 2, 5, 3, 4]);
      if (m > 1) out = s.run('Sum', { x: out }, { axis: [5], keepDims: false });
      out = s.reshape(out, [n, qh, qw, phases * c]);
    }
    return interleavePhases(s, out, sh, sw, ph, pw, inH, inW);
  });
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilterWasm as unknown as KernelFunc,
};

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInputWasm as unknown as KernelFunc,
};
