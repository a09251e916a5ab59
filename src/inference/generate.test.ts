import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentReporter } from '../common/reporter.js';
import { train } from '../training/train.js';
import { memoryBatchSource } from '../training/memory-source.js';
import { syntheticImages } from '../training/testing/family-test-kit.js';
import { generateImages, interpolate } from './generate.js';

let root: string;
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'gan-gen-'));
  const source = memoryBatchSource(syntheticImages(16, 8, 3), ['real'], 1);
  await train({ spec: { task: 'generate', model: 'vanilla', preset: 'tiny', channels: 3, steps: 2, ema: true }, runDir: join(root, 'run'), source }, ctx());
  source.dispose();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('generate and interpolate', () => {
  it('writes one PNG per seed plus a grid, reproducible by seed', async () => {
    const out = join(root, 'gen');
    const result = await generateImages(join(root, 'run'), { count: 3, seed: 5, grid: true }, out, ctx());
    expect(result.files.map((f) => f.slice(out.length + 1))).toEqual(['seed-000005.png', 'seed-000006.png', 'seed-000007.png']);
    expect(result.checkpoint).toBe('step-000002');
    const meta = await sharp(result.files[0]!).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([8, 8, 3]);
    expect(result.grid).not.toBeNull();

    const again = await generateImages(join(root, 'run'), { count: 1, seed: 6 }, join(root, 'gen2'), ctx());
    expect(await readFile(again.files[0]!)).toEqual(await readFile(result.files[1]!));
  });

  it('interpolates between two seeds into frames and a GIF', async () => {
    const out = join(root, 'interp');
    const result = await interpolate(join(root, 'run'), { from: 5, to: 9, frames: 4, gif: true }, out, ctx());
    expect(result.files).toHaveLength(4);
    const first = await sharp(result.files[0]!).raw().toBuffer();
    const seed5 = await sharp(join(root, 'gen', 'seed-000005.png')).raw().toBuffer();
    expect(first).toEqual(seed5);
    expect((await readFile(result.gif!)).subarray(0, 6).toString()).toBe('GIF89a');
  });
});
