import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { prepareWasm } from '../engine/wasm-setup.js';
import sharp from 'sharp';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingReporter, silentReporter, type TaskContext } from '../common/reporter.js';
import { AppError } from '../contract/errors.js';
import { decodeImage } from './image-io.js';
import { loadUpscaler, releaseUpscalers, upscaleFile, upscaleImage, type Upscaler } from './upscale.js';
import { runTiled } from './tiling.js';

let dir: string;
const ctx = (signal = new AbortController().signal): TaskContext => ({ signal, report: silentReporter });

/** A ×2 nearest-neighbour "model" in the 0–1 range: easy to predict exactly. */
const nearest: Upscaler = {
  id: 'nearest',
  scale: 2,
  inputRange: [0, 1],
  outputRange: [0, 1],
  channels: 3,
  predict: (x) => tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]),
  dispose() {},
};

beforeAll(async () => {
  // Pretrained nets are too slow on the pure-JS cpu backend; wasm runs their forward pass.
  await prepareWasm();
  await tf.setBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'gs-upscale-'));
});
afterAll(async () => {
  releaseUpscalers();
  await rm(dir, { recursive: true, force: true });
});

describe('upscaleImage', () => {
  it('upscales alpha separately and keeps it', async () => {
    const w = 24;
    const h = 16;
    const data = new Uint8Array(w * h * 4);
    for (let p = 0; p < w * h; p++) data.set([200, 100, 50, (p % w) * 10], p * 4);
    const out = await upscaleImage(nearest, { data, width: w, height: h, channels: 4 }, { tile: 16 }, ctx());
    expect([out.width, out.height, out.channels]).toEqual([48, 32, 4]);
    expect(Array.from(out.data.subarray(0, 3))).toEqual([200, 100, 50]);
    // alpha ramps left to right like the input (cubic resize, not the model)
    const alphaRow = Array.from({ length: 48 }, (_, x) => out.data[(10 * 48 + x) * 4 + 3]!);
    expect(alphaRow[0]).toBeLessThan(5);
    expect(alphaRow[47]).toBeGreaterThan(220);
  });

  it('keeps gray images gray through a colour model', async () => {
    const data = Uint8Array.from({ length: 20 * 20 }, (_, i) => i % 256);
    const out = await upscaleImage(nearest, { data, width: 20, height: 20, channels: 1 }, {}, ctx());
    expect(out.channels).toBe(1);
    expect(out.data[0]).toBe(0);
    expect(out.data[2]).toBe(1);
  });

  it('reports one progress tick per tile', async () => {
    const { report, events } = recordingReporter();
    const data = new Uint8Array(64 * 64 * 3).fill(90);
    await upscaleImage(nearest, { data, width: 64, height: 64, channels: 3 }, { tile: 32, overlap: 8 }, { signal: new AbortController().signal, report });
    const ticks = events.filter((e) => e.kind === 'progress');
    expect(ticks.length).toBe(9);
    expect(ticks.at(-1)!.args[0]).toMatchObject({ done: 9, total: 9, unit: 'tile' });
  });
});

describe('upscaleFile', () => {
  it('applies EXIF orientation and runs pretrained slim ×2 to the right size', async () => {
    const input = join(dir, 'rotated.jpg');
    await sharp({ create: { width: 20, height: 10, channels: 3, background: { r: 120, g: 60, b: 30 } } }).jpeg().withMetadata({ orientation: 6 }).toFile(input);
    const result = await upscaleFile(input, join(dir, 'out', 'rotated.png'), { model: 'esrgan-slim', scale: 2 }, ctx());
    expect([result.width, result.height]).toEqual([20, 40]);
    const meta = await sharp(result.output).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([20, 40, 'png']);
  });

  it('pretrained slim ×2 gives the same picture tiled as whole', async () => {
    const up = await loadUpscaler('esrgan-slim', 2);
    const image = tf.randomUniform([56, 48, 3], 0, 255, 'float32', 3) as tf.Tensor3D;
    const whole = tf.tidy(() => up.predict(image.expandDims(0) as tf.Tensor4D).squeeze([0]));
    const tiled = await runTiled(image, up.predict, { scale: 2, tile: 40, overlap: 32 });
    const worst = tf.tidy(() => tf.max(tf.abs(tf.sub(whole, tiled))).dataSync()[0]!) / 255;
    expect(worst).toBeLessThan(1e-3);
    tf.dispose([image, whole, tiled]);
  });

  it('refuses an image over the pixel cap before decoding it', async () => {
    const input = join(dir, 'huge.png');
    await sharp({ create: { width: 4200, height: 4200, channels: 3, background: '#808080' } }).png({ compressionLevel: 1 }).toFile(input);
    await expect(upscaleFile(input, join(dir, 'out', 'huge.png'), { model: 'esrgan-slim', scale: 2 }, ctx())).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });

  it('a cancel mid-run leaves no output file', async () => {
    const input = join(dir, 'cancel.png');
    await sharp({ create: { width: 96, height: 96, channels: 3, background: '#406080' } }).png().toFile(input);
    const outDir = join(dir, 'cancelled');
    const controller = new AbortController();
    const report = { ...silentReporter, progress: (p: { done: number }) => { if (p.done === 2) controller.abort(new AppError('CANCELLED', 'stop')); } };
    const run = upscaleFile(input, join(outDir, 'cancel.png'), { model: 'esrgan-slim', scale: 2, tile: 32 }, { signal: controller.signal, report });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    const left = await readdir(outDir).catch(() => []);
    expect(left).toEqual([]);
  });

  it('writes jpg and webp with the requested format', async () => {
    const input = join(dir, 'small.png');
    await sharp({ create: { width: 12, height: 12, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } }).png().toFile(input);
    const r = await upscaleFile(input, join(dir, 'out', 'small.webp'), { model: 'esrgan-slim', scale: 2, quality: 80 }, ctx());
    const img = await decodeImage(r.output);
    expect([img.width, img.height, img.channels]).toEqual([24, 24, 4]);
  });
});
