// Sampling from a trained generator: `gan-studio generate` / `interpolate`, the batch runner's
// generate task and the UI's "generate more". Image i of a request comes from latent seed + i,
// so any single picture can be reproduced (and interpolated from) by its seed alone.
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { TaskContext } from '../common/reporter.js';
import { isGeneratorModel, latentsForSeeds, type Generator } from '../models/common/generator-model.js';
import { loadModelForInference } from '../training/load-model.js';
import { importedGenerator, isImportedModelFolder } from './imported-model.js';
import { encodeImage, makeGrid, tensorToRaw, writeTensorImage, type OutputFormat } from '../data/image-io.js';
import { writeFileDurable } from '../common/durable-write.js';

// gifenc ships no type declarations; this is the part of its API used here
interface Gifenc {
  GIFEncoder(): { writeFrame(index: Uint8Array, width: number, height: number, opts: { palette: number[][]; delay?: number; repeat?: number }): void; finish(): void; bytes(): Uint8Array };
  quantize(rgba: Uint8Array, maxColors: number): number[][];
  applyPalette(rgba: Uint8Array, palette: number[][]): Uint8Array;
}
const gifenc = createRequire(import.meta.url)('gifenc') as Gifenc;

export interface GenerateOptions {
  count: number;
  /** latent seed of the first image */
  seed: number;
  /** checkpoint folder name, 'best', or the newest */
  checkpoint?: string;
  /** also write all images as one grid */
  grid?: boolean;
  format?: OutputFormat;
  /** JPEG/WebP quality, 1–100 */
  quality?: number;
}

export interface GenerateResult {
  files: string[];
  grid: string | null;
  checkpoint: string;
  step: number;
}

async function loadGenerator(runDir: string, checkpoint: string | undefined, ctx: TaskContext): Promise<{ model: Generator; checkpoint: string; step: number }> {
  if (await isImportedModelFolder(runDir)) return importedGenerator(runDir); // models import / export
  const loaded = await loadModelForInference(runDir, { checkpoint, networks: ['G'], log: (m) => ctx.report.log('warn', m) });
  const { model } = loaded;
  if (!isGeneratorModel(model)) {
    model.dispose();
    throw new AppError('INVALID_ARGUMENT', `${runDir} is a ${loaded.family.id} run (${loaded.family.task}), not an image generator; use upscale or stylize for it`);
  }
  return { model, checkpoint: loaded.checkpoint, step: loaded.step };
}

const CHUNK = 32;

export async function generateImages(runDir: string, opts: GenerateOptions, outDir: string, ctx: TaskContext): Promise<GenerateResult> {
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > 100_000) throw new AppError('INVALID_ARGUMENT', `count must be a whole number from 1 to 100000, got ${opts.count}`);
  const format = opts.format ?? 'png';
  const { model, checkpoint, step } = await loadGenerator(runDir, opts.checkpoint, ctx);
  const files: string[] = [];
  const forGrid: tf.Tensor4D[] = [];
  const started = performance.now();
  try {
    for (let first = 0; first < opts.count; first += CHUNK) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new AppError('CANCELLED', 'generation cancelled');
      const n = Math.min(CHUNK, opts.count - first);
      const z = latentsForSeeds(opts.seed + first, n, model.latentSize);
      const images = model.generate(z);
      z.dispose();
      try {
        for (let i = 0; i < n; i++) {
          const path = join(outDir, `seed-${String(opts.seed + first + i).padStart(6, '0')}.${format}`);
          const one = tf.tidy(() => images.slice([i, 0, 0, 0], [1, -1, -1, -1]).squeeze([0]) as tf.Tensor3D);
          await writeTensorImage(path, one, { format, quality: opts.quality ?? 90 }).finally(() => one.dispose());
          files.push(path);
        }
        if (opts.grid && files.length <= 1024) forGrid.push(tf.keep(images.clone()));
      } finally {
        images.dispose();
      }
      const done = first + n;
      const rate = done / ((performance.now() - started) / 1000);
      ctx.report.progress({ done, total: opts.count, unit: 'image', rate, eta: (opts.count - done) / rate });
    }
    let grid: string | null = null;
    if (opts.grid && forGrid.length) {
      grid = join(outDir, `grid-seed-${opts.seed}-${opts.count}.png`);
      const picture = tf.tidy(() => makeGrid(tf.div(tf.add(tf.concat(forGrid), 1), 2) as tf.Tensor4D));
      await writeTensorImage(grid, picture, { range: [0, 1] }).finally(() => picture.dispose());
    }
    return { files, grid, checkpoint, step };
  } finally {
    tf.dispose(forGrid);
    model.dispose();
  }
}

export interface InterpolateOptions {
  from: number;
  to: number;
  frames: number;
  /** also write an animated GIF of the frames */
  gif?: boolean;
  checkpoint?: string;
}

/** Spherical interpolation: Gaussian latents live near a sphere, so a straight line cuts inside it. */
function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const cos = a.reduce((s, x, i) => s + x * b[i]!, 0) / (norm(a) * norm(b));
  const omega = Math.acos(Math.min(1, Math.max(-1, cos)));
  if (omega < 1e-4) return a.map((x, i) => x + (b[i]! - x) * t);
  const wa = Math.sin((1 - t) * omega) / Math.sin(omega);
  const wb = Math.sin(t * omega) / Math.sin(omega);
  return a.map((x, i) => wa * x + wb * b[i]!);
}

export async function interpolate(runDir: string, opts: InterpolateOptions, outDir: string, ctx: TaskContext): Promise<{ files: string[]; gif: string | null }> {
  if (!Number.isInteger(opts.frames) || opts.frames < 2 || opts.frames > 1000) throw new AppError('INVALID_ARGUMENT', `frames must be a whole number from 2 to 1000, got ${opts.frames}`);
  const { model } = await loadGenerator(runDir, opts.checkpoint, ctx);
  const files: string[] = [];
  const encoder = opts.gif ? gifenc.GIFEncoder() : null;
  try {
    const ends = [latentsForSeeds(opts.from, 1, model.latentSize), latentsForSeeds(opts.to, 1, model.latentSize)];
    const [a, b] = ends.map((t) => t.dataSync() as Float32Array);
    tf.dispose(ends);
    for (let f = 0; f < opts.frames; f++) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new AppError('CANCELLED', 'interpolation cancelled');
      const z = tf.tensor2d(slerp(a!, b!, f / (opts.frames - 1)), [1, model.latentSize]);
      const image = tf.tidy(() => model.generate(z).squeeze([0]) as tf.Tensor3D);
      z.dispose();
      const raw = await tensorToRaw(image).finally(() => image.dispose());
      const path = join(outDir, `frame-${String(f).padStart(4, '0')}.png`);
      await writeFileDurable(path, await encodeImage(raw, 'png'));
      files.push(path);
      if (encoder) {
        const rgba = toRgba(raw.data, raw.channels as number);
        const palette = gifenc.quantize(rgba, 256);
        encoder.writeFrame(gifenc.applyPalette(rgba, palette), raw.width, raw.height, { palette, delay: 80, repeat: 0 });
      }
      ctx.report.progress({ done: f + 1, total: opts.frames, unit: 'image', eta: null });
    }
    let gif: string | null = null;
    if (encoder) {
      encoder.finish();
      gif = join(outDir, `interpolation-${opts.from}-${opts.to}.gif`);
      await writeFileDurable(gif, Buffer.from(encoder.bytes()));
    }
    return { files, gif };
  } finally {
    model.dispose();
  }
}

function toRgba(data: Uint8Array, channels: number): Uint8Array {
  const pixels = data.length / channels;
  const out = new Uint8Array(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    const src = p * channels;
    const gray = channels < 3;
    out[p * 4] = data[src]!;
    out[p * 4 + 1] = gray ? data[src]! : data[src + 1]!;
    out[p * 4 + 2] = gray ? data[src]! : data[src + 2]!;
    out[p * 4 + 3] = 255;
  }
  return out;
}
