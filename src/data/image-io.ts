// Pictures in and out of tensors, through sharp. Every image the app reads or writes goes
// through here so EXIF orientation, gray/alpha handling and output formats are decided once.
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { stat } from 'node:fs/promises';
import { AppError } from '../contract/errors.js';
import { writeFileDurable } from '../common/durable-write.js';
import { keepsOwnSpace, pngWithIccProfile } from './icc-profile.js';

export type OutputFormat = 'png' | 'jpg' | 'webp';

/** The format a file name asks for (`.jpeg` is jpg), or null when it names none we write. */
export function formatFromPath(path: string): OutputFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.png')) return 'png';
  if (lower.endsWith('.jpg') || lower.endsWith('.jpeg')) return 'jpg';
  if (lower.endsWith('.webp')) return 'webp';
  return null;
}

export interface RawImage {
  /** interleaved 8-bit pixels, row-major */
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  /** the ICC profile the pixels are in (an RGB profile the input embedded); absent: sRGB */
  icc?: Buffer;
}

/**
 * Decodes any supported image with EXIF orientation applied, keeping its channel count. An RGB
 * image with an embedded RGB profile (Adobe RGB, Display P3...) stays in its own space and the
 * profile comes along in `icc` (encodeImage embeds it again); anything else is converted to sRGB.
 */
export async function decodeImage(input: string | Buffer, options: { limitInputPixels?: number } = {}): Promise<RawImage> {
  const limits = { failOn: 'error' as const, limitInputPixels: options.limitInputPixels ?? 40_000_000 };
  const meta = await sharp(input, limits).metadata();
  const icc = keepsOwnSpace(meta.icc, meta.channels ?? 0) ? meta.icc : undefined;
  const { data, info } = await sharp(input, { ...limits, ignoreIcc: !!icc })
    .rotate()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const img: RawImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
  return icc ? { ...img, icc } : img;
}

/** uint8 HWC → float32 tensor [H, W, C] in [lo, hi] (default [-1, 1], the training range). */
export function rawToTensor(img: RawImage, range: [number, number] = [-1, 1]): tf.Tensor3D {
  const [lo, hi] = range;
  return tf.tidy(() =>
    tf.tensor3d(img.data, [img.height, img.width, img.channels], 'int32').toFloat().mul((hi - lo) / 255).add(lo),
  );
}

/** float tensor [H, W, C] in [lo, hi] → uint8 HWC (clamped, rounded). */
export async function tensorToRaw(t: tf.Tensor3D, range: [number, number] = [-1, 1]): Promise<RawImage> {
  const [lo, hi] = range;
  const [height, width, channels] = t.shape;
  const bytes = tf.tidy(() => t.sub(lo).mul(255 / (hi - lo)).round().clipByValue(0, 255).toInt());
  const data = Uint8Array.from(await bytes.data());
  bytes.dispose();
  return { data, width, height, channels: channels as RawImage['channels'] };
}

/** Encodes raw pixels to a buffer in the chosen format, embedding `img.icc` when it fits them. */
export async function encodeImage(img: RawImage, format: OutputFormat = 'png', quality = 90): Promise<Buffer> {
  let pipeline = sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: img.channels },
  });
  if (img.icc && keepsOwnSpace(img.icc, img.channels)) {
    // the profile rides in a PNG (icc-profile.ts says why); keepIccProfile carries it on unconverted
    const png = pngWithIccProfile(await pipeline.png({ compressionLevel: format === 'png' ? 6 : 0 }).toBuffer(), img.icc);
    if (format === 'png') return png;
    pipeline = sharp(png).keepIccProfile();
  }
  if (format === 'jpg') return pipeline.jpeg({ quality, mozjpeg: false }).toBuffer();
  if (format === 'webp') return pipeline.webp({ quality }).toBuffer();
  return pipeline.png({ compressionLevel: 6 }).toBuffer();
}

export async function writeTensorImage(path: string, t: tf.Tensor3D, options: { range?: [number, number]; format?: OutputFormat; quality?: number } = {}): Promise<void> {
  const raw = await tensorToRaw(t, options.range ?? [-1, 1]);
  await writeFileDurable(path, await encodeImage(raw, options.format ?? 'png', options.quality ?? 90));
}

/**
 * Lays out a batch [N, H, W, C] as one grid image [rows·H + pads, cols·W + pads, C] with a
 * `pad`-pixel border of `padValue`, row by row.
 */
export function makeGrid(batch: tf.Tensor4D, cols?: number, pad = 2, padValue = 1): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, h, w, c] = batch.shape;
    const columns = cols ?? Math.ceil(Math.sqrt(n));
    const rows = Math.ceil(n / columns);
    const filler = rows * columns - n;
    let all = batch as tf.Tensor4D;
    if (filler > 0) all = tf.concat([all, tf.fill([filler, h, w, c], padValue) as tf.Tensor4D]);
    const padded = tf.pad(all, [[0, 0], [pad, 0], [pad, 0], [0, 0]], padValue) as tf.Tensor4D;
    const ph = h + pad;
    const pw = w + pad;
    const grid = padded
      .reshape([rows, columns, ph, pw, c])
      .transpose([0, 2, 1, 3, 4])
      .reshape([rows * ph, columns * pw, c]);
    return tf.pad(grid, [[0, pad], [0, pad], [0, 0]], padValue) as tf.Tensor3D;
  });
}


/**
 * Checks an input file before any model is loaded or pixels decoded: it exists, sharp can read
 * its header, and it is within `maxPixels`. Upscale and stylize share these refusals and texts.
 */
export async function inspectInputImage(path: string, maxPixels: number, what: string): Promise<{ width: number; height: number }> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new AppError('NOT_FOUND', `${path} is not a readable file`);
  let meta;
  try {
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new AppError('UNSUPPORTED_FORMAT', `${path} is not an image sharp can read (${(error as Error).message})`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > maxPixels) {
    throw new AppError('IMAGE_TOO_LARGE', `${path} is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} MP), over the ${maxPixels / 2 ** 20} MP ${what} limit — shrink or crop it first`);
  }
  return { width, height };
}
