// Unpaired image sets for CycleGAN: two independent streams (A and B) with their own seeded
// shuffles, random crops and horizontal flips, in the paper's recipe (load at ~1.12× the crop
// size, crop at random, flip half the time; images smaller than that load at their own size,
// never enlarged: see jitterLoadSide). Everything random derives from (seed, stream,
// epoch, position), so the cursor alone fixes every batch and a resumed run sees the same data.
// Pixels stay as 8-bit in memory (4× smaller than float32) and become tensors per batch.
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { AppError } from '../contract/errors.js';
import type { BatchSource } from './types.js';
import type { TrainBatch } from '../models/types.js';
import { seededPermutation } from '../common/prng.js';
import { listImageFiles as listImages } from '../common/image-files.js';
import { stepRandom } from '../models/step-random.js';

/** Square 8-bit images of one size, HWC interleaved, one buffer each. */
export interface ImageSet {
  images: Uint8Array[];
  side: number;
  channels: 1 | 3;
}

/** Image files under `dir` (one lister for the app: common/image-files.ts). */
export async function listImageFiles(dir: string): Promise<string[]> {
  return listImages(dir, 'pass an existing folder or a dataset id');
}

/**
 * Decodes images to `side`×`side` (centre crop of the shorter side, then resize). Transparent
 * pixels are composited on white: emoji and icons are drawn for a light background, and black
 * would make every translation learn a dark frame. Unreadable files are skipped and counted.
 */
export async function loadImageSet(
  paths: readonly string[],
  options: { side: number; channels: 1 | 3; limit?: number; signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
): Promise<{ set: ImageSet; skipped: string[] }> {
  const wanted = paths.slice(0, options.limit ?? paths.length);
  const images: Array<Uint8Array | null> = new Array(wanted.length).fill(null);
  const skipped: string[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < wanted.length) {
      options.signal?.throwIfAborted();
      const index = next++;
      try {
        let pipeline = sharp(wanted[index]!, { failOn: 'error' }).rotate().flatten({ background: '#ffffff' })
          .resize(options.side, options.side, { fit: 'cover', position: 'centre' });
        pipeline = options.channels === 1 ? pipeline.toColourspace('b-w') : pipeline.removeAlpha();
        const data = await pipeline.raw().toBuffer();
        images[index] = new Uint8Array(data.buffer, data.byteOffset, data.length);
      } catch {
        skipped.push(wanted[index]!);
      }
      options.onProgress?.(++done, wanted.length);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const kept = images.filter((x): x is Uint8Array => x !== null);
  return { set: { images: kept, side: options.side, channels: options.channels }, skipped };
}

/** The paper's load size for a crop: 286 for 256, i.e. ×1.12, rounded to an even number. */
export function loadSideFor(cropSize: number): number {
  return Math.max(cropSize, 2 * Math.round((cropSize * 286) / 256 / 2));
}

/**
 * The side to load a set at for random-crop jitter: the paper's ×1.12 (loadSideFor) when its
 * images are at least that big, else their own size (the median shorter side of up to `sample`
 * files, read from headers only), never below the crop. Enlarging small images to make room
 * for crops (64-px emoji to 72) blurs every training image while evaluation and inference see
 * them sharp, and the generators learn to paint soft images.
 */
export async function jitterLoadSide(paths: readonly string[], cropSize: number, sample = 32): Promise<number> {
  const target = loadSideFor(cropSize);
  const step = Math.max(1, Math.floor(paths.length / sample));
  const picked = paths.filter((_, i) => i % step === 0).slice(0, sample);
  const sides = (
    await Promise.all(
      picked.map((p) =>
        sharp(p).metadata().then((m) => (m.width && m.height ? Math.min(m.width, m.height) : null), () => null),
      ),
    )
  ).filter((s): s is number => s !== null).sort((x, y) => x - y);
  if (sides.length === 0) return target;
  const median = sides[Math.floor(sides.length / 2)]!;
  return Math.max(cropSize, Math.min(target, median));
}

interface Stream {
  set: ImageSet;
  name: 'a' | 'b';
  trainCount: number;
  heldOutCount: number;
  epoch: number;
  position: number;
  order: Int32Array;
}

export interface UnpairedOptions {
  /** crop side (the training size) */
  size: number;
  seed: number;
  /** random crops from the loaded side (default true; false = centre crops) */
  crop?: boolean;
  /** random horizontal flips (default true) */
  flip?: boolean;
  /** images per domain kept out of training for previews and metrics (default min(16, 10%)) */
  heldOut?: number;
}

/** A BatchSource with keys ['a', 'b'] over two image sets; `size` is the larger set. */
export function unpairedBatchSource(a: ImageSet, b: ImageSet, options: UnpairedOptions): BatchSource {
  for (const [name, set] of [['A', a], ['B', b]] as const) {
    if (set.images.length < 2) throw new AppError('INVALID_ARGUMENT', `CycleGAN needs at least 2 readable images in set ${name}, found ${set.images.length}; add images to the folder`);
    if (set.side < options.size) throw new AppError('INVALID_ARGUMENT', `set ${name} was loaded at ${set.side}px, smaller than the ${options.size}px crops`);
  }
  if (a.channels !== b.channels) throw new AppError('INVALID_ARGUMENT', 'sets A and B must have the same number of channels');
  const random = stepRandom(options.seed);
  const crop = options.crop ?? true;
  const flip = options.flip ?? true;
  const size = options.size;
  const channels = a.channels;

  const makeStream = (set: ImageSet, name: 'a' | 'b'): Stream => {
    const n = set.images.length;
    const heldOutCount = Math.min(options.heldOut ?? 16, Math.floor(n / 10));
    const trainCount = n - heldOutCount;
    return { set, name, trainCount, heldOutCount, epoch: 0, position: 0, order: seededPermutation(trainCount, random.stepSeed(`shuffle/${name}`, 0)) };
  };
  const streams = [makeStream(a, 'a'), makeStream(b, 'b')] as const;

  /** Crops (and maybe flips) image `index` of a set into `out` at `offset`, as floats in [-1, 1]. */
  const writeImage = (set: ImageSet, index: number, out: Float32Array, offset: number, seed: number | null) => {
    const src = set.images[index]!;
    const slack = set.side - size;
    let y0 = Math.floor(slack / 2);
    let x0 = Math.floor(slack / 2);
    let mirrored = false;
    if (seed !== null) {
      const r = stepRandom(seed);
      if (crop && slack > 0) {
        y0 = r.stepSeed('y', 0) % (slack + 1);
        x0 = r.stepSeed('x', 0) % (slack + 1);
      }
      mirrored = flip && r.stepSeed('flip', 0) % 2 === 1;
    }
    let o = offset;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const sx = mirrored ? x0 + size - 1 - x : x0 + x;
        const s = ((y0 + y) * set.side + sx) * channels;
        for (let c = 0; c < channels; c++) out[o++] = src[s + c]! / 127.5 - 1;
      }
    }
  };

  const draw = (stream: Stream, count: number): tf.Tensor4D => {
    const out = new Float32Array(count * size * size * channels);
    for (let i = 0; i < count; i++) {
      if (stream.position >= stream.trainCount) {
        stream.epoch++;
        stream.position = 0;
        stream.order = seededPermutation(stream.trainCount, random.stepSeed(`shuffle/${stream.name}`, stream.epoch));
      }
      // one seed per (stream, epoch, position): the crop of a draw never depends on batch size
      const seed = random.stepSeed(`augment/${stream.name}/${stream.epoch}`, stream.position);
      writeImage(stream.set, stream.order[stream.position++]!, out, i * size * size * channels, seed);
    }
    return tf.tensor4d(out, [count, size, size, channels]);
  };

  const held = (stream: Stream, count: number): tf.Tensor4D => {
    // tiny sets have no held-out split: preview on the first training images instead
    const from = stream.heldOutCount > 0 ? stream.trainCount : 0;
    const available = stream.heldOutCount > 0 ? stream.heldOutCount : stream.trainCount;
    const k = Math.max(1, Math.min(count, available));
    const out = new Float32Array(k * size * size * channels);
    for (let i = 0; i < k; i++) writeImage(stream.set, from + i, out, i * size * size * channels, null);
    return tf.tensor4d(out, [k, size, size, channels]);
  };

  return {
    keys: ['a', 'b'],
    size: Math.max(streams[0].trainCount, streams[1].trainCount),
    next(batchSize: number): TrainBatch {
      return { a: draw(streams[0], batchSize), b: draw(streams[1], batchSize) };
    },
    getCursor: () => ({ a: { epoch: streams[0].epoch, position: streams[0].position }, b: { epoch: streams[1].epoch, position: streams[1].position } }),
    setCursor(cursor) {
      for (const stream of streams) {
        const c = (cursor[stream.name] ?? {}) as { epoch?: number; position?: number };
        stream.epoch = Number(c.epoch ?? 0);
        stream.position = Number(c.position ?? 0);
        stream.order = seededPermutation(stream.trainCount, random.stepSeed(`shuffle/${stream.name}`, stream.epoch));
      }
    },
    heldOut(count: number): TrainBatch {
      return { a: held(streams[0], count), b: held(streams[1], count) };
    },
    dispose() {},
  };
}

/** Folder (or file list) → loaded sets → source: the fallback until datasets come from the workspace. */
export async function openUnpairedFolders(
  dirA: string,
  dirB: string,
  options: UnpairedOptions & { channels?: 1 | 3; limit?: number; signal?: AbortSignal },
): Promise<BatchSource> {
  const channels = options.channels ?? 3;
  const load = async (dir: string, name: string) => {
    const files = await listImageFiles(dir);
    if (files.length === 0) throw new AppError('NOT_FOUND', `no images found under ${dir} (set ${name}); point --data-${name.toLowerCase()} at a folder of PNG/JPEG/WebP files`);
    const side = options.crop === false ? options.size : await jitterLoadSide(files, options.size);
    return (await loadImageSet(files, { side, channels, limit: options.limit, signal: options.signal })).set;
  };
  const [a, b] = await Promise.all([load(dirA, 'A'), load(dirB, 'B')]);
  return unpairedBatchSource(a, b, options);
}
