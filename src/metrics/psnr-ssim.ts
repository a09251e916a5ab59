// PSNR and SSIM the way super-resolution papers report them: on the luma (Y) channel of
// ITU-R BT.601 YCbCr (MATLAB's rgb2ycbcr, 16–235), with `crop` pixels (the scale) removed from
// every border, SSIM with an 11×11 Gaussian window (σ = 1.5), K1 = 0.01, K2 = 0.03, L = 255,
// valid positions only (Wang et al. 2004). Computed in float64 on the CPU: metrics must not
// depend on the tfjs backend's precision.
import type * as tf from '@tensorflow/tfjs';
import { AppError } from '../contract/errors.js';
import type { RawImage } from '../data/image-io.js';

/** uint8-range pixels: a RawImage, or a tensor [H, W, C] / [1, H, W, C] with values in 0–255. */
export type MetricImage = RawImage | tf.Tensor3D | tf.Tensor4D;

export interface MetricOptions {
  /** pixels removed from each border before measuring (the SR convention: the scale) */
  crop?: number;
}

interface Plane {
  y: Float64Array;
  width: number;
  height: number;
}

function isRaw(img: MetricImage): img is RawImage {
  return (img as RawImage).data !== undefined && (img as tf.Tensor).rank === undefined;
}

/** Luma plane (BT.601, 16–235 for RGB; gray stays as is), cropped. */
export function lumaPlane(img: MetricImage, crop = 0): Plane {
  let data: ArrayLike<number>;
  let width: number;
  let height: number;
  let channels: number;
  if (isRaw(img)) {
    ({ data, width, height, channels } = img);
  } else {
    const shape = img.shape.length === 4 ? img.shape.slice(1) : img.shape;
    if (img.shape.length === 4 && img.shape[0] !== 1) throw new AppError('INVALID_ARGUMENT', `metrics take one image, got a batch of ${img.shape[0]}`);
    [height, width, channels] = shape as [number, number, number];
    data = img.dataSync();
  }
  const w = width - 2 * crop;
  const h = height - 2 * crop;
  if (w <= 0 || h <= 0) throw new AppError('INVALID_ARGUMENT', `a ${width}×${height} image is too small to crop ${crop} pixels from each border`);
  const y = new Float64Array(w * h);
  const color = channels >= 3;
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const p = ((row + crop) * width + col + crop) * channels;
      y[row * w + col] = color
        ? 16 + (65.481 * data[p]! + 128.553 * data[p + 1]! + 24.966 * data[p + 2]!) / 255
        : data[p]!;
    }
  }
  return { y, width: w, height: h };
}

function planes(a: MetricImage, b: MetricImage, options: MetricOptions): [Plane, Plane] {
  const pa = lumaPlane(a, options.crop ?? 0);
  const pb = lumaPlane(b, options.crop ?? 0);
  if (pa.width !== pb.width || pa.height !== pb.height) {
    throw new AppError('INVALID_ARGUMENT', `cannot compare a ${pa.width}×${pa.height} image with a ${pb.width}×${pb.height} one (after cropping)`);
  }
  return [pa, pb];
}

/** PSNR in dB on Y (peak 255); Infinity for identical images. */
export function psnrY(a: MetricImage, b: MetricImage, options: MetricOptions = {}): number {
  const [pa, pb] = planes(a, b, options);
  let sum = 0;
  for (let i = 0; i < pa.y.length; i++) {
    const d = pa.y[i]! - pb.y[i]!;
    sum += d * d;
  }
  const mse = sum / pa.y.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

const WINDOW = 11;
const SIGMA = 1.5;

function gaussian(): Float64Array {
  const g = new Float64Array(WINDOW);
  const half = (WINDOW - 1) / 2;
  let total = 0;
  for (let i = 0; i < WINDOW; i++) {
    g[i] = Math.exp(-((i - half) ** 2) / (2 * SIGMA * SIGMA));
    total += g[i]!;
  }
  for (let i = 0; i < WINDOW; i++) g[i]! /= total;
  return g;
}

/** Separable Gaussian filter, valid region only: (w-10)×(h-10). */
function filterValid(src: Float64Array, width: number, height: number, g: Float64Array): Float64Array {
  const ow = width - WINDOW + 1;
  const oh = height - WINDOW + 1;
  const tmp = new Float64Array(ow * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += g[k]! * src[y * width + x + k]!;
      tmp[y * ow + x] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += g[k]! * tmp[(y + k) * ow + x]!;
      out[y * ow + x] = s;
    }
  }
  return out;
}

/** Mean SSIM on Y; 1 for identical images. */
export function ssimY(a: MetricImage, b: MetricImage, options: MetricOptions = {}): number {
  const [pa, pb] = planes(a, b, options);
  const { width, height } = pa;
  if (width < WINDOW || height < WINDOW) throw new AppError('INVALID_ARGUMENT', `SSIM needs at least ${WINDOW}×${WINDOW} pixels after cropping, got ${width}×${height}`);
  const g = gaussian();
  const n = width * height;
  const aa = new Float64Array(n);
  const bb = new Float64Array(n);
  const ab = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    aa[i] = pa.y[i]! * pa.y[i]!;
    bb[i] = pb.y[i]! * pb.y[i]!;
    ab[i] = pa.y[i]! * pb.y[i]!;
  }
  const muA = filterValid(pa.y, width, height, g);
  const muB = filterValid(pb.y, width, height, g);
  const sAA = filterValid(aa, width, height, g);
  const sBB = filterValid(bb, width, height, g);
  const sAB = filterValid(ab, width, height, g);
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  for (let i = 0; i < muA.length; i++) {
    const ma = muA[i]!;
    const mb = muB[i]!;
    const va = sAA[i]! - ma * ma;
    const vb = sBB[i]! - mb * mb;
    const cov = sAB[i]! - ma * mb;
    total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
  }
  return total / muA.length;
}
