import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { srPairSource } from './sr-pairs.js';
import { jpegSimulate, resizeBicubic, degrade, seededRandom, type Pixels } from './sr-degrade.js';
import { getSourceBuilder } from '../tasks/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function pattern(w: number, h: number, seed: number): Pixels {
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = 127.5 + 120 * Math.sin((x + seed) / 4 + c) * Math.cos((y - seed) / 6);
  return { data, width: w, height: h, channels: 3 };
}

describe('SR degradations', () => {
  it('bicubic keeps a constant image constant and halves the size', () => {
    const flat: Pixels = { data: new Float32Array(20 * 12 * 3).fill(77), width: 20, height: 12, channels: 3 };
    const small = resizeBicubic(flat, 10, 6);
    expect(small.data.length).toBe(10 * 6 * 3);
    expect(Math.max(...small.data.map((v) => Math.abs(v - 77)))).toBeLessThan(1e-3);
  });

  it('JPEG simulation is nearly lossless at q100 and lossy at q10', () => {
    const img = pattern(24, 16, 1);
    const err = (a: Pixels, b: Pixels) => Math.sqrt(a.data.reduce((s, v, i) => s + (v - b.data[i]!) ** 2, 0) / a.data.length);
    expect(err(img, jpegSimulate(img, 100))).toBeLessThan(3.5); // 4:2:0 chroma loss, as libjpeg at q100 (measured: 2.4 vs 2.5)
    const gray: Pixels = { data: img.data.filter((_, i) => i % 3 === 0), width: 24, height: 16, channels: 1 };
    expect(err(gray, jpegSimulate(gray, 100))).toBeLessThan(1);
    expect(err(img, jpegSimulate(img, 10))).toBeGreaterThan(err(img, jpegSimulate(img, 90)));
  });

  it('the Real-ESRGAN chain gives a finite LR of the right size', () => {
    const lr = degrade(pattern(32, 32, 2), 4, { mode: 'realesrgan' }, seededRandom(5));
    expect([lr.width, lr.height]).toEqual([8, 8]);
    expect(lr.data.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('srPairSource', () => {
  it('makes LR/HR batches in [-1, 1], deterministic from the cursor', () => {
    const images = Array.from({ length: 6 }, (_, i) => pattern(40, 36, i));
    const source = srPairSource(images, { size: 16, scale: 2, channels: 3, seed: 3 });
    expect(source.keys).toEqual(['lr', 'hr']);
    expect(source.size).toBe(5); // one held out
    source.next(3);
    const cursor = source.getCursor();
    const a = source.next(4);
    expect(a.hr!.shape).toEqual([4, 16, 16, 3]);
    expect(a.lr!.shape).toEqual([4, 8, 8, 3]);
    expect(a.hr!.max().dataSync()[0]).toBeLessThanOrEqual(1);
    source.setCursor(cursor);
    const b = source.next(4);
    expect(Array.from(b.lr!.dataSync())).toEqual(Array.from(a.lr!.dataSync()));
    const held = source.heldOut(4);
    expect(held.hr!.shape).toEqual([1, 16, 16, 3]);
    tf.dispose([...Object.values(a), ...Object.values(b), ...Object.values(held)]);
  });

  it('is registered as the superres training source', () => {
    expect(typeof getSourceBuilder('superres')).toBe('function');
  });
});
