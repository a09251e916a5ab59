// Is this file an image we can train on? Decided by magic bytes (never the extension), with the
// size read from the header before any pixel is decoded (decompression bombs), then a strict
// full decode (truncation, corruption). Every refusal has its own ErrorCode and a message that
// names the file and says what to do.
import sharp from 'sharp';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ErrorCode } from '../contract/errors.js';
import type { RawImage } from '../inference/image-io.js';
import { decodeBmp, readBmpHeader } from './bmp.js';
import { checkPng, maxDeflatedBytes, pngChannelKind, pngIdatBytes, pngRawBytes, readPngHeader } from './png-check.js';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff';
export type ChannelKind = 'gray' | 'graya' | 'rgb' | 'rgba';

export const DEFAULT_MAX_PIXELS = 40_000_000;
export const DEFAULT_MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Images at most this big on their longer side are their own gallery thumbnail. */
export const THUMB_SIZE = 256;

export interface ImageInfo {
  format: ImageFormat;
  /** after EXIF orientation */
  width: number;
  height: number;
  channels: ChannelKind;
  bitDepth: number;
  /** EXIF orientation, 1 when absent */
  orientation: number;
  animated: boolean;
  /**
   * The stored copy must be re-encoded as an 8-bit PNG rather than kept byte for byte: EXIF
   * rotation to apply, 16-bit samples, or a format browsers and the gallery do not show as-is.
   */
  normalise: boolean;
}

export type Refusal = { ok: false; code: ErrorCode; message: string };
/** `pixels` (8-bit, orientation applied) come back whenever the check had to decode them. */
export type Inspection = { ok: true; info: ImageInfo; pixels?: RawImage } | Refusal;

export type Sniff =
  | { kind: 'image'; format: ImageFormat }
  | { kind: 'zip' }
  | { kind: 'refused'; why: string; fix: string };

const SUPPORTED = 'PNG, JPEG, WebP, GIF, BMP or TIFF';

function startsWith(b: Uint8Array, bytes: number[], at = 0): boolean {
  return bytes.every((v, i) => b[at + i] === v);
}
function ascii(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1', from, Math.min(to, b.length));
}

/** What the first bytes of a file say it is. `name` only picks the wording for zip-based files. */
export function sniffFormat(head: Uint8Array, name = ''): Sniff {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', format: 'png' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return { kind: 'image', format: 'webp' };
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return { kind: 'image', format: 'gif' };
  if (ascii(head, 0, 2) === 'BM' && head.length >= 26) return { kind: 'image', format: 'bmp' };
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return { kind: 'image', format: 'tiff' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    if (/\.zip$/i.test(name)) return { kind: 'zip' };
    return {
      kind: 'refused',
      why: /\.(pt|pth|ckpt|bin|npz|keras|pkl)$/i.test(name) ? 'is a zip-based model/checkpoint file, not an image' : 'is a zip-based file (a model checkpoint or document), not an image',
      fix: `import images (${SUPPORTED}); rename real archives to .zip`,
    };
  }
  if (ascii(head, 0, 5) === '%PDF-') return { kind: 'refused', why: 'is a PDF document', fix: `export its pages as ${SUPPORTED} first` };
  if (head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5) {
    return { kind: 'refused', why: 'is a pickled Python object (a model or data file), which is never loaded because unpickling can run code', fix: `import images (${SUPPORTED})` };
  }
  if (startsWith(head, [0x89, 0x48, 0x44, 0x46])) return { kind: 'refused', why: 'is an HDF5 (Keras model) file, not an image', fix: `import images (${SUPPORTED})` };
  if (ascii(head, 4, 8) === 'ftyp' && /^(heic|heix|hevc|mif1|msf1|avif|avis)/.test(ascii(head, 8, 12))) {
    return { kind: 'refused', why: 'is a HEIC/AVIF image, which GAN Studio does not read', fix: 'convert it to JPEG or PNG (most photo apps can export)' };
  }
  const text = ascii(head, 0, 4096).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  if (text.startsWith('<') && text.includes('<svg')) {
    return { kind: 'refused', why: 'is an SVG vector drawing, not a bitmap image', fix: 'export it to PNG at the size you want to train on' };
  }
  if (startsWith(head, [0x1f, 0x8b]) || ascii(head, 0, 4) === 'Rar!' || startsWith(head, [0x37, 0x7a, 0xbc, 0xaf])) {
    return { kind: 'refused', why: 'is a gzip/rar/7z archive', fix: 'unpack it, or repack it as a .zip' };
  }
  return { kind: 'refused', why: 'is not an image GAN Studio reads', fix: `use ${SUPPORTED}` };
}

export function refusal(code: ErrorCode, name: string, text: string): Refusal {
  return { ok: false, code, message: `${name}: ${text}` };
}

function tooLarge(name: string, width: number, height: number, maxPixels: number): Refusal {
  const mp = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MP`;
  return refusal('IMAGE_TOO_LARGE', name, `${width}×${height} (${mp(width * height)}) is over the ${mp(maxPixels)} limit — downscale it, or raise the limit if you trust the file`);
}

/**
 * Room for metadata (ICC profiles, EXIF, XMP) on top of the pixels themselves. With the 1.5×
 * margin (GIF's LZW can grow data; JPEG at quality 100 on noise nears raw size) this bounds the
 * bytes per pixel of every format at every size: a file far bigger than its pixels can need is
 * carrying something else, and it is refused before any decode, as a small one always was.
 */
const METADATA_SLACK_BYTES = 16 * 1024 * 1024;

function beyondItsPixels(name: string, fileBytes: number, rawBytes: number, width: number, height: number): Refusal | null {
  const bound = Math.ceil(rawBytes * 1.5) + METADATA_SLACK_BYTES;
  if (fileBytes <= bound) return null;
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  return refusal('IMAGE_TOO_LARGE', name, `the file is ${mb(fileBytes)}, more than a ${width}×${height} image can need (at most ${mb(bound)}): it carries extra data — re-export the image`);
}

function kindOf(channels: number, hasAlpha: boolean): ChannelKind {
  const colour = channels - (hasAlpha ? 1 : 0);
  if (colour <= 1) return hasAlpha ? 'graya' : 'gray';
  return hasAlpha ? 'rgba' : 'rgb';
}

export interface InspectOptions {
  maxPixels?: number;
}

/**
 * Validates a whole file's bytes. Small plain PNGs are checked structurally by hand (fast path);
 * everything else is decoded in full by sharp with failOn 'error'.
 */
export async function inspectImage(buf: Uint8Array, name: string, options: InspectOptions = {}): Promise<Inspection> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (buf.length === 0) return refusal('EMPTY_FILE', name, 'the file is empty (0 bytes) — re-export or re-copy it');
  const sniff = sniffFormat(buf.subarray(0, 4096), name);
  if (sniff.kind === 'zip') return refusal('UNSUPPORTED_FORMAT', name, 'is a zip archive inside an import — import the archive itself, not an archive within one');
  if (sniff.kind === 'refused') return refusal('UNSUPPORTED_FORMAT', name, `${sniff.why} — ${sniff.fix}`);
  const format = sniff.format;

  if (format === 'png') {
    const header = readPngHeader(buf);
    if (!header) return refusal('CORRUPT_IMAGE', name, 'the PNG header is damaged — re-export the image');
    // Before a single pixel is inflated: the header's claim decides.
    if (header.width * header.height > maxPixels) return tooLarge(name, header.width, header.height, maxPixels);
    // extra compressed data after the image's own: refused at every size, as the fast check below does for small ones
    const idat = pngIdatBytes(buf);
    const raw = pngRawBytes(header);
    if (idat !== null && idat > maxDeflatedBytes(raw)) {
      return refusal('CORRUPT_IMAGE', name, `the PNG holds ${idat} bytes of compressed image data, more than its ${header.width}×${header.height} pixels can take (${maxDeflatedBytes(raw)}) — re-export the image`);
    }
    const excess = beyondItsPixels(name, buf.length, raw, header.width, header.height);
    if (excess) return excess;
    if (Math.max(header.width, header.height) <= THUMB_SIZE) {
      const check = checkPng(buf);
      if (check.ok === false) return refusal('CORRUPT_IMAGE', name, `${check.reason} — re-export or re-download the image`);
      if (check.ok === true) {
        return {
          ok: true,
          info: { format, width: header.width, height: header.height, channels: pngChannelKind(header, check.hasTransparency), bitDepth: 8, orientation: 1, animated: false, normalise: false },
        };
      }
    }
  }

  if (format === 'bmp') {
    const h = readBmpHeader(buf);
    if (!h) return refusal('CORRUPT_IMAGE', name, 'the BMP header is damaged — re-export the image as PNG');
    if (h.width * h.height > maxPixels) return tooLarge(name, h.width, h.height, maxPixels);
    const excess = beyondItsPixels(name, buf.length, Math.ceil((Math.abs(h.width) * Math.max(h.bitsPerPixel, 1)) / 32) * 4 * h.height + 1024, h.width, h.height);
    if (excess) return excess;
    try {
      const pixels = decodeBmp(buf);
      const info: ImageInfo = { format, width: pixels.width, height: pixels.height, channels: pixels.channels === 4 ? 'rgba' : 'rgb', bitDepth: 8, orientation: 1, animated: false, normalise: true };
      return { ok: true, info, pixels };
    } catch (error) {
      const msg = (error as Error).message;
      const code: ErrorCode = /not supported/.test(msg) ? 'UNSUPPORTED_FORMAT' : 'CORRUPT_IMAGE';
      return refusal(code, name, `${msg} — re-export the image as PNG`);
    }
  }

  const input = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata(); // header only
  } catch (error) {
    return refusal('CORRUPT_IMAGE', name, `the ${format.toUpperCase()} header cannot be read (${firstLine(error)}) — re-export or re-download the image`);
  }
  const orientation = meta.orientation ?? 1;
  const rawWidth = meta.width ?? 0;
  const rawHeight = meta.pageHeight ?? meta.height ?? 0;
  if (rawWidth * rawHeight > maxPixels) return tooLarge(name, rawWidth, rawHeight, maxPixels);
  const bytesPerSample = meta.depth === 'ushort' || meta.depth === 'short' ? 2 : meta.depth === 'float' || meta.depth === 'uint' || meta.depth === 'int' ? 4 : meta.depth === 'double' ? 8 : 1;
  const rawBytes = rawWidth * rawHeight * Math.max(1, meta.pages ?? 1) * Math.max(1, meta.channels ?? 4) * bytesPerSample;
  const excess = beyondItsPixels(name, buf.length, rawBytes, rawWidth, rawHeight);
  if (excess) return excess;
  const swap = orientation >= 5;
  const width = swap ? rawHeight : rawWidth;
  const height = swap ? rawWidth : rawHeight;
  const bitDepth = meta.depth === 'ushort' || meta.depth === 'short' ? 16 : meta.depth === 'float' ? 32 : 8;
  const animated = (meta.pages ?? 1) > 1;
  const channels = meta.space === 'cmyk' ? (meta.hasAlpha ? 'rgba' : 'rgb') : kindOf(meta.channels ?? 3, meta.hasAlpha ?? false);
  const normalise = orientation !== 1 || bitDepth !== 8 || format === 'gif' || format === 'tiff' || animated || meta.space === 'cmyk';

  let pixels: RawImage | undefined;
  try {
    // The full decode is the truncation/corruption check; only the first frame of animations.
    let pipeline = sharp(input, { failOn: 'error', limitInputPixels: maxPixels, pages: 1 }).rotate();
    if (meta.space === 'cmyk') pipeline = pipeline.toColourspace('srgb');
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    pixels = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
  } catch (error) {
    const msg = firstLine(error);
    if (/pixel limit/i.test(msg)) return tooLarge(name, rawWidth, rawHeight, maxPixels);
    return refusal('CORRUPT_IMAGE', name, `the ${format.toUpperCase()} data is truncated or corrupted (${msg}) — re-export or re-download the image`);
  }
  return { ok: true, info: { format, width, height, channels, bitDepth, orientation, animated, normalise }, ...(pixels ? { pixels } : {}) };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
}

export interface ValidateOptions extends InspectOptions {
  maxFileBytes?: number;
}

const SYNC_READ_BYTES = 1024 * 1024;

function readError(error: unknown, name: string): Refusal {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return refusal('UNREADABLE_FILE', name, 'the file disappeared before it could be read — check it still exists and import again');
  return refusal('UNREADABLE_FILE', name, `the file cannot be read (${code ?? firstLine(error)}) — check its permissions (e.g. chmod a+r) and import again`);
}

function checkStat(st: { isFile(): boolean; size: number }, name: string, maxFileBytes: number): Refusal | null {
  if (!st.isFile()) return refusal('UNREADABLE_FILE', name, 'is not a regular file — import the image files themselves');
  if (st.size === 0) return refusal('EMPTY_FILE', name, 'the file is empty (0 bytes) — re-export or re-copy it');
  if (st.size > maxFileBytes) return refusal('IMAGE_TOO_LARGE', name, `the file is ${Math.round(st.size / 2 ** 20)} MB, over the ${Math.round(maxFileBytes / 2 ** 20)} MB limit per image — downscale or recompress it`);
  return null;
}

/**
 * Reads a file's bytes, mapping file-system failures to their own codes. Files the caller
 * expects to be small are read synchronously: for the typical few-KB image that is several
 * times faster than a trip through the thread pool, and the blocking is microseconds.
 */
export async function readImageFile(path: string, maxFileBytes = DEFAULT_MAX_FILE_BYTES, name = basename(path), expectedSize?: number): Promise<{ ok: true; bytes: Buffer } | Refusal> {
  if (expectedSize !== undefined && expectedSize <= SYNC_READ_BYTES) {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      return readError(error, name);
    }
    try {
      const st = fstatSync(fd);
      const bad = checkStat(st, name, maxFileBytes);
      if (bad) return bad;
      if (st.size <= SYNC_READ_BYTES) {
        const bytes = Buffer.allocUnsafe(st.size);
        let got = 0;
        while (got < st.size) {
          const n = readSync(fd, bytes, got, st.size - got, got);
          if (n === 0) break;
          got += n;
        }
        return { ok: true, bytes: got === st.size ? bytes : bytes.subarray(0, got) };
      }
    } catch (error) {
      return readError(error, name);
    } finally {
      closeSync(fd);
    }
  }
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return readError(error, name);
  }
  try {
    const bad = checkStat(await handle.stat(), name, maxFileBytes);
    if (bad) return bad;
    return { ok: true, bytes: await handle.readFile() };
  } catch (error) {
    return readError(error, name);
  } finally {
    await handle.close();
  }
}

/** Validates one image file (used by import, batch and upscale). */
export async function validateImageFile(path: string, options: ValidateOptions = {}): Promise<{ ok: true; info: ImageInfo } | Refusal> {
  const read = await readImageFile(path, options.maxFileBytes);
  if (!read.ok) return read;
  const result = await inspectImage(read.bytes, basename(path), { maxPixels: options.maxPixels });
  return result.ok ? { ok: true, info: result.info } : result;
}
