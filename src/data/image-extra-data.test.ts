// Images carrying far more bytes than their pixels (issue #27): a 2000×2000 PNG with 400 MB of
// extra compressed data was stored, since only small PNGs had their image data measured. The
// bytes a file may hold per pixel are now bounded the same way at every size and for every format.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { inspectImage } from './validate.js';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Inserts a chunk right before IEND (an IDAT there follows the image's own IDATs). */
function withChunk(png: Buffer, type: string, data: Buffer): Buffer {
  const iend = png.length - 12;
  expect(png.toString('latin1', iend + 4, iend + 8)).toBe('IEND');
  return Buffer.concat([png.subarray(0, iend), chunk(type, data), png.subarray(iend)]);
}

const gray = (side: number) => sharp({ create: { width: side, height: side, channels: 3, background: '#777777' } }).toColourspace('b-w').png().toBuffer();

describe('bytes per pixel', () => {
  it('refuses extra compressed image data at 2000×2000 as it does at 200×200', async () => {
    const extra = randomBytes(8 * 1024 * 1024);
    for (const side of [200, 2000]) {
      const plain = await gray(side);
      expect((await inspectImage(plain, `plain-${side}.png`)).ok).toBe(true);
      const stuffed = await inspectImage(withChunk(plain, 'IDAT', extra), `stuffed-${side}.png`);
      expect(stuffed.ok, `${side}×${side}`).toBe(false);
      if (!stuffed.ok) expect(stuffed.code).toBe('CORRUPT_IMAGE');
    }
  });

  it('refuses a PNG whose ancillary chunks or a JPEG whose trailing bytes dwarf the pixels, at any size', async () => {
    const big = withChunk(await gray(2000), 'prVt', Buffer.alloc(24 * 1024 * 1024, 7));
    const png = await inspectImage(big, 'chunky.png');
    expect(png.ok).toBe(false);
    if (!png.ok) {
      expect(png.code).toBe('IMAGE_TOO_LARGE');
      expect(png.message).toMatch(/^chunky\.png: the file is 24\.\d MB, more than a 2000×2000 image can need \(at most \d+\.\d MB\): it carries extra data/);
    }
    const jpeg = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#abcdef' } }).jpeg().toBuffer();
    expect((await inspectImage(jpeg, 'ok.jpg')).ok).toBe(true);
    const tail = await inspectImage(Buffer.concat([jpeg, Buffer.alloc(17 * 1024 * 1024, 1)]), 'tail.jpg');
    expect(tail.ok).toBe(false);
    if (!tail.ok) expect(tail.code).toBe('IMAGE_TOO_LARGE');
  });
});
