// Sliced Wasserstein distance between two image sets, as in the Progressive GAN paper
// (Karras et al. 2018, §5 and its metrics/sliced_wasserstein.py): each image becomes a Laplacian
// pyramid; from every level, random 7×7 neighbourhoods are taken as descriptors; descriptors are
// normalised per channel within each set; the distance between the two descriptor clouds is
// estimated along random unit directions by comparing the sorted projections (the 1-D Wasserstein
// distance has that closed form). Lower is better; identical sets give 0.
//
// Determinism and symmetry: patch positions depend only on (seed, level, image index) and
// directions only on (seed, level), so swapping the sets gives the same number, and equal sets
// give exactly 0. Sets of different sizes are compared at common quantiles.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../contract/errors.js';
import { defaultPyramidLevels, laplacianPyramid } from './laplacian-pyramid.js';
import { mulberry32 } from '../common/prng.js';

export interface SwdOptions {
  /** seeds patch positions and projection directions (default 0) */
  seed?: number;
  /** side of the square neighbourhoods (default 7, as in the paper) */
  patchSize?: number;
  /** neighbourhoods per image and level (default 128) */
  patchesPerImage?: number;
  /** pyramid levels (default: one per halving down to 16 px) */
  levels?: number;
  /** random directions per level (default 512 = the paper's 128 repeats × 4) */
  projections?: number;
  /** images per pyramid batch, bounds memory on large sets (default 32) */
  chunk?: number;
}


function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h;
}

function validate(a: tf.Tensor4D, b: tf.Tensor4D): void {
  if (a.shape[3] !== b.shape[3]) {
    throw new AppError('INVALID_ARGUMENT', `SWD needs the same channel count in both sets (got ${a.shape[3]} and ${b.shape[3]}); convert one set to RGB or gray first`);
  }
  if (a.shape[1] !== b.shape[1] || a.shape[2] !== b.shape[2]) {
    throw new AppError('INVALID_ARGUMENT', `SWD needs images of one size in both sets (got ${a.shape[1]}×${a.shape[2]} and ${b.shape[1]}×${b.shape[2]}); resize them first`);
  }
  if (a.shape[0] < 1 || b.shape[0] < 1) throw new AppError('INVALID_ARGUMENT', 'SWD needs at least one image in each set');
}

interface Resolved {
  seed: number;
  patch: number;
  perImage: number;
  levels: number;
  projections: number;
  chunk: number;
}

function resolve(a: tf.Tensor4D, options: SwdOptions): Resolved {
  const [, h, w] = a.shape;
  const patch = options.patchSize ?? 7;
  if (Math.min(h, w) < patch) {
    throw new AppError('INVALID_ARGUMENT', `SWD patches are ${patch}×${patch} but the images are ${h}×${w}; use larger images or a smaller patchSize`);
  }
  // never go below a level that can hold one patch
  const maxLevels = defaultPyramidLevels(h, w, patch);
  const levels = Math.min(options.levels ?? defaultPyramidLevels(h, w), maxLevels);
  return {
    seed: options.seed ?? 0,
    patch,
    perImage: options.patchesPerImage ?? 128,
    levels,
    projections: options.projections ?? 512,
    chunk: options.chunk ?? 32,
  };
}

/** Descriptors [N·perImage, patch·patch·C] per level, normalised per channel within the set. */
async function descriptors(images: tf.Tensor4D, r: Resolved): Promise<Float32Array[]> {
  const [n, , , c] = images.shape;
  const dim = r.patch * r.patch * c;
  const out = Array.from({ length: r.levels }, () => new Float32Array(n * r.perImage * dim));
  for (let start = 0; start < n; start += r.chunk) {
    const count = Math.min(r.chunk, n - start);
    const chunk = images.slice([start, 0, 0, 0], [count, -1, -1, -1]);
    const pixels = (await chunk.data()) as Float32Array;
    chunk.dispose();
    const pyramid = laplacianPyramid({ data: pixels, n: count, h: images.shape[1], w: images.shape[2], c }, r.levels);
    for (let level = 0; level < r.levels; level++) {
      const { data, h: lh, w: lw } = pyramid[level]!;
      const target = out[level]!;
      for (let i = 0; i < count; i++) {
        const imageIndex = start + i;
        const rand = mulberry32(mix(r.seed, level, imageIndex));
        const base = i * lh * lw * c;
        for (let p = 0; p < r.perImage; p++) {
          const y0 = Math.floor(rand() * (lh - r.patch + 1));
          const x0 = Math.floor(rand() * (lw - r.patch + 1));
          let o = (imageIndex * r.perImage + p) * dim;
          for (let y = 0; y < r.patch; y++) {
            const row = base + ((y0 + y) * lw + x0) * c;
            for (let k = 0; k < r.patch * c; k++) target[o++] = data[row + k]!;
          }
        }
      }
    }
  }
  for (const d of out) normalisePerChannel(d, c);
  return out;
}

/** Zero mean, unit std per colour channel over all descriptors and positions (as the paper). */
function normalisePerChannel(d: Float32Array, channels: number): void {
  for (let ch = 0; ch < channels; ch++) {
    let sum = 0;
    let count = 0;
    for (let i = ch; i < d.length; i += channels) {
      sum += d[i]!;
      count++;
    }
    const mean = sum / count;
    let sq = 0;
    for (let i = ch; i < d.length; i += channels) sq += (d[i]! - mean) ** 2;
    const std = Math.sqrt(sq / count);
    const inv = std > 1e-8 ? 1 / std : 1;
    for (let i = ch; i < d.length; i += channels) d[i] = (d[i]! - mean) * inv;
  }
}

/** Unit directions [count, dim] from a seeded Box–Muller normal. */
function directions(dim: number, count: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const v = new Float32Array(dim * count);
  for (let i = 0; i < v.length; i++) {
    const u1 = Math.max(rand(), 1e-12);
    v[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand());
  }
  for (let j = 0; j < count; j++) {
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += v[j * dim + i]! ** 2;
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < dim; i++) v[j * dim + i]! *= inv;
  }
  return v;
}

/**
 * Sorted projections [count][M] of descriptors [M, dim] on directions [count, dim]. On the
 * pure-JS tfjs backend plain loops beat its matMul several times over; any other backend
 * (wasm, webgpu, native) does the product far faster than JS can.
 */
async function sortedProjections(desc: Float32Array, dim: number, dirs: Float32Array): Promise<Float32Array[]> {
  const m = desc.length / dim;
  const count = dirs.length / dim;
  let flat: Float32Array;
  if (tf.getBackend() === 'cpu') {
    flat = new Float32Array(count * m);
    projectInJs(desc, dim, dirs, flat);
  } else {
    const projected = tf.tidy(() => tf.matMul(tf.tensor2d(desc, [m, dim]), tf.tensor2d(dirs, [count, dim]), false, true).transpose());
    flat = (await projected.data()) as Float32Array;
    projected.dispose();
  }
  const out: Float32Array[] = [];
  for (let j = 0; j < count; j++) out.push(flat.subarray(j * m, (j + 1) * m).sort());
  return out;
}

/** out[j·M + i] = desc[i] · dirs[j], four directions per pass over a descriptor row. */
function projectInJs(desc: Float32Array, dim: number, dirs: Float32Array, out: Float32Array): void {
  const m = desc.length / dim;
  const count = dirs.length / dim;
  for (let i = 0; i < m; i++) {
    const row = i * dim;
    let j = 0;
    for (; j + 4 <= count; j += 4) {
      const c0 = j * dim;
      const c1 = c0 + dim;
      const c2 = c1 + dim;
      const c3 = c2 + dim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < dim; k++) {
        const d = desc[row + k]!;
        s0 += d * dirs[c0 + k]!;
        s1 += d * dirs[c1 + k]!;
        s2 += d * dirs[c2 + k]!;
        s3 += d * dirs[c3 + k]!;
      }
      out[j * m + i] = s0;
      out[(j + 1) * m + i] = s1;
      out[(j + 2) * m + i] = s2;
      out[(j + 3) * m + i] = s3;
    }
    for (; j < count; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += desc[row + k]! * dirs[j * dim + k]!;
      out[j * m + i] = s;
    }
  }
}

/** Mean |qa − qb| over `k` common quantiles of two sorted arrays (k = the smaller length). */
function sortedDistance(sa: Float32Array, sb: Float32Array): number {
  const k = Math.min(sa.length, sb.length);
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const ia = sa.length === k ? i : Math.floor(((i + 0.5) * sa.length) / k);
    const ib = sb.length === k ? i : Math.floor(((i + 0.5) * sb.length) / k);
    sum += Math.abs(sa[ia]! - sb[ib]!);
  }
  return sum / k;
}

/** SWD per pyramid level, finest first. Inputs are NHWC in [-1, 1] and are not disposed. */
export async function swdPerLevel(a: tf.Tensor4D, b: tf.Tensor4D, options: SwdOptions = {}): Promise<number[]> {
  validate(a, b);
  const r = resolve(a, options);
  const c = a.shape[3];
  const dim = r.patch * r.patch * c;
  const descA = await descriptors(a, r);
  const descB = await descriptors(b, r);
  const result: number[] = [];
  // directions in groups bound the size of the projected matrix
  const group = 32;
  for (let level = 0; level < r.levels; level++) {
    let total = 0;
    for (let start = 0; start < r.projections; start += group) {
      const count = Math.min(group, r.projections - start);
      const dirs = directions(dim, count, mix(r.seed, 0x5eed, level, start));
      const pa = await sortedProjections(descA[level]!, dim, dirs);
      const pb = await sortedProjections(descB[level]!, dim, dirs);
      for (let j = 0; j < count; j++) total += sortedDistance(pa[j]!, pb[j]!);
    }
    result.push(total / r.projections);
  }
  return result;
}

/** The mean of `swdPerLevel` over levels: one number for "how far apart are these sets". */
export async function slicedWassersteinDistance(a: tf.Tensor4D, b: tf.Tensor4D, options: SwdOptions = {}): Promise<number> {
  const levels = await swdPerLevel(a, b, options);
  return levels.reduce((s, v) => s + v, 0) / levels.length;
}
