// PNG read by hand: the header (IHDR) for dimensions before anything is decoded, and a fast
// structural check for small, plain PNGs (every chunk's CRC, IEND present, the image data
// inflating to exactly the size the header promises, valid row filters). That catches the same
// truncation and corruption a full libpng decode does, at a fraction of the cost, which is what
// lets an import of thousands of small PNGs run at disk speed. Anything unusual goes to sharp.
import { crc32, inflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA */
  colorType: number;
  interlaced: boolean;
}

/** IHDR of a PNG buffer, or null when the header itself is missing or malformed. */
export function readPngHeader(buf: Uint8Array): PngHeader | null {
  if (buf.length < 33) return null;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  if (!b.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return {
    width: b.readUInt32BE(16),
    height: b.readUInt32BE(20),
    bitDepth: b[24]!,
    colorType: b[25]!,
    interlaced: b[28] === 1,
  };
}

const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function pngChannelKind(h: PngHeader, hasTransparencyChunk: boolean): 'gray' | 'graya' | 'rgb' | 'rgba' {
  switch (h.colorType) {
    case 0: return hasTransparencyChunk ? 'graya' : 'gray';
    case 4: return 'graya';
    case 6: return 'rgba';
    default: return hasTransparencyChunk ? 'rgba' : 'rgb';
  }
}

export type PngCheck =
  | { ok: true; header: PngHeader; hasTransparency: boolean }
  /** the file is a PNG the fast check does not handle (interlaced, 16-bit, EXIF, animated): decode it */
  | { ok: 'slow-path'; header: PngHeader }
  | { ok: false; reason: string };

/**
 * Structural check of a whole PNG file. Returns 'slow-path' for PNGs it does not judge itself.
 * Callers have already checked the pixel cap against the header.
 */
export function checkPng(buf: Uint8Array): PngCheck {
  const header = readPngHeader(buf);
  if (!header) return { ok: false, reason: 'the PNG header (IHDR) is missing or malformed' };
  const samples = SAMPLES[header.colorType];
  if (!samples || ![1, 2, 4, 8, 16].includes(header.bitDepth)) return { ok: false, reason: `the PNG header has an invalid colour type ${header.colorType} / bit depth ${header.bitDepth}` };
  if (header.width === 0 || header.height === 0) return { ok: false, reason: 'the PNG header says the image is 0 pixels wide or high' };
  if (header.interlaced || header.bitDepth !== 8) return { ok: 'slow-path', header };

  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const idat: Buffer[] = [];
  let hasTransparency = false;
  let sawIend = false;
  let pos = 8;
  while (pos < b.length) {
    if (pos + 12 > b.length) return { ok: false, reason: 'the file ends in the middle of a PNG chunk (truncated)' };
    const len = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + len;
    if (len > 0x7fffffff || end > b.length) return { ok: false, reason: `the file ends inside the PNG ${type.replace(/[^\x20-\x7e]/g, '?')} chunk (truncated)` };
    if (crc32(b.subarray(pos + 4, pos + 8 + len)) !== b.readUInt32BE(pos + 8 + len)) {
      return { ok: false, reason: `the PNG ${type.replace(/[^\x20-\x7e]/g, '?')} chunk fails its checksum (corrupted data)` };
    }
    if (type === 'IDAT') idat.push(b.subarray(pos + 8, pos + 8 + len));
    else if (type === 'tRNS') hasTransparency = true;
    else if (type === 'eXIf' || type === 'acTL') return { ok: 'slow-path', header }; // orientation / animation
    else if (type === 'IEND') {
      sawIend = true;
      break;
    }
    pos = end;
  }
  if (!sawIend) return { ok: false, reason: 'the PNG has no end marker (truncated)' };
  if (!idat.length) return { ok: false, reason: 'the PNG has no image data' };

  const rowBytes = Math.ceil((header.width * samples * header.bitDepth) / 8);
  const expected = (rowBytes + 1) * header.height;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch {
    return { ok: false, reason: 'the PNG image data does not decompress (truncated or corrupted)' };
  }
  if (raw.length !== expected) return { ok: false, reason: `the PNG image data holds ${raw.length} bytes where ${expected} were expected (truncated or corrupted)` };
  for (let row = 0; row < header.height; row++) {
    if (raw[row * (rowBytes + 1)]! > 4) return { ok: false, reason: `the PNG row ${row} has an invalid filter (corrupted data)` };
  }
  return { ok: true, header, hasTransparency };
}

/** Bytes of the filtered image data a PNG's header promises (Adam7 adds a filter byte per pass row). */
export function pngRawBytes(h: PngHeader): number {
  const samples = SAMPLES[h.colorType] ?? 4;
  const rowBytes = Math.ceil((h.width * samples * h.bitDepth) / 8);
  return (rowBytes + 1) * h.height + (h.interlaced ? 7 * (h.height + 8) : 0);
}

/** The most a zlib stream of `raw` bytes can take: stored blocks of at least 16 KiB, 5 bytes each, plus framing. */
export function maxDeflatedBytes(raw: number): number {
  return raw + 5 * Math.ceil(raw / 16384) + 64;
}

/**
 * Total IDAT bytes of a PNG from its chunk lengths alone (no CRC, no inflate: cheap at any
 * size); null when the chunk walk breaks, which the full check reports in its own words.
 */
export function pngIdatBytes(buf: Uint8Array): number | null {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  let total = 0;
  for (let pos = 8; pos + 12 <= b.length;) {
    const len = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    if (type === 'IDAT') total += len;
    if (type === 'IEND') return total;
    pos += 12 + len;
  }
  return null;
}
