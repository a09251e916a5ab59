// RRDBNet and SRVGGNetCompact as tfjs forward functions over PyTorch weights. The network is
// a plain function of the weight tensors (no layers model): the state dict's convolutions map
// one to one onto fused conv2d calls, and PyTorch's channel orders for pixel-(un)shuffle are
// reproduced with reshape + transpose, so outputs match a PyTorch implementation to float
// rounding. Everything works in NHWC on [0, 1] RGB, as Real-ESRGAN does.
import * as tf from '@tensorflow/tfjs';
import type { CommunityArchitecture, DetectedModel } from './architecture.js';

export interface CommunityNet {
  architecture: CommunityArchitecture;
  /** working bytes per input pixel, for the tiler's budget */
  bytesPerInputPixel: number;
  predict(x: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

/** PyTorch's pixel_unshuffle: output channel c·s² + i·s + j holds input pixel (s·y + i, s·x + j) of channel c. */
export function pixelUnshuffle(x: tf.Tensor4D, s: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return x.reshape([b, h / s, s, w / s, s, c]).transpose([0, 1, 3, 5, 2, 4]).reshape([b, h / s, w / s, c * s * s]);
}

/** PyTorch's pixel_shuffle, the inverse of the above. */
export function pixelShuffle(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [b, h, w, cr] = x.shape;
  const c = cr / (r * r);
  return x.reshape([b, h, w, c, r, r]).transpose([0, 1, 4, 2, 5, 3]).reshape([b, h * r, w * r, c]);
}

/** F.interpolate(mode='nearest') by a whole factor: each pixel repeated r×r times. */
function nearest(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  return tf.image.resizeNearestNeighbor(x, [h * r, w * r], false, false);
}

type Weights = Map<string, tf.Tensor>;

/** Uploads every tensor, conv kernels turned from PyTorch's [out, in, kh, kw] to tfjs's [kh, kw, in, out]. */
function uploadWeights(detected: DetectedModel, values: (source: string) => Float32Array, shapes: (source: string) => number[]): Weights {
  const weights: Weights = new Map();
  try {
    for (const [canonical, source] of detected.names) {
      const shape = shapes(source);
      const t = tf.tidy(() => {
        const raw = tf.tensor(values(source), shape, 'float32');
        return shape.length === 4 ? raw.transpose([2, 3, 1, 0]) : raw;
      });
      weights.set(canonical, t);
    }
  } catch (error) {
    for (const t of weights.values()) t.dispose();
    throw error;
  }
  return weights;
}

function convWith(weights: Weights) {
  return (x: tf.Tensor4D, name: string, activation: 'linear' | 'leakyrelu' | 'prelu' = 'linear', alpha?: tf.Tensor): tf.Tensor4D => tf.fused.conv2d({
    x,
    filter: weights.get(`${name}.weight`) as tf.Tensor4D,
    bias: weights.get(`${name}.bias`),
    strides: 1,
    pad: 'same',
    activation,
    leakyreluAlpha: 0.2,
    ...(alpha ? { preluActivationWeights: alpha } : {}),
  });
}

function rrdbForward(a: Extract<CommunityArchitecture, { type: 'rrdbnet' }>, weights: Weights): (x: tf.Tensor4D) => tf.Tensor4D {
  const conv = convWith(weights);
  const denseBlock = (x: tf.Tensor4D, prefix: string): tf.Tensor4D => {
    const maps: tf.Tensor4D[] = [x];
    for (let c = 1; c <= 4; c++) maps.push(conv(tf.concat(maps, 3), `${prefix}.conv${c}`, 'leakyrelu'));
    return conv(tf.concat(maps, 3), `${prefix}.conv5`).mul(0.2).add(x);
  };
  return (input) => tf.tidy(() => {
    const x = a.unshuffle > 1 ? pixelUnshuffle(input, a.unshuffle) : input;
    const feat = conv(x, 'conv_first');
    let trunk = feat;
    for (let b = 0; b < a.blocks; b++) {
      // one tidy per block: a 23-block trunk would otherwise hold every intermediate map at once
      const next = tf.tidy(() => {
        let h = trunk;
        for (let r = 1; r <= 3; r++) h = denseBlock(h, `body.${b}.rdb${r}`);
        return h.mul(0.2).add(trunk) as tf.Tensor4D;
      });
      if (trunk !== feat) trunk.dispose();
      trunk = next;
    }
    let h = feat.add(conv(trunk, 'conv_body')) as tf.Tensor4D;
    for (let u = 1; u <= a.upsamples; u++) h = conv(nearest(h, 2), `conv_up${u}`, 'leakyrelu');
    return conv(conv(h, 'conv_hr', 'leakyrelu'), 'conv_last');
  });
}

function srvggForward(a: Extract<CommunityArchitecture, { type: 'srvgg' }>, weights: Weights): (x: tf.Tensor4D) => tf.Tensor4D {
  const conv = convWith(weights);
  return (input) => tf.tidy(() => {
    let h = input;
    for (let i = 0; i <= a.convs; i++) h = conv(h, `body.${2 * i}`, 'prelu', weights.get(`body.${2 * i + 1}.weight`));
    const out = pixelShuffle(conv(h, `body.${2 * a.convs + 2}`), a.scale);
    return out.add(nearest(input, a.scale)) as tf.Tensor4D;
  });
}

/** Pads to a multiple of `m` (reflect, as Real-ESRGAN does), runs `f`, crops back to the input's size × scale. */
function padToMultiple(f: (x: tf.Tensor4D) => tf.Tensor4D, m: number, scale: number): (x: tf.Tensor4D) => tf.Tensor4D {
  if (m <= 1) return f;
  return (x) => tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const ph = (m - (h % m)) % m;
    const pw = (m - (w % m)) % m;
    if (!ph && !pw) return f(x);
    // reflect needs a pad smaller than the side; a 1-pixel side is edge-repeated instead
    const padded = h > ph && w > pw ? tf.mirrorPad(x, [[0, 0], [0, ph], [0, pw], [0, 0]], 'reflect') : tf.pad(x, [[0, 0], [0, ph], [0, pw], [0, 0]]);
    return f(padded).slice([0, 0, 0, 0], [n, h * scale, w * scale, c]);
  });
}

/** Builds the network the detection found, with weights read through `values` (float32). */
export function buildCommunityNet(detected: DetectedModel, values: (source: string) => Float32Array, shapes: (source: string) => number[]): CommunityNet {
  const a = detected.architecture;
  const weights = uploadWeights(detected, values, shapes);
  const forward = a.type === 'rrdbnet' ? padToMultiple(rrdbForward(a, weights), a.unshuffle, a.scale) : srvggForward(a, weights);
  // live float32 maps per input pixel: the trunk's dense-block concats at low resolution, then a
  // few full-width maps (RRDBNet) or the RGB output and its base (SRVGG) at the output resolution
  const lowRes = a.type === 'rrdbnet' ? 4 * (6 * a.features + 8 * a.growth) / a.unshuffle ** 2 : 4 * 3 * a.features;
  const highRes = 4 * 4 * (a.type === 'rrdbnet' ? a.features : a.outChannels) * a.scale ** 2;
  return {
    architecture: a,
    bytesPerInputPixel: Math.ceil(lowRes + highRes),
    predict: (x) => forward(x),
    dispose: () => {
      for (const t of weights.values()) t.dispose();
    },
  };
}
