// Colour kept: an Adobe RGB input is processed in its own space and written with the same profile,
// by upscale, stylize, batch and compare, in PNG, JPEG and WebP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import { decodeImage, encodeImage } from '../data/image-io.js';
import { iccColourSpace } from '../data/icc-profile.js';
import { adobeRgbPng } from './testing/adobe-rgb-profile.js';
import { outputName } from '../jobs/batch/plan.js';

const W = 24;
const H = 16;
let root: string;
let photo: Awaited<ReturnType<typeof adobeRgbPng>>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-icc-'));
  photo = await adobeRgbPng(root, W, H);
  await mkdir(join(root, 'in'));
  await writeFile(join(root, 'in', 'adobe.png'), photo.withProfile);
  await writeFile(join(root, 'in', 'plain.png'), photo.plain);
  await mkdir(join(root, 'jpg'));
  await sharp(photo.withProfile).keepIccProfile().jpeg({ quality: 95 }).toFile(join(root, 'jpg', 'camera.jpg'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function cli(args: string[]) {
  const lines: string[] = [];
  const code = await main([...args, '--workspace', join(root, 'ws')], { out: (l) => lines.push(l), err: (l) => lines.push(l), tty: false });
  return { code, all: lines.join('\n') };
}

/** The file's pixel values as stored (no conversion) and its profile. */
async function stored(path: string | Buffer) {
  const [pixels, meta] = await Promise.all([sharp(path, { ignoreIcc: true }).raw().toBuffer(), sharp(path).metadata()]);
  return { pixels, icc: meta.icc };
}

function maxDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('ICC profiles', () => {
  it('the test photo embeds the Adobe RGB profile, and converting it to sRGB would shift its pixels', async () => {
    const meta = await sharp(photo.withProfile).metadata();
    expect(meta.icc?.equals(photo.icc)).toBe(true);
    expect(iccColourSpace(photo.icc)).toBe('RGB');
    const converted = await sharp(photo.withProfile).raw().toBuffer();
    expect(maxDiff(converted, photo.raw)).toBeGreaterThan(10);
  });

  it('decodeImage keeps the pixels and the profile; encodeImage embeds it in PNG, JPEG and WebP', async () => {
    const img = await decodeImage(photo.withProfile);
    expect(img.icc?.equals(photo.icc)).toBe(true);
    expect(maxDiff(img.data, photo.raw)).toBe(0);
    expect((await decodeImage(photo.plain)).icc).toBeUndefined();
    for (const format of ['png', 'jpg', 'webp'] as const) {
      const withIcc = await stored(await encodeImage(img, format, 90));
      const without = await stored(await encodeImage({ ...img, icc: undefined }, format, 90));
      expect(withIcc.icc?.equals(photo.icc), format).toBe(true);
      expect(without.icc, format).toBeUndefined();
      // the same encoder saw the same values: the profile changed nothing but the label
      expect(maxDiff(withIcc.pixels, without.pixels), format).toBe(0);
    }
  });

  it('upscale writes each format with the input\'s profile and the pixels a profile-less input gives', async () => {
    for (const format of ['png', 'jpg', 'webp'] as const) {
      const out = join(root, `up-${format}`);
      const r = await cli(['upscale', '--model', 'esrgan-slim', '--scale', '2', '--backend', 'wasm', '--format', format, join(root, 'in'), '--out', out]);
      expect(r.code, r.all).toBe(0);
      // the batch's naming (issue #22): the folder is the root, `adobe.png` → `adobe.png.jpg`; this
      // test read `in/adobe.jpg` before upscale became a client of batch:start
      const kept = await stored(join(out, outputName('adobe.png', format)));
      const plain = await stored(join(out, outputName('plain.png', format)));
      expect(kept.icc?.equals(photo.icc), format).toBe(true);
      expect(plain.icc, format).toBeUndefined();
      expect(maxDiff(kept.pixels, plain.pixels), format).toBe(0);
    }
    // a camera JPEG keeps its profile through a JPEG output too
    const r = await cli(['upscale', '--model', 'esrgan-slim', '--backend', 'wasm', join(root, 'jpg', 'camera.jpg'), '--out', join(root, 'up-camera')]);
    expect(r.code, r.all).toBe(0);
    expect((await stored(join(root, 'up-camera', 'camera.jpg'))).icc?.equals(photo.icc)).toBe(true);
  }, 120_000);

  it('batch and compare keep it', async () => {
    const b = await cli(['batch', '--task', 'superres', '--model', 'esrgan-slim', '--format', 'webp', join(root, 'in', 'adobe.png'), '--out', join(root, 'batch')]);
    expect(b.code, b.all).toBe(0);
    const written = (await readdir(join(root, 'batch'))).filter((f) => !f.startsWith('.'));
    expect(written).toHaveLength(1);
    expect((await stored(join(root, 'batch', written[0]!))).icc?.equals(photo.icc)).toBe(true);

    const c = await cli(['compare', '--task', 'superres', '--models', 'esrgan-slim,esrgan-medium', join(root, 'in', 'adobe.png'), '--out', join(root, 'cmp')]);
    expect(c.code, c.all).toBe(0);
    const outputs = (await readdir(join(root, 'cmp'))).filter((f) => !f.includes('side-by-side'));
    expect(outputs).toHaveLength(2);
    for (const f of outputs) expect((await stored(join(root, 'cmp', f))).icc?.equals(photo.icc), f).toBe(true);
    // the gallery's before/after shows the kept input copy beside the outputs: the same profile on both sides
    const gallery = await cli(['compare', '--task', 'superres', '--models', 'esrgan-slim,esrgan-slim-x3', join(root, 'in', 'adobe.png'), '--out', join(root, 'cmp2'), '--json']);
    expect(gallery.code, gallery.all).toBe(0);
    const result = JSON.parse(gallery.all.split('\n').find((l) => l.includes('"event":"result"'))!) as { compare: { input: string; sides: Array<{ output: string }> } };
    expect((await stored(join(root, 'ws', result.compare.input))).icc?.equals(photo.icc)).toBe(true);
    for (const side of result.compare.sides) expect((await stored(join(root, 'ws', side.output))).icc?.equals(photo.icc)).toBe(true);
  }, 180_000);

  it('stylize keeps it', async () => {
    const t = await cli(['train', '--task', 'cyclegan', '--preset', 'tiny', '--size', '16', '--steps', '1', '--data-a', join(root, 'in'), '--data-b', join(root, 'in'), '--name', 'icc style', '--backend', 'wasm']);
    expect(t.code, t.all).toBe(0);
    const s = await cli(['stylize', '--model', 'icc style', '--direction', 'a2b', '--backend', 'wasm', '--format', 'jpg', join(root, 'in', 'adobe.png'), join(root, 'in', 'plain.png'), '--out', join(root, 'sty')]);
    expect(s.code, s.all).toBe(0);
    // the batch's naming (issue #22; `adobe.jpg` and `plain.jpg` before)
    const kept = await stored(join(root, 'sty', 'adobe.png.jpg'));
    expect(kept.icc?.equals(photo.icc)).toBe(true);
    expect(maxDiff(kept.pixels, (await stored(join(root, 'sty', 'plain.png.jpg'))).pixels)).toBe(0);
  }, 120_000);
});
