// Test images made on the fly (never committed): good ones in every format, and the bad ones
// validation must refuse. Used by the data tests.
import sharp from 'sharp';
import { crc32, deflateRawSync } from 'node:zlib';

type Rgb = { r: number; g: number; b: number };

/** A w×h image with a gradient (so no two sizes/seeds hash alike). */
export function gradientRaw(w: number, h: number, channels: 3 | 4, seed = 0): Buffer {
  const out = Buffer.alloc(w * h * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * channels;
      out[o] = (x * 255) / Math.max(1, w - 1);
      out[o + 1] = (y * 255) / Math.max(1, h - 1);
      out[o + 2] = (seed * 37) & 255;
      if (channels === 4) out[o + 3] = x < w / 2 ? 255 : 128;
    }
  }
  out[1] = (seed >> 8) & 255; // with the blue channel above: distinct images for seeds < 65536
  return out;
}

export async function makeImage(format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff', w = 32, h = 24, options: { seed?: number; channels?: 3 | 4; gray?: boolean; orientation?: number; bit16?: boolean; palette?: boolean } = {}): Promise<Buffer> {
  const channels = options.channels ?? 3;
  let p = sharp(gradientRaw(w, h, channels, options.seed), { raw: { width: w, height: h, channels } });
  if (options.gray) p = p.toColourspace('b-w');
  if (options.bit16) p = p.toColourspace('rgb16');
  if (options.orientation) p = p.withMetadata({ orientation: options.orientation });
  if (format === 'png') return p.png({ palette: options.palette ?? false }).toBuffer();
  if (format === 'jpeg') return p.jpeg().toBuffer();
  if (format === 'webp') return p.webp().toBuffer();
  if (format === 'gif') return p.gif().toBuffer();
  return p.tiff().toBuffer();
}

/** An uncompressed 24-bit BMP, bottom-up, built by hand. */
export function makeBmp(w: number, h: number, color: Rgb = { r: 200, g: 100, b: 50 }): Buffer {
  const stride = Math.ceil((w * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + stride * h);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(w, 18);
  buf.writeInt32LE(h, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = 54 + y * stride + x * 3;
      buf[o] = color.b;
      buf[o + 1] = color.g;
      buf[o + 2] = y === 0 ? 0 : color.r; // bottom row differs: checks row order
    }
  }
  return buf;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG whose (valid, CRC-correct) header claims w×h, followed by a few bytes of data. */
export function pngBombHeader(w = 20000, h = 20000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x00])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const SVG = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n');
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
/** The start of a pickle stream (protocol 4), as torch.save / pickle.dump write. */
export const PICKLE = Buffer.from([0x80, 0x04, 0x95, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7d, 0x94, 0x2e]);

export async function truncatedJpeg(): Promise<Buffer> {
  const full = await makeImage('jpeg', 128, 96, { seed: 3 });
  return full.subarray(0, Math.floor(full.length * 0.6));
}

/**
 * A zip written by hand (stored or deflated entries, unix modes), so tests can also make the
 * archives a careful writer refuses to: `../` names, symlinks, 20,000 entries in milliseconds.
 */
// the same Buffer repeated in many entries (zip-bomb tests) is compressed once
const deflateMemo = new WeakMap<Buffer, Buffer>();
function deflated(data: Buffer): Buffer {
  let body = deflateMemo.get(data);
  if (!body) deflateMemo.set(data, (body = deflateRawSync(data)));
  return body;
}

export function makeZip(entries: Array<{ name: string; data: Buffer; mode?: number; compress?: boolean }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const compress = e.compress ?? true;
    const body = compress ? deflated(e.data) : e.data;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(compress ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(compress ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
