// Colour profiles kept through processing. A photo in Adobe RGB (a camera's, a scanner's) is
// processed in its own space and written with the same ICC profile, instead of being converted to
// sRGB (which clips its gamut) and written without one. sharp can keep a profile from an input
// file (keepIccProfile) but cannot attach given bytes to raw pixels without converting them
// (withIccProfile transforms from sRGB), so the profile goes into the PNG container here, as an
// iCCP chunk, and sharp carries it on from there to JPEG or WebP.
import { crc32, deflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** chunks that say what colour space the pixels are in: only one of them may describe it */
const COLOUR_CHUNKS = new Set(['iCCP', 'sRGB', 'gAMA', 'cHRM', 'cICP']);

/** The colour space an ICC profile describes ('RGB', 'GRAY', 'CMYK', 'Lab'...), from its header. */
export function iccColourSpace(icc: Uint8Array): string | null {
  if (icc.length < 128 || Buffer.from(icc.subarray(36, 40)).toString('latin1') !== 'acsp') return null;
  return Buffer.from(icc.subarray(16, 20)).toString('latin1').trim();
}

/**
 * Whether pixels can stay in this profile's space: an RGB profile on a colour image. Anything
 * else (CMYK, Lab, gray profiles, which may turn into colour on the way) is converted to sRGB
 * on decode, as before.
 */
export function keepsOwnSpace(icc: Uint8Array | undefined, channels: number): boolean {
  return !!icc && (channels === 3 || channels === 4) && iccColourSpace(icc) === 'RGB';
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG with `icc` embedded (iCCP right after IHDR), any other colour-space chunk dropped. */
export function pngWithIccProfile(png: Buffer, icc: Uint8Array, name = 'ICC profile'): Buffer {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  const parts: Buffer[] = [PNG_SIGNATURE];
  let offset = 8;
  while (offset + 12 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (!COLOUR_CHUNKS.has(type)) parts.push(png.subarray(offset, end));
    if (type === 'IHDR') {
      // name (Latin-1, 1–79 bytes), NUL, compression method 0 (zlib), the compressed profile
      parts.push(chunk('iCCP', Buffer.concat([Buffer.from(name.slice(0, 79), 'latin1'), Buffer.from([0, 0]), deflateSync(icc)])));
    }
    offset = end;
  }
  return Buffer.concat(parts);
}
