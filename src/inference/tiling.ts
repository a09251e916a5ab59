// Runs a fully-convolutional image model (super-resolution, style transfer) over an image of any
// size in overlapping tiles. Each tile carries `overlap` pixels of context into its neighbours;
// the outermost quarter of that context is discarded (a conv net's output near a tile edge sees
// zero padding instead of real pixels) and the rest is cross-faded with a linear feather whose
// weights sum to one, so a model whose receptive radius fits in the discarded margin gives the
// same output tiled as whole, and any other model shows no visible seam.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../contract/errors.js';

export interface TileOptions {
  /** output size / input size (1 for style transfer) */
  scale: number;
  /** input tile edge in pixels; default: from `memoryBudgetBytes` */
  tile?: number;
  /** input pixels two neighbouring tiles share; default 32 (clamped to a quarter of the tile) */
  overlap?: number;
  /** what one tile may use, activations included; default 1 GiB */
  memoryBudgetBytes?: number;
  /** bytes of working memory per input pixel, a property of the model; default 64 ch × 6 live × 4 B × scale² */
  bytesPerInputPixel?: number;
  /** smallest tile the OOM fallback will try; default 32 */
  minTile?: number;
  signal?: AbortSignal;
  onTile?: (done: number, total: number) => void;
  /** called when an out-of-memory error made us halve the tile (for logs) */
  onTileShrink?: (from: number, to: number) => void;
}

// 1 GiB: the wasm heap may grow to 4 GiB, and at 256 MiB a 256² image through ESRGAN-medium
// (~6.6 kB per input pixel measured) was cut into four tiles, 2.6x the work of running it whole.
const DEFAULT_BUDGET = 1024 * 1024 * 1024;
const DEFAULT_OVERLAP = 32;

/** The bytes-per-pixel guess used when the model does not say: 64 channels, 6 live maps, float32. */
export function defaultBytesPerInputPixel(scale: number): number {
  return 64 * 6 * 4 * Math.max(1, scale * scale);
}

/** The largest square tile (multiple of 8, at least 32) whose working set fits the budget. */
export function tileSizeForBudget(budgetBytes: number, bytesPerInputPixel: number): number {
  const side = Math.floor(Math.sqrt(Math.max(1, budgetBytes) / Math.max(1, bytesPerInputPixel)));
  return Math.max(32, Math.floor(side / 8) * 8);
}

/** Tile origins along one axis: evenly stepped, the last one flush with the far edge. */
export function tileStarts(length: number, tile: number, overlap: number): number[] {
  if (tile >= length) return [0];
  const stride = Math.max(1, tile - overlap);
  const starts: number[] = [];
  for (let s = 0; s + tile < length; s += stride) starts.push(s);
  starts.push(length - tile);
  return starts;
}

/**
 * Feather weights along one axis of one tile, per output pixel. Interior edges (those with a
 * neighbour) ramp from 0 to 1: the first `margin` input pixels get 0, the next `ramp` rise
 * linearly. Image borders keep weight 1.
 */
function axisWeights(start: number, tile: number, length: number, scale: number, margin: number, ramp: number): Float32Array {
  const outTile = tile * scale;
  const w = new Float32Array(outTile);
  const leftInterior = start > 0;
  const rightInterior = start + tile < length;
  for (let o = 0; o < outTile; o++) {
    const centre = (o + 0.5) / scale; // in input pixels from the tile's left edge
    let v = 1;
    if (leftInterior) v = Math.min(v, rampAt(centre, margin, ramp));
    if (rightInterior) v = Math.min(v, rampAt(tile - centre, margin, ramp));
    w[o] = v;
  }
  return w;
}

function rampAt(distance: number, margin: number, ramp: number): number {
  if (ramp <= 0) return distance >= margin ? 1 : 0;
  return Math.min(1, Math.max(0, (distance - margin) / ramp));
}

export function isOutOfMemory(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'OUT_OF_MEMORY';
  const message = error instanceof Error ? error.message : String(error);
  return /out of memory|\bOOM\b|Failed to allocate|Cannot allocate|Array buffer allocation failed|Invalid typed array length|RangeError: .*memory/i.test(message);
}

/**
 * What maps a [1, h, w, C] tile to [1, h·scale, w·scale, C']: a synchronous tfjs function (it may
 * allocate freely: each call runs inside tf.tidy), or an asynchronous one (ONNX Runtime) that
 * returns a tensor the tiler disposes and frees everything else itself.
 */
export type TileFn = ((tile: tf.Tensor4D) => tf.Tensor4D) | { runAsync: (tile: tf.Tensor4D) => Promise<tf.Tensor4D> };

async function applyTileFn(fn: TileFn, input: tf.Tensor4D): Promise<tf.Tensor4D> {
  return typeof fn === 'function' ? tf.tidy(() => fn(input)) : fn.runAsync(input);
}

/** Runs `fn` on a tile made by `make` (freed afterwards) and checks the result's size. */
async function runOne(fn: TileFn, make: () => tf.Tensor4D, h: number, w: number, scale: number): Promise<tf.Tensor4D> {
  const input = tf.tidy(make);
  let y: tf.Tensor4D;
  try {
    y = await applyTileFn(fn, input);
  } finally {
    input.dispose();
  }
  try {
    checkShape(y, h, w, scale);
  } catch (error) {
    y.dispose();
    throw error;
  }
  return y;
}

/** `image` is [H, W, C]; returns [H·scale, W·scale, C'] through `fn`, tile by tile; the caller disposes it. */
export async function runTiled(
  image: tf.Tensor3D,
  fn: TileFn,
  opts: TileOptions,
): Promise<tf.Tensor3D> {
  const scale = opts.scale;
  if (!Number.isInteger(scale) || scale < 1) throw new AppError('INVALID_ARGUMENT', `tiling: scale must be a whole number ≥ 1, got ${scale}`);
  const minTile = opts.minTile ?? 32;
  let tile = opts.tile ?? tileSizeForBudget(opts.memoryBudgetBytes ?? DEFAULT_BUDGET, opts.bytesPerInputPixel ?? defaultBytesPerInputPixel(scale));
  if (!Number.isInteger(tile) || tile < 8) throw new AppError('INVALID_ARGUMENT', `tiling: tile must be a whole number ≥ 8, got ${tile}`);
  for (;;) {
    try {
      return await runWithTile(image, fn, opts, tile);
    } catch (error) {
      if (!isOutOfMemory(error)) throw error;
      const [h, w] = image.shape;
      const effective = Math.min(tile, Math.max(h, w));
      const smaller = Math.floor(effective / 2);
      if (smaller < minTile) {
        throw new AppError('OUT_OF_MEMORY', `out of memory even with ${effective}px tiles — close other programs or use a smaller model`, { cause: error });
      }
      opts.onTileShrink?.(effective, smaller);
      tile = smaller;
    }
  }
}

async function runWithTile(image: tf.Tensor3D, fn: TileFn, opts: TileOptions, tile: number): Promise<tf.Tensor3D> {
  const [height, width] = image.shape;
  const scale = opts.scale;
  // Per axis: an axis covered by one tile has no neighbours, so its tile size must not shrink the other's overlap.
  const axis = (length: number) => {
    let tileLen = Math.min(tile, length);
    const overlap = Math.min(opts.overlap ?? DEFAULT_OVERLAP, Math.floor(tileLen / 2));
    if (tileLen < length) {
      // `tile` is a ceiling: use as few tiles as it allows, then share the length evenly between
      // them. A 256 px side with 208 px tiles was two 208 px tiles (1.6x the pixels through the
      // model); two 144 px tiles do the same job. Never so small that the overlap would shrink.
      const count = Math.ceil((length - overlap) / (tileLen - overlap));
      const even = Math.ceil((length + (count - 1) * overlap) / count);
      if (even >= 2 * overlap) tileLen = even;
    }
    const margin = Math.floor(overlap / 4);
    return { tileLen, overlap, margin, ramp: overlap - 2 * margin };
  };
  const ay = axis(height);
  const ax = axis(width);
  const tileH = ay.tileLen;
  const tileW = ax.tileLen;
  const ys = tileStarts(height, tileH, ay.overlap);
  const xs = tileStarts(width, tileW, ax.overlap);
  const total = ys.length * xs.length;
  const outH = height * scale;
  const outW = width * scale;

  // A single tile is the whole image: no blending, output is exactly the model's.
  if (total === 1) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new AppError('CANCELLED', 'cancelled');
    const y = await runOne(fn, () => image.expandDims(0) as tf.Tensor4D, tileH, tileW, scale);
    const out = tf.tidy(() => y.squeeze([0]) as tf.Tensor3D);
    y.dispose();
    opts.onTile?.(1, 1);
    return out;
  }

  let channels = 0;
  let acc: Float32Array | null = null;
  const weightSum = new Float32Array(outH * outW);
  let done = 0;
  for (const y0 of ys) {
    const wy = axisWeights(y0, tileH, height, scale, ay.margin, ay.ramp);
    for (const x0 of xs) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new AppError('CANCELLED', 'cancelled');
      const wx = axisWeights(x0, tileW, width, scale, ax.margin, ax.ramp);
      const result = await runOne(fn, () => tf.slice(image, [y0, x0, 0], [tileH, tileW, -1]).expandDims(0) as tf.Tensor4D, tileH, tileW, scale);
      let values: Float32Array;
      try {
        values = (await result.data()) as Float32Array;
      } finally {
        result.dispose();
      }
      if (acc === null) {
        channels = result.shape[3];
        acc = allocate(outH * outW * channels);
      }
      accumulate(acc, weightSum, values, wy, wx, y0 * scale, x0 * scale, outW, channels);
      done++;
      opts.onTile?.(done, total);
    }
  }
  const out = acc!;
  for (let p = 0, i = 0; p < weightSum.length; p++) {
    const inv = weightSum[p]! > 0 ? 1 / weightSum[p]! : 0;
    for (let c = 0; c < channels; c++, i++) out[i] = out[i]! * inv;
  }
  return tf.tensor3d(out, [outH, outW, channels]);
}

function allocate(n: number): Float32Array {
  try {
    return new Float32Array(n);
  } catch (error) {
    throw new AppError('OUT_OF_MEMORY', `the upscaled image needs ${Math.round((n * 4) / 2 ** 20)} MiB — use a smaller input or scale`, { cause: error });
  }
}

function checkShape(y: tf.Tensor, h: number, w: number, scale: number): void {
  if (y.rank !== 4 || y.shape[1] !== h * scale || y.shape[2] !== w * scale) {
    throw new AppError('MODEL_INVALID', `the model turned a ${h}×${w} tile into [${y.shape.join(', ')}]; expected [1, ${h * scale}, ${w * scale}, C] — check the model's scale`);
  }
}

function accumulate(acc: Float32Array, weightSum: Float32Array, values: Float32Array, wy: Float32Array, wx: Float32Array, oy: number, ox: number, outW: number, channels: number): void {
  const th = wy.length;
  const tw = wx.length;
  for (let y = 0; y < th; y++) {
    const wRow = wy[y]!;
    if (wRow === 0) continue;
    const rowBase = (oy + y) * outW + ox;
    for (let x = 0; x < tw; x++) {
      const weight = wRow * wx[x]!;
      if (weight === 0) continue;
      const p = rowBase + x;
      weightSum[p] = weightSum[p]! + weight;
      const src = (y * tw + x) * channels;
      const dst = p * channels;
      for (let c = 0; c < channels; c++) acc[dst + c] = acc[dst + c]! + weight * values[src + c]!;
    }
  }
}
