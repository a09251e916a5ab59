// BMP by hand: sharp's prebuilt libvips has no BMP loader. Covers what cameras, scanners and
// Paint write: uncompressed 1/4/8-bit palette, 24-bit, and 32-bit (plain or standard bitfields).
// Compressed (RLE) BMPs are refused with a clear message instead.
import type { RawImage } from './image-io.js';

export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  compression: number;
  dataOffset: number;
  headerSize: number;
  topDown: boolean;
}

export function readBmpHeader(buf: Uint8Array): BmpHeader | null {
  if (buf.length < 26 || buf[0] !== 0x42 || buf[1] !== 0x4d) return null;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const headerSize = b.readUInt32LE(14);
  if (headerSize === 12) {
    return { width: b.readUInt16LE(18), height: b.readUInt16LE(20), bitsPerPixel: b.readUInt16LE(24), compression: 0, dataOffset: b.readUInt32LE(10), headerSize, topDown: false };
  }
  if (headerSize < 40 || b.length < 14 + 40) return null;
  const rawHeight = b.readInt32LE(22);
  return {
    width: b.readInt32LE(18),
    height: Math.abs(rawHeight),
    bitsPerPixel: b.readUInt16LE(28),
    compression: b.readUInt32LE(30),
    dataOffset: b.readUInt32LE(10),
    headerSize,
    topDown: rawHeight < 0,
  };
}

/** Decodes to 8-bit RGB or RGBA. Throws an Error whose message says what is wrong. */
export function decodeBmp(buf: Uint8Array): RawImage {
  const h = readBmpHeader(buf);
  if (!h || h.width <= 0 || h.height <= 0) throw new Error('the BMP header is malformed');
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const { width, height, bitsPerPixel: bpp } = h;
  const bitfields = h.compression === 3 && bpp === 32;
  if (h.compression !== 0 && !bitfields) throw new Error(`compressed BMPs (compression ${h.compression}) are not supported`);
  if (![1, 4, 8, 24, 32].includes(bpp)) throw new Error(`${bpp}-bit BMPs are not supported`);
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (h.dataOffset + stride * height > b.length) throw new Error('the file ends before the BMP pixel data does (truncated)');

  let palette: Buffer | null = null;
  if (bpp <= 8) {
    const entrySize = h.headerSize === 12 ? 3 : 4;
    const start = 14 + h.headerSize;
    palette = b.subarray(start, Math.min(h.dataOffset, start + entrySize * (1 << bpp)));
    if (entrySize === 3) throw new Error('OS/2 palette BMPs are not supported');
  }
  // Alpha only when 32-bit data actually uses it (many writers leave it all zero).
  let masks = { r: 0x00ff0000, g: 0x0000ff00, b: 0x000000ff, a: 0xff000000 };
  if (bitfields) {
    masks = { r: b.readUInt32LE(54), g: b.readUInt32LE(58), b: b.readUInt32LE(62), a: h.headerSize >= 56 ? b.readUInt32LE(66) : 0 };
    if (masks.r !== 0x00ff0000 || masks.g !== 0x0000ff00 || masks.b !== 0x000000ff) throw new Error('BMPs with unusual bit masks are not supported');
  }
  let hasAlpha = false;
  if (bpp === 32 && masks.a) {
    for (let y = 0; y < height && !hasAlpha; y++) {
      const row = h.dataOffset + y * stride;
      for (let x = 0; x < width; x++) if (b[row + x * 4 + 3] !== 0) (hasAlpha = true);
    }
  }
  const channels = hasAlpha ? 4 : 3;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const srcRow = h.dataOffset + (h.topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      if (bpp <= 8) {
        const bitPos = x * bpp;
        const byte = b[srcRow + (bitPos >> 3)]!;
        const index = (byte >> (8 - bpp - (bitPos & 7))) & ((1 << bpp) - 1);
        if ((index + 1) * 4 > palette!.length) throw new Error('the BMP uses a colour outside its palette (corrupted)');
        out[o] = palette![index * 4 + 2]!;
        out[o + 1] = palette![index * 4 + 1]!;
        out[o + 2] = palette![index * 4]!;
      } else {
        const p = srcRow + x * (bpp / 8);
        out[o] = b[p + 2]!;
        out[o + 1] = b[p + 1]!;
        out[o + 2] = b[p]!;
        if (hasAlpha) out[o + 3] = b[p + 3]!;
      }
    }
  }
  return { data: out, width, height, channels };
}
