import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentReporter } from '../common/reporter.js';
import { prepareWasm } from '../engine/wasm-setup.js';
import { train } from '../training/train.js';
import { memoryBatchSource } from '../training/memory-source.js';
import { syntheticImages } from '../training/testing/family-test-kit.js';
import { main } from '../cli/main.js';
import { releaseStylizers, stylizeFile } from './stylize.js';

let root: string;
let runDir: string;
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });

beforeAll(async () => {
  await prepareWasm();
  await tf.setBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'gan-stylize-'));
  runDir = join(root, 'run');
  // one real training step gives a real checkpoint of a tiny CycleGAN
  const source = memoryBatchSource(syntheticImages(6, 16, 3), ['a', 'b'], 1);
  await train({ spec: { task: 'cyclegan', model: 'cyclegan', preset: 'tiny', size: 16, steps: 1, sampleEvery: 1, checkpointEvery: 1 }, runDir, source, scoreImages: 0 }, ctx());
  source.dispose();
});
afterAll(async () => {
  await releaseStylizers();
  await rm(root, { recursive: true, force: true });
});

async function image(path: string, width: number, height: number, channels: 1 | 3 | 4): Promise<void> {
  const raw = Buffer.alloc(width * height * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 256;
  const pipeline = sharp(raw, { raw: { width, height, channels } });
  await writeFile(path, path.endsWith('.jpg') ? await pipeline.jpeg().toBuffer() : await pipeline.png().toBuffer());
}

describe('stylize', () => {
  it('keeps the size of odd, non-square, gray, transparent and tiled images, both directions', async () => {
    const cases = [
      { name: 'odd.png', w: 37, h: 23, c: 3 as const, direction: 'a2b' as const, channels: 3 },
      { name: 'alpha.png', w: 20, h: 12, c: 4 as const, direction: 'b2a' as const, channels: 4 },
      { name: 'gray.jpg', w: 12, h: 9, c: 1 as const, direction: 'a2b' as const, channels: 3 },
      { name: 'tiled.png', w: 70, h: 45, c: 3 as const, direction: 'b2a' as const, channels: 3, tile: 32 },
    ];
    for (const item of cases) {
      const input = join(root, item.name);
      await image(input, item.w, item.h, item.c);
      const output = join(root, 'out', item.name);
      const result = await stylizeFile(input, output, { run: runDir, direction: item.direction, tile: item.tile }, ctx());
      const meta = await sharp(result.output).metadata();
      expect([meta.width, meta.height, meta.channels], item.name).toEqual([item.w, item.h, item.channels]);
    }
    // the batch runner passes the run as `model`; a second call leaks nothing (the model is cached)
    const before = tf.memory().numTensors;
    await stylizeFile(join(root, 'odd.png'), join(root, 'out', 'odd-2.png'), { model: runDir, direction: 'b2a' }, ctx());
    expect(tf.memory().numTensors).toBe(before);
    await expect(stylizeFile(join(root, 'odd.png'), join(root, 'out', 'x.png'), { run: join(root, 'nothing'), direction: 'a2b' }, ctx())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('CLI: walks folders recursively, keeps the tree, never overwrites', async () => {
    const photos = join(root, 'photos');
    await mkdir(join(photos, 'trip'), { recursive: true });
    await image(join(photos, 'a.png'), 24, 16, 3);
    await image(join(photos, 'trip', 'b.jpg'), 16, 30, 3);
    const lines: string[] = [];
    const io = { out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l), tty: false };
    const args = ['stylize', '--run', runDir, '--direction', 'a2b', photos, '--out', join(root, 'cli'), '--backend', 'wasm', '--json', '--workspace', join(root, 'ws')];
    expect(await main(args, io)).toBe(0);
    expect(await main(args, io)).toBe(0);
    // stylize runs as a batch (issue #22): the batch's naming (the folder is the root of its
    // tree) and its rerun rule (the same input and settings are skipped, nothing is overwritten);
    // this asserted the CLI's own `photos/a-1.png` copies on the second run before
    const written = (await readdir(join(root, 'cli'), { recursive: true })).filter((f) => !f.startsWith('.')).sort();
    expect(written).toEqual(['a.png', 'trip', 'trip/b.jpg']);
    expect(lines.filter((l) => l.includes('"event":"file-skipped"'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('"event":"done"'))).toHaveLength(2);
    expect(await main(['stylize', '--run', runDir, photos, '--out', root], io)).toBe(2);
  });
});
