// Super-resolution training pairs made on the fly from HR images held in memory: a random crop
// (and flip) of an HR image is the target, its bicubic downscale (optionally blurred, noised
// and JPEG-degraded the Real-ESRGAN way) the input. Every crop and degradation is drawn from
// (seed, epoch, position), so the cursor alone fixes every batch and resume is exact.
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { AppError } from '../contract/errors.js';
import type { TaskContext } from '../common/reporter.js';
import type { TrainBatch } from '../models/types.js';
import type { BatchSource } from './types.js';
import { degrade, resizeBicubic, seededRandom, type DegradeOptions, type Pixels } from './sr-degrade.js';

export interface SrPairOptions {
  /** HR crop edge; LR is size/scale */
  size: number;
  scale: number;
  channels: 1 | 3;
  seed: number;
  degrade?: DegradeOptions;
  /** images kept out of training for previews and metrics (default: 10%, at most 16, none if < 5 images) */
  heldOutCount?: number;
}

function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

function crop(img: Pixels, x0: number, y0: number, size: number, flip: boolean): Pixels {
  const c = img.channels;
  const out = new Float32Array(size * size * c);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sx = flip ? x0 + size - 1 - x : x0 + x;
      for (let ch = 0; ch < c; ch++) out[(y * size + x) * c + ch] = img.data[((y0 + y) * img.width + sx) * c + ch]!;
    }
  }
  return { data: out, width: size, height: size, channels: c };
}

/** `images` in 0–255, each at least size×size. The source owns nothing that needs freeing. */
export function srPairSource(images: Pixels[], options: SrPairOptions): BatchSource {
  const { size, scale, seed } = options;
  if (size % scale !== 0) throw new AppError('INVALID_ARGUMENT', `the HR crop ${size} must be divisible by the scale ${scale}`);
  const small = images.find((i) => i.width < size || i.height < size);
  if (small) throw new AppError('INVALID_ARGUMENT', `an HR image is ${small.width}×${small.height}, smaller than the ${size}px crop; use a smaller --size`);
  const heldOutCount = options.heldOutCount ?? (images.length >= 5 ? Math.min(16, Math.max(1, Math.floor(images.length / 10))) : 0);
  const train = images.slice(0, images.length - heldOutCount);
  const held = images.slice(images.length - heldOutCount);
  if (train.length === 0) throw new AppError('INVALID_ARGUMENT', 'super-resolution training needs at least one image');
  const mode = options.degrade ?? { mode: 'bicubic' };
  let epoch = 0;
  let position = 0;
  let order = permutation(train.length, mix(seed, 0));

  function permutation(n: number, s: number): Int32Array {
    const rand = seededRandom(s);
    const o = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [o[i], o[j]] = [o[j]!, o[i]!];
    }
    return o;
  }

  const toTensor = (pixels: Pixels[], side: number) =>
    tf.tidy(() => {
      const flat = new Float32Array(pixels.length * side * side * options.channels);
      pixels.forEach((p, i) => flat.set(p.data, i * side * side * options.channels));
      return tf.tensor4d(flat, [pixels.length, side, side, options.channels]).div(127.5).sub(1).clipByValue(-1, 1) as tf.Tensor4D;
    });

  return {
    keys: ['lr', 'hr'],
    size: train.length,
    next(batchSize: number): TrainBatch {
      const hrs: Pixels[] = [];
      const lrs: Pixels[] = [];
      for (let i = 0; i < batchSize; i++) {
        if (position >= train.length) {
          epoch++;
          position = 0;
          order = permutation(train.length, mix(seed, epoch));
        }
        const img = train[order[position]!]!;
        const rand = seededRandom(mix(seed, epoch, position, 7));
        position++;
        const x0 = Math.floor(rand() * (img.width - size + 1));
        const y0 = Math.floor(rand() * (img.height - size + 1));
        const hr = crop(img, x0, y0, size, rand() < 0.5);
        hrs.push(hr);
        lrs.push(degrade(hr, scale, mode, rand));
      }
      return { hr: toTensor(hrs, size), lr: toTensor(lrs, size / scale) };
    },
    getCursor: () => ({ epoch, position }),
    setCursor(cursor) {
      epoch = Number(cursor.epoch ?? 0);
      position = Number(cursor.position ?? 0);
      order = permutation(train.length, mix(seed, epoch));
    },
    heldOut(count: number): TrainBatch {
      const picks = (held.length ? held : train).slice(0, Math.max(1, count));
      const hrs = picks.map((img) => crop(img, Math.floor((img.width - size) / 2), Math.floor((img.height - size) / 2), size, false));
      return { hr: toTensor(hrs, size), lr: toTensor(hrs.map((h) => resizeBicubic(h, size / scale, size / scale)), size / scale) };
    },
    dispose() {},
  };
}

/**
 * Decodes HR images (EXIF applied, alpha flattened on white, gray or sRGB). Images above
 * `maxPixels` are shrunk to it (memory); images below `minSide` are enlarged to it (so a crop fits).
 */
export async function loadHrImages(paths: string[], options: { channels: 1 | 3; minSide: number; maxPixels?: number }, ctx?: TaskContext): Promise<Pixels[]> {
  const maxPixels = options.maxPixels ?? 2_000_000;
  const out: Pixels[] = [];
  for (const [i, path] of paths.entries()) {
    if (ctx?.signal.aborted) throw ctx.signal.reason;
    try {
      const meta = await sharp(path).metadata();
      let pipeline = sharp(path, { failOn: 'error' }).rotate().flatten({ background: '#ffffff' });
      const w = meta.autoOrient?.width ?? meta.width ?? 0;
      const h = meta.autoOrient?.height ?? meta.height ?? 0;
      const shrink = Math.min(1, Math.sqrt(maxPixels / Math.max(1, w * h)));
      const grow = Math.max(1, options.minSide / Math.max(1, Math.min(w, h)));
      const f = shrink < 1 ? shrink : grow;
      if (f !== 1) pipeline = pipeline.resize(Math.max(options.minSide, Math.round(w * f)), Math.max(options.minSide, Math.round(h * f)), { kernel: 'cubic', fit: 'fill' });
      pipeline = options.channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
      const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
      out.push({ data: Float32Array.from(data), width: info.width, height: info.height, channels: info.channels });
    } catch (error) {
      ctx?.report.log('warn', `skipped ${path}: ${(error as Error).message}`);
    }
    ctx?.report.progress({ done: i + 1, total: paths.length, unit: 'image' });
  }
  if (out.length === 0) throw new AppError('INVALID_ARGUMENT', `none of the ${paths.length} images could be read`);
  return out;
}
