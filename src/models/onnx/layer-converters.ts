// One converter per tfjs layer class our generators (and the shipped UpscalerJS ESRGANs) use:
// each turns the layer, applied to already-converted inputs, into ONNX nodes. Values inside the
// exported graph are NCHW (rank 4) or [N, features] (rank 2); tfjs is NHWC, so kernels are
// transposed here and channel axes become axis 1. A layer class or setting without a converter
// is refused by name, so an export never writes a graph that computes something else.
import type * as tf from '@tensorflow/tfjs';
import type { OnnxGraphBuilder } from './onnx-builder.js';

/** A value in the ONNX graph: its name, rank (4 = NCHW, 2 = [N, features]) and channel count. */
export interface Val {
  name: string;
  rank: 2 | 4;
  channels: number;
}

type Layer = tf.layers.Layer;
type Config = Record<string, unknown>;
type Converter = (b: OnnxGraphBuilder, layer: Layer, inputs: Val[], config: Config) => Val;

export class UnsupportedLayerError extends Error {}

function unsupported(layer: Layer, why: string): never {
  throw new UnsupportedLayerError(`layer ${layer.name} (${layer.getClassName()}): ${why}`);
}

/** The layer's weight whose name ends in `/suffix` (kernel, bias, gamma, moving_mean…), or null. */
function weight(layer: Layer, suffix: string): { data: Float32Array; shape: number[] } | null {
  const w = layer.weights.find((v) => (v.originalName ?? v.name).endsWith(`/${suffix}`));
  if (!w) return null;
  return { data: w.read().dataSync() as Float32Array, shape: [...w.shape] as number[] };
}

function requireWeight(layer: Layer, suffix: string): { data: Float32Array; shape: number[] } {
  return weight(layer, suffix) ?? unsupported(layer, `has no ${suffix} weight`);
}

/** Permutes a rank-4 array: out[dims in `perm` order]. */
export function permute4(data: Float32Array, shape: number[], perm: [number, number, number, number]): { data: Float32Array; shape: number[] } {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = [shape[1]! * shape[2]! * shape[3]!, shape[2]! * shape[3]!, shape[3]!, 1];
  const s = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(data.length);
  let o = 0;
  for (let a = 0; a < outShape[0]!; a++) for (let b = 0; b < outShape[1]!; b++) for (let c = 0; c < outShape[2]!; c++) {
    const base = a * s[0]! + b * s[1]! + c * s[2]!;
    for (let d = 0; d < outShape[3]!; d++) out[o++] = data[base + d * s[3]!]!;
  }
  return { data: out, shape: outShape };
}

function pair(v: unknown, fallback: number): [number, number] {
  if (Array.isArray(v)) return [Number(v[0] ?? fallback), Number(v[1] ?? v[0] ?? fallback)];
  if (typeof v === 'number') return [v, v];
  return [fallback, fallback];
}

function channelsLast(layer: Layer, config: Config): void {
  if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') unsupported(layer, `data format ${String(config.dataFormat)} (only channels-last models are converted)`);
}

/** The activation a layer's `activation` setting (or an Activation layer) names, applied to `x`. */
export function activation(b: OnnxGraphBuilder, layer: Layer, x: Val, name: unknown): Val {
  const out = (op: string, attrs = {}) => ({ ...x, name: b.node(op, [x.name], `${layer.name}_${op.toLowerCase()}`, attrs) });
  switch (name ?? 'linear') {
    case 'linear': return x;
    case 'relu': return out('Relu');
    case 'tanh': return out('Tanh');
    case 'sigmoid': return out('Sigmoid');
    case 'elu': return out('Elu', { alpha: { float: 1 } });
    case 'selu': return out('Selu');
    case 'softplus': return out('Softplus');
    default: return unsupported(layer, `activation "${String(name)}"`);
  }
}

function bias(b: OnnxGraphBuilder, layer: Layer, config: Config): string[] {
  if (config.useBias === false) return [];
  const w = requireWeight(layer, 'bias');
  return [b.floats(`${layer.name}.bias`, w.data, [w.shape[0]!])];
}

const dense: Converter = (b, layer, [x], config) => {
  if (x!.rank !== 2) unsupported(layer, 'Dense on an image tensor');
  const kernel = requireWeight(layer, 'kernel');
  const w = b.floats(`${layer.name}.kernel`, kernel.data, kernel.shape);
  const y = b.node('Gemm', [x!.name, w, ...bias(b, layer, config)], layer.name);
  return activation(b, layer, { name: y, rank: 2, channels: kernel.shape[1]! }, config.activation);
};

/** TF 'same' padding for a stride-1 convolution: the extra pixel of an even kernel goes at the end. */
function samePads(kernel: [number, number], dilation: [number, number]): number[] {
  const total = kernel.map((k, i) => (k - 1) * dilation[i]!);
  const begin = total.map((t) => Math.floor(t / 2));
  return [begin[0]!, begin[1]!, total[0]! - begin[0]!, total[1]! - begin[1]!];
}

const conv2d: Converter = (b, layer, [x], config) => {
  channelsLast(layer, config);
  const kernel = requireWeight(layer, 'kernel'); // [kh, kw, in, out]
  const w = permute4(kernel.data, kernel.shape, [3, 2, 0, 1]);
  const k = pair(config.kernelSize, 1);
  const strides = pair(config.strides, 1);
  const dilations = pair(config.dilationRate, 1);
  const attrs: Record<string, number[] | string> = { kernel_shape: k, strides, dilations };
  if (config.padding === 'same') {
    // stride 1: fixed pads; larger strides depend on the input size, which SAME_UPPER computes as TF does
    if (strides[0] === 1 && strides[1] === 1) attrs.pads = samePads(k, dilations);
    else attrs.auto_pad = 'SAME_UPPER';
  } else if (config.padding === 'valid') attrs.pads = [0, 0, 0, 0];
  else unsupported(layer, `padding ${String(config.padding)}`);
  const y = b.node('Conv', [x!.name, b.floats(`${layer.name}.kernel`, w.data, w.shape), ...bias(b, layer, config)], layer.name, attrs);
  return activation(b, layer, { name: y, rank: 4, channels: kernel.shape[3]! }, config.activation);
};

const conv2dTranspose: Converter = (b, layer, [x], config) => {
  channelsLast(layer, config);
  const kernel = requireWeight(layer, 'kernel'); // [kh, kw, out, in]
  const w = permute4(kernel.data, kernel.shape, [3, 2, 0, 1]); // ONNX: [in, out, kh, kw]
  const k = pair(config.kernelSize, 1);
  const strides = pair(config.strides, 1);
  if (pair(config.dilationRate, 1).some((d) => d !== 1)) unsupported(layer, 'dilated transposed convolution');
  let pads = [0, 0, 0, 0];
  if (config.padding === 'same') {
    // TF's 'same' transposed conv gives in·stride: it crops k − s pixels, the smaller half first
    const total = k.map((kk, i) => kk - strides[i]!);
    if (total.some((t) => t < 0)) unsupported(layer, "'same' padding with a kernel smaller than its stride");
    const begin = total.map((t) => Math.floor(t / 2));
    pads = [begin[0]!, begin[1]!, total[0]! - begin[0]!, total[1]! - begin[1]!];
  } else if (config.padding !== 'valid') unsupported(layer, `padding ${String(config.padding)}`);
  else if (k.some((kk, i) => kk < strides[i]!)) unsupported(layer, "'valid' padding with a kernel smaller than its stride");
  const y = b.node('ConvTranspose', [x!.name, b.floats(`${layer.name}.kernel`, w.data, w.shape), ...bias(b, layer, config)], layer.name, { kernel_shape: k, strides, pads });
  return activation(b, layer, { name: y, rank: 4, channels: kernel.shape[2]! }, config.activation);
};

/** Inference batch norm folded into one multiply and one add per channel (computed in float64). */
const batchNorm: Converter = (b, layer, [x], config) => {
  const axis = Number(config.axis ?? -1);
  if (axis !== -1 && axis !== (x!.rank === 4 ? 3 : 1)) unsupported(layer, `normalisation over axis ${axis}`);
  const mean = requireWeight(layer, 'moving_mean').data;
  const variance = requireWeight(layer, 'moving_variance').data;
  const gamma = config.scale === false ? null : requireWeight(layer, 'gamma').data;
  const beta = config.center === false ? null : requireWeight(layer, 'beta').data;
  const eps = Number(config.epsilon ?? 1e-3);
  const c = mean.length;
  const mul = new Float32Array(c);
  const add = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    const a = (gamma ? gamma[i]! : 1) / Math.sqrt(variance[i]! + eps);
    mul[i] = a;
    add[i] = (beta ? beta[i]! : 0) - mean[i]! * a;
  }
  const dims = x!.rank === 4 ? [c, 1, 1] : [c];
  const scaled = b.node('Mul', [x!.name, b.floats(`${layer.name}.scale`, mul, dims)], `${layer.name}_scale`);
  return { ...x!, name: b.node('Add', [scaled, b.floats(`${layer.name}.shift`, add, dims)], layer.name) };
};

const reluLayer: Converter = (b, layer, [x], config) => {
  if (config.threshold && config.threshold !== 0) unsupported(layer, 'a ReLU threshold');
  if (config.maxValue == null) return activation(b, layer, x!, 'relu');
  return { ...x!, name: b.node('Clip', [x!.name, b.scalar(0), b.scalar(Number(config.maxValue))], layer.name) };
};

const leakyRelu: Converter = (b, layer, [x], config) =>
  ({ ...x!, name: b.node('LeakyRelu', [x!.name], layer.name, { alpha: { float: Number(config.alpha ?? 0.3) } }) });

const reshape: Converter = (b, layer, [x], config) => {
  const target = (config.targetShape as number[] | undefined) ?? [];
  if (x!.rank !== 2 || target.length !== 3) unsupported(layer, `reshape of a rank-${x!.rank} value to [${target.join(', ')}] (only features → an NHWC image is converted)`);
  const [h, w, c] = target as [number, number, number];
  const nhwc = b.node('Reshape', [x!.name, b.ints('shape', [-1, h, w, c])], `${layer.name}_nhwc`);
  return { name: b.node('Transpose', [nhwc], layer.name, { perm: [0, 3, 1, 2] }), rank: 4, channels: c };
};

const concatenate: Converter = (b, layer, inputs, config) => {
  const rank = inputs[0]!.rank;
  const axis = Number(config.axis ?? -1);
  if (axis !== -1 && axis !== rank - 1) unsupported(layer, `concatenation along axis ${axis} (only channels are converted)`);
  return { name: b.node('Concat', inputs.map((v) => v.name), layer.name, { axis: 1 }), rank, channels: inputs.reduce((n, v) => n + v.channels, 0) };
};

function chained(op: 'Add' | 'Mul'): Converter {
  return (b, layer, inputs) => {
    let acc = inputs[0]!.name;
    for (const [i, v] of inputs.slice(1).entries()) acc = b.node(op, [acc, v.name], i === inputs.length - 2 ? layer.name : `${layer.name}_${i}`);
    return { ...inputs[0]!, name: acc };
  };
}

const scaleBy = (factor: (config: Config) => number): Converter => (b, layer, [x], config) =>
  ({ ...x!, name: b.node('Mul', [x!.name, b.scalar(factor(config))], layer.name) });

/** TF's depth_to_space order (channel (i·r + j)·C + c) is ONNX DepthToSpace's DCR mode. */
const depthToSpace = (factor: (config: Config, layer: Layer) => number): Converter => (b, layer, [x], config) => {
  const r = factor(config, layer);
  return { name: b.node('DepthToSpace', [x!.name], layer.name, { blocksize: r, mode: 'DCR' }), rank: 4, channels: x!.channels / (r * r) };
};

function resize(b: OnnxGraphBuilder, layer: Layer, x: Val, factors: [number, number], mode: 'nearest' | 'linear', transform: string): Val {
  const scales = b.floats(`${layer.name}.scales`, Float32Array.of(1, 1, factors[0], factors[1]), [4]);
  const attrs: Record<string, string> = { mode, coordinate_transformation_mode: transform };
  if (mode === 'nearest') attrs.nearest_mode = 'floor';
  return { ...x, name: b.node('Resize', [x.name, '', scales], layer.name, attrs) };
}

const upSampling2d: Converter = (b, layer, [x], config) => {
  channelsLast(layer, config);
  const size = pair(config.size, 2);
  const interpolation = config.interpolation ?? 'nearest';
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') unsupported(layer, `interpolation ${String(interpolation)}`);
  // tfjs's resizeBilinear without half-pixel centres maps output x to input x / scale: 'asymmetric'
  return resize(b, layer, x!, size, interpolation === 'nearest' ? 'nearest' : 'linear', 'asymmetric');
};

function pad(b: OnnxGraphBuilder, layer: Layer, x: Val, [top, bottom, left, right]: number[], mode: 'constant' | 'reflect'): Val {
  const pads = b.ints('pads', [0, 0, top!, left!, 0, 0, bottom!, right!]);
  return { ...x, name: b.node('Pad', [x.name, pads], layer.name, { mode }) };
}

const zeroPadding2d: Converter = (b, layer, [x], config) => {
  channelsLast(layer, config);
  const p = config.padding;
  const rows = Array.isArray(p) ? (Array.isArray(p[0]) ? p[0] : [p[0], p[0]]) : [p, p];
  const cols = Array.isArray(p) ? (Array.isArray(p[1]) ? p[1] : [p[1], p[1]]) : [p, p];
  return pad(b, layer, x!, [...rows, ...cols].map(Number), 'constant');
};

const instanceNorm: Converter = (b, layer, [x], config) => {
  const c = x!.channels;
  const scale = b.floats(`${layer.name}.ones`, new Float32Array(c).fill(1), [c]);
  const shift = b.floats(`${layer.name}.zeros`, new Float32Array(c), [c]);
  return { ...x!, name: b.node('InstanceNormalization', [x!.name, scale, shift], layer.name, { epsilon: { float: Number(config.epsilon ?? 1e-5) } }) };
};

/** By tfjs class name: the stock layers and the custom ones registered in src/models (and pretrained). */
export const CONVERTERS: Readonly<Record<string, Converter>> = {
  Dense: dense,
  Conv2D: conv2d,
  Conv2DTranspose: conv2dTranspose,
  BatchNormalization: batchNorm,
  ReLU: reluLayer,
  LeakyReLU: leakyRelu,
  Activation: (b, layer, [x], config) => activation(b, layer, x!, config.activation),
  Reshape: reshape,
  Concatenate: concatenate,
  Add: chained('Add'),
  Multiply: chained('Mul'),
  UpSampling2D: upSampling2d,
  ZeroPadding2D: zeroPadding2d,
  GanStudioScaleBy: scaleBy((c) => Number(c.scale)),
  MultiplyBeta: scaleBy(() => 0.2),
  GanStudioPixelShuffle: depthToSpace((c) => Number(c.factor)),
  PixelShuffle2x: depthToSpace(() => 2),
  PixelShuffle3x: depthToSpace(() => 3),
  PixelShuffle4x: depthToSpace(() => 4),
  PixelShuffle8x: depthToSpace(() => 8),
  GanStudioUpsampleBilinear: (b, layer, [x], c) => resize(b, layer, x!, [Number(c.factor), Number(c.factor)], 'linear', 'half_pixel'),
  GanStudioUpsampleNearest2d: (b, layer, [x]) => resize(b, layer, x!, [2, 2], 'nearest', 'asymmetric'),
  GanStudioReflectionPad2d: (b, layer, [x], c) => pad(b, layer, x!, Array(4).fill(Number(c.pad)), 'reflect'),
  GanStudioInstanceNorm: instanceNorm,
};
