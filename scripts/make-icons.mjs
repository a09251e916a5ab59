// Renders assets/icons/icon.svg into every icon the installers need: PNGs for Linux
// (16…512, named NxN.png as electron-builder expects), icon.ico (Windows; PNG entries 16…256)
// and icon.icns (macOS; PNG entries 16…512 and their @2x). The results are committed (small);
// rerun after editing the SVG: node scripts/make-icons.mjs [outDir]
import sharp from 'sharp';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// ICNS types holding PNG data, by pixel size (ic11–ic14 are the @2x variants of 16/32/128/256).
const ICNS_TYPES = [['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic11', 32], ['ic12', 64], ['ic13', 256]];

async function png(svg, size) {
  return sharp(svg, { density: Math.max(72, Math.ceil((72 * size) / 1024) * 2) }).resize(size, size).png({ compressionLevel: 9, palette: size <= 64 }).toBuffer();
}

/** ICO: a 6-byte header, 16-byte entries, then PNG images (Vista+ reads PNG entries). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt8(0, e + 2);
    header.writeUInt8(0, e + 3);
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

/** ICNS: 'icns' + total length, then (type, length, PNG) chunks. */
function icns(chunks) {
  const parts = chunks.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

export async function makeIcons(outDir = join(root, 'assets', 'icons')) {
  const svg = await readFile(join(root, 'assets', 'icons', 'icon.svg'));
  await mkdir(outDir, { recursive: true });
  const bySize = new Map();
  for (const size of new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])) bySize.set(size, await png(svg, size));
  for (const size of LINUX_SIZES) await writeFile(join(outDir, `${size}x${size}.png`), bySize.get(size));
  await writeFile(join(outDir, 'icon.ico'), ico(ICO_SIZES.map((size) => ({ size, data: bySize.get(size) }))));
  await writeFile(join(outDir, 'icon.icns'), icns(ICNS_TYPES.map(([type, size]) => ({ type, data: bySize.get(size) }))));
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await makeIcons(process.argv[2]);
  console.log(`icons written to ${out}`);
}
