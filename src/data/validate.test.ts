import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { inspectImage, sniffFormat } from './validate.js';
import { makeBmp, makeImage, pngBombHeader, PDF, PICKLE, SVG, truncatedJpeg } from './testing/corpus.js';

describe('validation', () => {
  it('accepts every supported format and reports size and channels', async () => {
    const cases: Array<[Buffer, string, Record<string, unknown>]> = [
      [await makeImage('png', 32, 24), 'png', { width: 32, height: 24, channels: 'rgb', normalise: false }],
      [await makeImage('png', 32, 24, { channels: 4 }), 'png', { channels: 'rgba' }],
      [await makeImage('png', 32, 24, { gray: true }), 'png', { channels: 'gray' }],
      [await makeImage('png', 32, 24, { palette: true }), 'png', { normalise: false }],
      [await makeImage('png', 32, 24, { bit16: true }), 'png', { bitDepth: 16, normalise: true }],
      [await makeImage('png', 300, 20), 'png', { width: 300, normalise: false }],
      [await makeImage('jpeg', 40, 20, { orientation: 6 }), 'jpeg', { width: 20, height: 40, orientation: 6, normalise: true }],
      [await makeImage('webp'), 'webp', { normalise: false }],
      [await makeImage('gif'), 'gif', { normalise: true }],
      [await makeImage('tiff'), 'tiff', { normalise: true }],
      [makeBmp(7, 5), 'bmp', { width: 7, height: 5, channels: 'rgb', normalise: true }],
    ];
    for (const [buf, format, expected] of cases) {
      const r = await inspectImage(buf, `x.${format}`);
      expect(r, format).toMatchObject({ ok: true, info: { format, ...expected } });
    }
  });

  it('decodes BMP rows in the right order', async () => {
    const r = await inspectImage(makeBmp(3, 2), 'a.bmp');
    if (!r.ok) throw new Error(r.message);
    expect(Array.from(r.pixels!.data.subarray(0, 3))).toEqual([200, 100, 50]); // top row
    expect(r.pixels!.data[3 * 3 * 1]).toBe(0); // bottom row (first in the file) has r = 0
  });

  it('refuses each bad file with its own code and names the file', async () => {
    const cases: Array<[Buffer, string, string, RegExp]> = [
      [Buffer.alloc(0), 'empty.png', 'EMPTY_FILE', /empty/],
      [await truncatedJpeg(), 'cut.jpg', 'CORRUPT_IMAGE', /truncated|corrupt/],
      [(await makeImage('png', 64, 64)).subarray(0, 200), 'cut.png', 'CORRUPT_IMAGE', /truncated/],
      [pngBombHeader(), 'bomb.png', 'IMAGE_TOO_LARGE', /20000×20000.*40 MP/],
      [SVG, 'drawing.png', 'UNSUPPORTED_FORMAT', /SVG/],
      [PDF, 'doc.png', 'UNSUPPORTED_FORMAT', /PDF/],
      [PICKLE, 'model.pkl', 'UNSUPPORTED_FORMAT', /pickle/],
      [Buffer.from('PK\x03\x04rest-of-a-torch-checkpoint'), 'model.pt', 'UNSUPPORTED_FORMAT', /model/],
      [Buffer.from('hello world'), 'notes.png', 'UNSUPPORTED_FORMAT', /not an image/],
    ];
    for (const [buf, name, code, text] of cases) {
      const r = await inspectImage(buf, name);
      expect(r, name).toMatchObject({ ok: false, code });
      if (!r.ok) {
        expect(r.message.startsWith(`${name}:`)).toBe(true);
        expect(r.message).toMatch(text);
        expect(r.message).toMatch(/ — /); // says what to do
      }
    }
  });

  it('refuses a bomb from the header alone, a corrupted chunk by its checksum, and honours the cap', async () => {
    const png = await makeImage('png', 64, 64);
    const flipped = Buffer.from(png);
    flipped[png.length - 20] ^= 0xff; // inside the last IDAT
    expect(await inspectImage(flipped, 'f.png')).toMatchObject({ ok: false, code: 'CORRUPT_IMAGE' });
    expect(await inspectImage(png, 'f.png', { maxPixels: 1000 })).toMatchObject({ ok: false, code: 'IMAGE_TOO_LARGE' });
    const bigJpeg = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#123' } }).jpeg().toBuffer();
    expect(await inspectImage(bigJpeg, 'b.jpg', { maxPixels: 1_000_000 })).toMatchObject({ ok: false, code: 'IMAGE_TOO_LARGE' });
    expect(sniffFormat(Buffer.from('PK\x03\x04'), 'photos.zip')).toEqual({ kind: 'zip' });
  });
});
