// CycleGAN inference: (trained run, direction, image of any size) → translated image of the same
// size. The generator is fully convolutional; sides are reflect-padded to a multiple of 4 and
// cropped back. Images that would not fit the memory budget go through overlapping, blended tiles
// (runTiled). Whole-image is preferred when it fits: instance norm takes its statistics over what
// it sees, so a tile's colours drift slightly from the whole picture's.
import * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { TaskContext } from '../common/reporter.js';
import { loadModelForInference } from '../training/load-model.js';
import { importedStylizer, isImportedModelFolder } from './imported-model.js';
import { isOnnxPath, onnxStylizer, routedStylizer } from './onnx-predictors.js';
import type { Stylizer } from './predictors.js';
import { isCycleGanModel, type Direction } from '../models/cyclegan/model.js';
import { decodeImage, encodeImage, formatFromPath, inspectInputImage, type OutputFormat, type RawImage } from '../data/image-io.js';
import { writeFileDurable } from '../common/durable-write.js';
import { runTiled, type TileFn } from './tiling.js';

export const STYLIZE_MAX_INPUT_PIXELS = 16_777_216;

export type { Stylizer };

const cache = new Map<string, Promise<Stylizer>>();

/** Loads (once per run folder and checkpoint) the two generators of a CycleGAN run. */
export function loadStylizer(runDir: string, checkpoint?: string): Promise<Stylizer> {
  const key = `${resolve(runDir)}#${checkpoint ?? ''}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = (async () => {
      if (isOnnxPath(runDir)) return onnxStylizer(resolve(runDir), { a2b: resolve(runDir) }); // an .onnx file by path
      if (await isImportedModelFolder(resolve(runDir))) return importedStylizer(resolve(runDir)); // models import / export
      const loaded = await loadModelForInference(resolve(runDir), { checkpoint, networks: ['G_AB', 'G_BA'] });
      if (!isCycleGanModel(loaded.model)) {
        loaded.model.dispose();
        throw new AppError('INVALID_ARGUMENT', `${runDir} is a ${loaded.family.id} run, not a CycleGAN run; stylize needs a run trained with --task cyclegan`);
      }
      const filters = Number(loaded.spec.extra.filters ?? 64);
      // peak: a few feature maps of `filters` channels at full resolution, float32
      const base: Stylizer = { runDir: resolve(runDir), model: loaded.model, channels: loaded.spec.channels, bytesPerPixel: filters * 4 * 6, checkpoint: loaded.checkpoint };
      // ONNX Runtime where it was measured faster on this machine (src/engine/inference-engine.ts), with the EMA weights translate uses
      const nets = { a2b: loaded.model.networks.G_AB!, b2a: loaded.model.networks.G_BA! };
      const extra = loaded.model.getExtraState().tensors;
      const ema = (name: string, net: tf.LayersModel) => {
        const w = net.weights.map((_, i) => extra[`ema/${name}/${i}`]);
        return w.every((t) => t !== undefined) ? (w as tf.Tensor[]) : undefined;
      };
      const weights = { a2b: ema('G_AB', nets.a2b), b2a: ema('G_BA', nets.b2a) };
      return routedStylizer(base, nets, Object.fromEntries(Object.entries(weights).filter(([, w]) => w)));
    })();
    cache.set(key, entry);
    entry.catch(() => cache.delete(key));
  }
  return entry;
}

/** Frees every cached model (call when a batch ends). */
export async function releaseStylizers(): Promise<void> {
  const entries = [...cache.values()];
  cache.clear();
  for (const entry of entries) {
    const s = await entry.catch(() => null);
    s?.model.dispose();
  }
}

export interface StylizeImageOptions {
  direction: Direction;
  /** tile edge in pixels; default: whole image when it fits `memoryBudgetBytes` */
  tile?: number;
  memoryBudgetBytes?: number;
}

/**
 * Translates one decoded image. Alpha is kept as is; transparent pixels are composited on white
 * first (as in training), gray images are widened to RGB for an RGB model and vice versa.
 */
export async function stylizeImage(stylizer: Stylizer, img: RawImage, opts: StylizeImageOptions, ctx: TaskContext): Promise<RawImage> {
  const { width, height } = img;
  if (width < 8 || height < 8) throw new AppError('INVALID_ARGUMENT', `the image is ${width}×${height}; CycleGAN needs at least 8×8 pixels`);
  const hasAlpha = img.channels === 2 || img.channels === 4;
  const colourChannels = hasAlpha ? img.channels - 1 : img.channels;
  const alpha = hasAlpha
    ? tf.tidy(() => tf.tensor3d(img.data, [height, width, img.channels], 'int32').slice([0, 0, colourChannels], [height, width, 1]).toFloat().div(255) as tf.Tensor3D)
    : null;
  const rgb = tf.tidy(() => {
    let colour: tf.Tensor3D = tf.tensor3d(img.data, [height, width, img.channels], 'int32').slice([0, 0, 0], [height, width, colourChannels]).toFloat().div(255);
    if (alpha) colour = colour.mul(alpha).add(tf.sub(1, alpha));
    if (stylizer.channels === 3 && colourChannels === 1) colour = colour.tile([1, 1, 3]);
    if (stylizer.channels === 1 && colourChannels === 3) colour = colour.mul(tf.tensor1d([0.299, 0.587, 0.114])).sum(2, true);
    return colour.mul(2).sub(1) as tf.Tensor3D;
  });
  const budget = opts.memoryBudgetBytes ?? 512 * 1024 * 1024;
  const fitsWhole = width * height * stylizer.bytesPerPixel <= budget;
  let translated: tf.Tensor3D;
  const translate = stylizer.translateAsync?.bind(stylizer);
  const tiled = (fn: TileFn, tile: number | undefined) => runTiled(rgb, fn, {
    scale: 1,
    tile: stylizer.maxTile ? Math.min(tile ?? stylizer.maxTile, stylizer.maxTile) : tile,
    memoryBudgetBytes: budget,
    bytesPerInputPixel: stylizer.bytesPerPixel,
    signal: ctx.signal,
    onTile: (done, total) => ctx.report.progress({ done, total, unit: 'tile' }),
    onTileShrink: (from, to) => ctx.report.log('warn', `out of memory at ${from}px tiles; retrying at ${to}px`),
  });
  try {
    if (translate) {
      // ONNX Runtime: one tile covering the whole image when it fits, as below
      translated = await tiled({ runAsync: (t) => translate(t, opts.direction) }, opts.tile ?? (fitsWhole ? Math.max(width, height) : undefined));
    } else if (!opts.tile && fitsWhole) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new AppError('CANCELLED', 'cancelled');
      translated = tf.tidy(() => {
        const out = stylizer.model.translateAnySize(rgb.expandDims(0) as tf.Tensor4D, opts.direction);
        return out.squeeze([0]) as tf.Tensor3D;
      });
      ctx.report.progress({ done: 1, total: 1, unit: 'tile' });
    } else {
      translated = await tiled((tile) => stylizer.model.translateAnySize(tile, opts.direction), opts.tile);
    }
  } finally {
    rgb.dispose();
  }
  const bytes = tf.tidy(() => {
    let out: tf.Tensor3D = translated.add(1).div(2);
    if (alpha) out = tf.concat([out, alpha], 2);
    return out.mul(255).round().clipByValue(0, 255).toInt();
  });
  translated.dispose();
  alpha?.dispose();
  const data = Uint8Array.from(await bytes.data());
  const channels = bytes.shape[2] as RawImage['channels'];
  bytes.dispose();
  return { data, width, height, channels };
}

export interface StylizeFileOptions {
  /** the CycleGAN run folder */
  run?: string;
  /** the same, under the name the batch runner uses for every task's model */
  model?: string;
  direction: Direction;
  format?: OutputFormat;
  quality?: number;
  tile?: number;
  /** accepted for the batch runner's sake; the caller picks the backend before calling */
  backend?: string;
  checkpoint?: string;
  memoryBudgetBytes?: number;
}

export interface StylizeFileResult {
  output: string;
  width: number;
  height: number;
  direction: Direction;
  run: string;
}

/**
 * Decodes, translates and writes one file atomically (a cancel leaves no output). Like
 * upscaleFile, it writes where it is told: callers choose free names (the CLI's freeName, the
 * batch runner's placeNoClobber), so existing files are never overwritten.
 */
export async function stylizeFile(inputPath: string, outputPath: string, opts: StylizeFileOptions, ctx: TaskContext): Promise<StylizeFileResult> {
  const run = opts.run ?? opts.model;
  if (!run) throw new AppError('INVALID_ARGUMENT', 'stylize needs the CycleGAN run folder (opts.run)');
  if (opts.direction !== 'a2b' && opts.direction !== 'b2a') throw new AppError('INVALID_ARGUMENT', `direction must be a2b or b2a, got "${String(opts.direction)}"`);
  const target = resolve(outputPath);
  await inspectInputImage(inputPath, STYLIZE_MAX_INPUT_PIXELS, 'stylize');
  const stylizer = await loadStylizer(run, opts.checkpoint);
  let img: RawImage;
  try {
    img = await decodeImage(inputPath, { limitInputPixels: STYLIZE_MAX_INPUT_PIXELS });
  } catch (error) {
    throw new AppError('CORRUPT_IMAGE', `${inputPath} could not be decoded (${(error as Error).message})`);
  }
  let out = await stylizeImage(stylizer, img, { direction: opts.direction, tile: opts.tile, memoryBudgetBytes: opts.memoryBudgetBytes }, ctx);
  const format = opts.format ?? formatFromPath(target) ?? 'png';
  if (format === 'jpg' && (out.channels === 2 || out.channels === 4)) out = dropAlpha(out);
  // the output stays in the input's colour space: it carries the same profile
  const encoded = await encodeImage({ ...out, icc: img.icc }, format, opts.quality ?? 90);
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new AppError('CANCELLED', 'cancelled');
  await writeFileDurable(target, encoded);
  return { output: target, width: out.width, height: out.height, direction: opts.direction, run: stylizer.runDir };
}

/** JPEG has no alpha; the colour was composited on white already, so the alpha can just go. */
function dropAlpha(img: RawImage): RawImage {
  const from = img.channels;
  const to = from - 1;
  const data = new Uint8Array(img.width * img.height * to);
  for (let i = 0, o = 0; i < img.data.length; i += from) for (let c = 0; c < to; c++) data[o++] = img.data[i + c]!;
  return { data, width: img.width, height: img.height, channels: to as RawImage['channels'] };
}
