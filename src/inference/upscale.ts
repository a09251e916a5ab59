// Upscaling one image (or one file) with a trained super-resolution run or a pretrained ESRGAN,
// through the tiled path: colour goes through the model, alpha is resized separately (bicubic),
// gray stays gray, and the output file appears only once it is complete.
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { resolve } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { TaskContext } from '../common/reporter.js';
import { decodeImage, encodeImage, formatFromPath, inspectInputImage, type OutputFormat, type RawImage } from '../data/image-io.js';
import { writeFileDurable } from '../common/durable-write.js';
import { defaultBytesPerInputPixel, runTiled, type TileFn } from './tiling.js';
import { loadUpscaler, type Upscaler } from './upscalers.js';

export { loadUpscaler, releaseUpscalers, pretrainedUpscaler, isPretrainedModel, type Upscaler } from './upscalers.js';

export interface UpscaleImageOptions {
  tile?: number;
  overlap?: number;
  memoryBudgetBytes?: number;
}

/** The largest picture we accept as input, and the largest we will produce. */
export const UPSCALE_MAX_INPUT_PIXELS = 16_777_216;
export const UPSCALE_MAX_OUTPUT_PIXELS = 67_108_864;

function toRange(t: tf.Tensor, from: [number, number], to: [number, number]): tf.Tensor {
  return t.sub(from[0]).mul((to[1] - to[0]) / (from[1] - from[0])).add(to[0]);
}

/** Splits interleaved pixels into colour (1 or 3 channels) and an optional alpha plane. */
function splitAlpha(img: RawImage): { color: RawImage; alpha: Uint8Array | null } {
  if (img.channels === 1 || img.channels === 3) return { color: img, alpha: null };
  const colorChannels = (img.channels - 1) as 1 | 3;
  const n = img.width * img.height;
  const color = new Uint8Array(n * colorChannels);
  const alpha = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < colorChannels; c++) color[p * colorChannels + c] = img.data[p * img.channels + c]!;
    alpha[p] = img.data[p * img.channels + colorChannels]!;
  }
  return { color: { data: color, width: img.width, height: img.height, channels: colorChannels }, alpha };
}

async function resizeAlpha(alpha: Uint8Array, width: number, height: number, scale: number): Promise<Uint8Array> {
  const out = await sharp(Buffer.from(alpha.buffer, alpha.byteOffset, alpha.length), { raw: { width, height, channels: 1 } })
    .resize(width * scale, height * scale, { kernel: 'cubic', fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** A gray model sees each colour channel of a colour tile separately. */
function tileFunction(model: Upscaler): TileFn {
  const split = (tile: tf.Tensor4D) => model.channels === 1 && tile.shape[3] === 3;
  const predictAsync = model.predictAsync?.bind(model);
  if (predictAsync) {
    return {
      runAsync: async (tile) => {
        if (!split(tile)) return predictAsync(tile);
        const channels = tf.split(tile, 3, 3) as tf.Tensor4D[];
        const parts: tf.Tensor4D[] = [];
        try {
          for (const c of channels) parts.push(await predictAsync(c));
          return tf.concat(parts, 3) as tf.Tensor4D;
        } finally {
          tf.dispose([...channels, ...parts]);
        }
      },
    };
  }
  return (tile) => (split(tile) ? tf.concat(tf.split(tile, 3, 3).map((c) => model.predict(c as tf.Tensor4D)), 3) as tf.Tensor4D : model.predict(tile));
}

/**
 * Upscales colour through `model` in tiles; returns uint8 pixels with the input's channel layout
 * (gray stays gray, alpha is kept). `ctx.report.progress` gets one tick per tile.
 */
export async function upscaleImage(model: Upscaler, input: RawImage | tf.Tensor3D, opts: UpscaleImageOptions, ctx: TaskContext): Promise<RawImage> {
  const img: RawImage = input instanceof tf.Tensor ? await tensorToUint8(input) : input;
  const { color, alpha } = splitAlpha(img);
  const { width, height } = color;
  const scale = model.scale;
  const outPixels = width * height * scale * scale;
  if (outPixels > UPSCALE_MAX_OUTPUT_PIXELS) {
    throw new AppError('IMAGE_TOO_LARGE', `upscaling ${width}×${height} by ${scale} gives ${Math.round(outPixels / 1e6)} MP, over the ${UPSCALE_MAX_OUTPUT_PIXELS / 2 ** 20} MP limit — crop or shrink the image first`);
  }
  const gray = color.channels === 1;
  const modelInput = tf.tidy(() => {
      let x = tf.tensor3d(color.data, [height, width, color.channels], 'int32').toFloat();
      // A colour model sees gray as R=G=B; a gray model sees each colour channel separately (below).
      if (gray && model.channels === 3) x = tf.tile(x, [1, 1, 3]);
      return toRange(x, [0, 255], model.inputRange) as tf.Tensor3D;
  });
  const upscaled = await runTiled(
    modelInput,
    tileFunction(model),
    {
      scale,
      tile: model.maxTile ? Math.min(opts.tile ?? model.maxTile, model.maxTile) : opts.tile,
      overlap: opts.overlap,
      memoryBudgetBytes: opts.memoryBudgetBytes,
      bytesPerInputPixel: model.bytesPerInputPixel ?? defaultBytesPerInputPixel(scale),
      signal: ctx.signal,
      onTile: (done, total) => ctx.report.progress({ done, total, unit: 'tile' }),
      onTileShrink: (from, to) => ctx.report.log('warn', `out of memory with ${from}px tiles; retrying with ${to}px`),
    },
  ).finally(() => modelInput.dispose());
  const bytes = tf.tidy(() => {
    let y = toRange(upscaled, model.outputRange, [0, 255]);
    if (gray && y.shape[2] === 3) y = y.mean(2, true); // the model may tint a gray input slightly
    return y.round().clipByValue(0, 255).toInt();
  });
  upscaled.dispose();
  const colorOut = Uint8Array.from(await bytes.data());
  bytes.dispose();
  const outColor: RawImage = { data: colorOut, width: width * scale, height: height * scale, channels: color.channels };
  if (!alpha) return outColor;
  const alphaOut = await resizeAlpha(alpha, width, height, scale);
  const channels = (color.channels + 1) as 2 | 4;
  const data = new Uint8Array(outColor.width * outColor.height * channels);
  for (let p = 0, n = outColor.width * outColor.height; p < n; p++) {
    for (let c = 0; c < color.channels; c++) data[p * channels + c] = colorOut[p * color.channels + c]!;
    data[p * channels + color.channels] = alphaOut[p]!;
  }
  return { data, width: outColor.width, height: outColor.height, channels };
}

async function tensorToUint8(t: tf.Tensor3D): Promise<RawImage> {
  const bytes = tf.tidy(() => t.round().clipByValue(0, 255).toInt());
  const data = Uint8Array.from(await bytes.data());
  bytes.dispose();
  const [height, width, channels] = t.shape;
  return { data, width, height, channels: channels as RawImage['channels'] };
}

export interface UpscaleFileOptions {
  /** a run folder, or a pretrained name/id (esrgan-slim, esrgan-thick-x4) */
  model: string;
  scale?: number;
  format?: OutputFormat;
  quality?: number;
  tile?: number;
  /** accepted for the batch runner's sake; the caller picks the backend before calling */
  backend?: string;
  memoryBudgetBytes?: number;
}

export interface UpscaleFileResult {
  output: string;
  width: number;
  height: number;
  scale: number;
  model: string;
}

/** Decodes, upscales and writes one file atomically; a cancel leaves no output file. */
export async function upscaleFile(inputPath: string, outputPath: string, opts: UpscaleFileOptions, ctx: TaskContext): Promise<UpscaleFileResult> {
  const meta = await inspectInputImage(inputPath, UPSCALE_MAX_INPUT_PIXELS, 'upscale');
  const upscaler = await loadUpscaler(opts.model, opts.scale);
  if (opts.scale !== undefined && opts.scale !== upscaler.scale) {
    throw new AppError('INVALID_ARGUMENT', `${opts.model} upscales ×${upscaler.scale}, not ×${opts.scale}`);
  }
  const scaled = meta.width * meta.height * upscaler.scale ** 2;
  if (scaled > UPSCALE_MAX_OUTPUT_PIXELS) {
    throw new AppError('IMAGE_TOO_LARGE', `${inputPath} upscaled ×${upscaler.scale} would be ${(scaled / 1e6).toFixed(0)} MP, over the ${UPSCALE_MAX_OUTPUT_PIXELS / 2 ** 20} MP limit — crop it or use a smaller scale`);
  }
  let img: RawImage;
  try {
    img = await decodeImage(inputPath, { limitInputPixels: UPSCALE_MAX_INPUT_PIXELS });
  } catch (error) {
    throw new AppError('CORRUPT_IMAGE', `${inputPath} could not be decoded (${(error as Error).message})`);
  }
  const out = await upscaleImage(upscaler, img, { tile: opts.tile, memoryBudgetBytes: opts.memoryBudgetBytes }, ctx);
  const format = opts.format ?? formatFromPath(outputPath) ?? 'png';
  // the output stays in the input's colour space: it carries the same profile
  const encoded = await encodeImage({ ...out, icc: img.icc }, format, opts.quality ?? 90);
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new AppError('CANCELLED', 'cancelled');
  await writeFileDurable(resolve(outputPath), encoded);
  return { output: resolve(outputPath), width: out.width, height: out.height, scale: upscaler.scale, model: upscaler.id };
}
