import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { runTiled, tileSizeForBudget, tileStarts } from './tiling.js';
import { AppError } from '../contract/errors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A small fully-convolutional ×2 net: two 3×3 convs (receptive radius 2 input pixels) then nearest ×2. */
function smallNet(seed: number, channels = 3): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [null, null, channels] as unknown as number[], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed }) }));
  m.add(tf.layers.conv2d({ filters: channels, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }));
  m.add(tf.layers.upSampling2d({ size: [2, 2] }));
  return m;
}

describe('runTiled', () => {
  it('tiled output equals whole-image output within 1e-3', async () => {
    const net = smallNet(1);
    const image = tf.randomUniform([70, 93, 3], 0, 1, 'float32', 7) as tf.Tensor3D;
    const whole = tf.tidy(() => (net.predict(image.expandDims(0)) as tf.Tensor4D).squeeze([0]));
    const ticks: number[] = [];
    const tiled = await runTiled(image, (t) => net.predict(t) as tf.Tensor4D, { scale: 2, tile: 32, overlap: 16, onTile: (d) => ticks.push(d) });
    expect(tiled.shape).toEqual([140, 186, 3]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(whole, tiled))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-3);
    expect(ticks.length).toBeGreaterThan(4);
    expect(ticks.at(-1)).toBe(ticks.length);
    tf.dispose([image, whole, tiled]);
    net.dispose();
  });

  it('a smooth gradient shows no step at tile borders', async () => {
    // A 5×5 blur applied three times (radius 6) is wider than the discarded margin, so tile edges
    // see zero padding; the feather must still hide it.
    const kernel = tf.fill([5, 5, 1, 1], 1 / 25) as tf.Tensor4D;
    const blur = (t: tf.Tensor4D) => {
      let y = t;
      for (let i = 0; i < 3; i++) y = tf.conv2d(y, kernel, 1, 'same');
      return tf.image.resizeNearestNeighbor(y, [y.shape[1] * 2, y.shape[2] * 2]);
    };
    const w = 160;
    const image = tf.tidy(() => tf.linspace(0, 1, w).reshape([1, w, 1]).tile([24, 1, 1])) as tf.Tensor3D;
    const out = await runTiled(image, blur, { scale: 2, tile: 48, overlap: 16 });
    const row = (await out.slice([24, 0, 0], [1, -1, 1]).data()) as Float32Array;
    // Away from the image border, neighbouring output pixels differ by at most the gradient's own
    // slope per output pixel (plus a little): a seam would show up as a jump.
    const slope = 1 / (w - 1) / 2;
    let worst = 0;
    for (let x = 30; x < row.length - 30; x++) worst = Math.max(worst, Math.abs(row[x + 1]! - row[x]!));
    expect(worst).toBeLessThan(slope * 2.5);
    tf.dispose([kernel, image, out]);
  });

  it('fits one tile when the image is small, and halves the tile on out-of-memory', async () => {
    const image = tf.ones([64, 64, 1]) as tf.Tensor3D;
    const sizes: number[] = [];
    const fn = (t: tf.Tensor4D) => {
      sizes.push(t.shape[1]);
      if (t.shape[1] > 20) throw new Error('Failed to allocate memory for the tile');
      return tf.image.resizeNearestNeighbor(t, [t.shape[1] * 3, t.shape[2] * 3]);
    };
    const shrinks: Array<[number, number]> = [];
    const out = await runTiled(image, fn, { scale: 3, tile: 128, overlap: 8, minTile: 8, onTileShrink: (a, b) => shrinks.push([a, b]) });
    expect(out.shape).toEqual([192, 192, 1]);
    expect(shrinks).toEqual([[64, 32], [32, 16]]);
    expect(Math.abs((await out.mean().data())[0]! - 1)).toBeLessThan(1e-5);
    tf.dispose([image, out]);
  });

  it('stops at the next tile when cancelled and leaks nothing', async () => {
    const image = tf.ones([64, 64, 3]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = runTiled(image, (t) => t.mul(2), {
      scale: 1, tile: 16, overlap: 4, signal: controller.signal,
      onTile: (done) => { if (done === 3) controller.abort(new AppError('CANCELLED', 'stop')); },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  });

  it('shares the image evenly between the fewest tiles the ceiling allows', async () => {
    const net = smallNet(3);
    const image = tf.randomUniform([100, 70, 3], 0, 1, 'float32', 9) as tf.Tensor3D;
    const whole = tf.tidy(() => (net.predict(image.expandDims(0)) as tf.Tensor4D).squeeze([0]));
    const shapes: string[] = [];
    const tiled = await runTiled(image, (t) => {
      shapes.push(`${t.shape[1]}x${t.shape[2]}`);
      return net.predict(t) as tf.Tensor4D;
    }, { scale: 2, tile: 64, overlap: 16 });
    // 100 rows: two tiles of 58 (not 64 + 64); 70 columns: two tiles of 43
    expect(shapes).toEqual(['58x43', '58x43', '58x43', '58x43']);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(whole, tiled))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-3);
    tf.dispose([image, whole, tiled]);
    net.dispose();
  });

  it('derives tile positions and sizes', () => {
    expect(tileStarts(100, 40, 10)).toEqual([0, 30, 60]);
    expect(tileStarts(30, 40, 10)).toEqual([0]);
    expect(tileSizeForBudget(256 * 2 ** 20, 1536)).toBeGreaterThan(300);
    expect(tileSizeForBudget(1, 1536)).toBe(32);
  });
});
