import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';
import { createApp } from '../../handlers/context.js';
import { invoke } from '../../contract/api.js';
import type { Paged } from '../../contract/common.js';
import type { GalleryItem } from '../../contract/gallery.js';
import { parseSides } from './compare.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gs-compare-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(args: string[]) {
  const lines: string[] = [];
  const code = await main([...args, '--workspace', join(root, 'ws')], { out: (l) => lines.push(l), err: (l) => lines.push(`ERR ${l}`), tty: false });
  return { code, lines };
}

describe('gan-studio compare', () => {
  it('runs two pretrained ESRGANs on one image: both outputs, a side-by-side PNG, and gallery items with a before', async () => {
    const input = join(root, 'photo.png');
    await sharp({ create: { width: 12, height: 10, channels: 3, background: '#30a060' } }).png().toFile(input);
    const out = join(root, 'out');
    // an existing file of the same name is kept: the new one gets a free name
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'photo-side-by-side.png'), 'keep me');
    const { code, lines } = await run(['compare', '--task', 'superres', '--models', 'esrgan-slim,esrgan-medium', '--scale', '2', '--json', input, '--out', out]);
    expect(code, lines.join('\n')).toBe(0);
    const result = lines.map((l) => (l.startsWith('{') ? JSON.parse(l) as { event?: string } : {})).find((e) => e.event === 'result') as {
      compare: { sides: Array<{ width: number; height: number; seconds: number; wallSeconds: number; state: string; psnr: number | null; ssim: number | null }>; sideBySide: string };
      written: Record<string, string>;
    };
    expect(result.compare.sides.map((s) => [s.state, s.width, s.height])).toEqual([['done', 24, 20], ['done', 24, 20]]);
    expect(result.compare.sides.every((s) => s.seconds > 0)).toBe(true);
    // each side's own item time, not its job's wall time: the first job also paid the engine's
    // backend start-up, which must not count against the first model
    expect(result.compare.sides.every((s) => s.seconds <= s.wallSeconds)).toBe(true);
    expect(result.compare.sides[0]!.seconds).toBeLessThan(result.compare.sides[0]!.wallSeconds);
    // faithfulness to the input: PSNR of each output scaled back down (too small for SSIM's 11 px window)
    expect(result.compare.sides.every((s) => s.psnr! > 15 && s.ssim === null)).toBe(true);
    // a taken name gets ` (2)`, the batch's naming (issue #22; this asserted `photo-side-by-side-1.png` before)
    expect((await readdir(out)).sort()).toEqual(['photo-a-esrgan-slim.png', 'photo-b-esrgan-medium.png', 'photo-side-by-side (2).png', 'photo-side-by-side.png']);
    expect(await readFile(join(out, 'photo-side-by-side.png'), 'utf8')).toBe('keep me');
    const sbs = await sharp(result.written.sideBySide!).metadata();
    expect([sbs.width, sbs.height]).toEqual([24 * 2 + 8, 20]);

    const app = await createApp({ workspace: join(root, 'ws'), transport: 'cli' });
    try {
      const page = await invoke(app.handlers, 'gallery:list', { kind: 'upscale' });
      expect(page.ok).toBe(true);
      const items = (page as { value: Paged<GalleryItem> }).value.items;
      expect(items).toHaveLength(2);
      expect(items.every((i) => i.beforePath?.startsWith('gallery/compare/'))).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('refuses a style comparison without a direction, and a third model', async () => {
    const missing = await run(['compare', '--task', 'cyclegan', '--models', 'a,b', join(root, 'photo.png'), '--out', join(root, 'o')]);
    expect(missing.code).toBe(2);
    expect(missing.lines.join('\n')).toMatch(/--direction/);
    expect(() => parseSides('a,b,c', undefined, undefined)).toThrow(/exactly two/);
    expect(parseSides('a,b', 'a2b,b2a', undefined)).toEqual([{ model: 'a', direction: 'a2b' }, { model: 'b', direction: 'b2a' }]);
  });
});
