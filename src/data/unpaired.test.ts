import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jitterLoadSide, listImageFiles, loadSideFor, openUnpairedFolders } from './unpaired.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'gan-unpaired-'));
  for (const [dir, count, colour] of [['a', 12, { r: 255, g: 0, b: 0, alpha: 1 }], ['b/nested', 6, { r: 0, g: 0, b: 255, alpha: 0 }]] as const) {
    await mkdir(join(root, dir), { recursive: true });
    for (let i = 0; i < count; i++) {
      // non-square, with alpha (B is fully transparent: it must come out white)
      const png = await sharp({ create: { width: 40 + i, height: 30, channels: 4, background: colour } }).png().toBuffer();
      await writeFile(join(root, dir, `img-${i}.png`), png);
    }
  }
  await writeFile(join(root, 'a', 'notes.txt'), 'not an image');
  await writeFile(join(root, 'a', 'broken.png'), 'not a png either');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('unpaired A/B source', () => {
  it('reads folders recursively, crops, flips and replays a batch exactly from its cursor', async () => {
    expect(await listImageFiles(join(root, 'b'))).toHaveLength(6);
    expect(loadSideFor(256)).toBe(286);
    const source = await openUnpairedFolders(join(root, 'a'), join(root, 'b'), { size: 16, seed: 1 });
    expect(source.keys).toEqual(['a', 'b']);
    expect(source.size).toBe(11); // 12 readable A images, one held out
    const first = source.next(3);
    expect(first.a!.shape).toEqual([3, 16, 16, 3]);
    expect(first.b!.shape).toEqual([3, 16, 16, 3]);
    // red in A; transparent blue in B became white
    expect(Array.from(first.a!.slice([0, 0, 0, 0], [1, 1, 1, 3]).dataSync())).toEqual([1, -1, -1]);
    expect(Array.from(first.b!.slice([0, 0, 0, 0], [1, 1, 1, 3]).dataSync())).toEqual([1, 1, 1]);

    const cursor = source.getCursor();
    const second = source.next(4);
    for (let i = 0; i < 5; i++) tf.dispose(Object.values(source.next(4)));
    source.setCursor(cursor);
    const replay = source.next(4);
    expect(Array.from(replay.a!.dataSync())).toEqual(Array.from(second.a!.dataSync()));
    expect(Array.from(replay.b!.dataSync())).toEqual(Array.from(second.b!.dataSync()));
    const held = source.heldOut(8);
    expect(held.a!.shape[0]).toBe(1);
    expect(held.b!.shape[0]).toBe(6); // too few B images for a split: previews reuse training ones
    tf.dispose([...Object.values(first), ...Object.values(second), ...Object.values(replay), ...Object.values(held)]);
    source.dispose();
  });

  it('loads for crop jitter at ×1.12 only when the images are that big: small ones are never enlarged', async () => {
    const files = await listImageFiles(join(root, 'a')); // 40-51 × 30 px, plus one broken file
    expect(await jitterLoadSide(files, 16)).toBe(loadSideFor(16)); // 18: room for crops
    expect(loadSideFor(28)).toBe(32);
    expect(await jitterLoadSide(files, 28)).toBe(30); // the images' own 30 px, not 32
    expect(await jitterLoadSide(files, 32)).toBe(32); // never below the crop
    expect(await jitterLoadSide([join(root, 'a', 'broken.png')], 16)).toBe(18); // nothing readable: the paper's rule
  });

  it('says which folder is empty', async () => {
    await mkdir(join(root, 'empty'), { recursive: true });
    await expect(openUnpairedFolders(join(root, 'a'), join(root, 'empty'), { size: 16, seed: 1 })).rejects.toThrow(/no images found under .*empty/);
  });
});
