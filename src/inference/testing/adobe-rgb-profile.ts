// Tests need a photo "from a camera set to Adobe RGB" without shipping a binary profile: this
// builds an ICC v2 matrix/TRC display profile with the Adobe RGB (1998) primaries (D50-adapted
// colorants), D65 media white and gamma 563/256, the numbers Adobe's specification publishes.
import sharp from 'sharp';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const s15 = (v: number) => Math.round(v * 65536);

function xyzTag(x: number, y: number, z: number): Buffer {
  const b = Buffer.alloc(20);
  b.write('XYZ ', 0, 'latin1');
  b.writeInt32BE(s15(x), 8);
  b.writeInt32BE(s15(y), 12);
  b.writeInt32BE(s15(z), 16);
  return b;
}

function descTag(text: string): Buffer {
  // textDescriptionType: ASCII part, then empty Unicode and ScriptCode parts
  const ascii = Buffer.from(`${text}\0`, 'latin1');
  const b = Buffer.alloc(12 + ascii.length + 8 + 3 + 67);
  b.write('desc', 0, 'latin1');
  b.writeUInt32BE(ascii.length, 8);
  ascii.copy(b, 12);
  return b;
}

function textTag(text: string): Buffer {
  const b = Buffer.alloc(8 + text.length + 1);
  b.write('text', 0, 'latin1');
  b.write(text, 8, 'latin1');
  return b;
}

function curveTag(gamma256: number): Buffer {
  const b = Buffer.alloc(14);
  b.write('curv', 0, 'latin1');
  b.writeUInt32BE(1, 8);
  b.writeUInt16BE(gamma256, 12);
  return b;
}

const pad4 = (b: Buffer) => (b.length % 4 ? Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]) : b);

/** An Adobe RGB (1998)-compatible ICC profile (about 500 bytes). */
export function adobeRgbProfile(): Buffer {
  const trc = curveTag(563);
  const tags: Array<[string, Buffer]> = [
    ['desc', descTag('Adobe RGB (1998) compatible (GAN Studio tests)')],
    ['cprt', textTag('No copyright, use freely')],
    ['wtpt', xyzTag(0.9505, 1.0, 1.0891)],
    ['rXYZ', xyzTag(0.60974, 0.31111, 0.01947)],
    ['gXYZ', xyzTag(0.20528, 0.62567, 0.06087)],
    ['bXYZ', xyzTag(0.14919, 0.06322, 0.74457)],
    ['rTRC', trc], ['gTRC', trc], ['bTRC', trc],
  ];
  const tableSize = 4 + tags.length * 12;
  const table = Buffer.alloc(tableSize);
  table.writeUInt32BE(tags.length, 0);
  const data: Buffer[] = [];
  let offset = 128 + tableSize;
  const placed = new Map<Buffer, number>();
  tags.forEach(([sig, body], i) => {
    let at = placed.get(body);
    if (at === undefined) {
      at = offset;
      placed.set(body, at);
      const padded = pad4(body);
      data.push(padded);
      offset += padded.length;
    }
    table.write(sig, 4 + i * 12, 'latin1');
    table.writeUInt32BE(at, 8 + i * 12);
    table.writeUInt32BE(body.length, 12 + i * 12);
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(offset, 0);
  header.writeUInt32BE(0x02100000, 8);
  header.write('mntrRGB XYZ ', 12, 'latin1');
  [1999, 6, 3, 0, 0, 0].forEach((v, i) => header.writeUInt16BE(v, 24 + i * 2));
  header.write('acsp', 36, 'latin1');
  header.writeInt32BE(s15(0.9642), 68);
  header.writeInt32BE(s15(1.0), 72);
  header.writeInt32BE(s15(0.8249), 76);
  return Buffer.concat([header, table, ...data]);
}

/** Saturated and mid-tone test pixels (RGB), where a conversion to sRGB moves values most. */
export function profileTestPixels(width: number, height: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / Math.max(1, width - 1);
      raw[i + 1] = (y * 255) / Math.max(1, height - 1);
      raw[i + 2] = ((x + y) * 37) % 256;
    }
  }
  return raw;
}

/**
 * A PNG "from a camera in Adobe RGB", made by libvips itself (sharp's withIccProfile converts the
 * given pixels into the profile and embeds it), and a PNG of exactly the same pixel values with no
 * profile at all: what processing must treat alike, value for value.
 */
export async function adobeRgbPng(dir: string, width: number, height: number): Promise<{ withProfile: Buffer; plain: Buffer; icc: Buffer; raw: Buffer }> {
  const icc = adobeRgbProfile();
  const iccPath = join(dir, 'adobe-rgb-test.icc');
  await writeFile(iccPath, icc);
  const withProfile = await sharp(profileTestPixels(width, height), { raw: { width, height, channels: 3 } }).withIccProfile(iccPath).png().toBuffer();
  const raw = await sharp(withProfile, { ignoreIcc: true }).raw().toBuffer();
  const plain = await sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer();
  return { withProfile, plain, icc, raw };
}
