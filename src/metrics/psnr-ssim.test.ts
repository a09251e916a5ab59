import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { lumaPlane, psnrY, ssimY } from './psnr-ssim.js';
import type { RawImage } from '../data/image-io.js';

function raw(width: number, height: number, channels: 1 | 3, f: (x: number, y: number, c: number) => number): RawImage {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = f(x, y, c);
  return { data, width, height, channels };
}

describe('PSNR / SSIM on Y', () => {
  it('identical images: PSNR ∞, SSIM 1', () => {
    const a = raw(32, 24, 3, (x, y, c) => (x * 7 + y * 3 + c * 40) % 256);
    expect(psnrY(a, a)).toBe(Infinity);
    expect(ssimY(a, a)).toBeCloseTo(1, 10);
  });

  it('matches the closed form for a constant luma offset', () => {
    // A gray image shifted by 5 levels: MSE 25 → PSNR = 10·log10(255²/25).
    const a = raw(20, 20, 1, () => 100);
    const b = raw(20, 20, 1, () => 105);
    expect(psnrY(a, b)).toBeCloseTo(10 * Math.log10((255 * 255) / 25), 10);
  });

  it('uses BT.601 luma and crops the border', () => {
    const white = raw(8, 8, 3, () => 255);
    expect(lumaPlane(white).y[0]).toBeCloseTo(235, 3);
    expect(lumaPlane(white, 2).y.length).toBe(16);
    // Differences only inside the cropped border do not count.
    const a = raw(16, 16, 3, () => 128);
    const b = raw(16, 16, 3, (x, y) => (x < 2 || y < 2 ? 0 : 128));
    expect(psnrY(a, b, { crop: 2 })).toBe(Infinity);
    expect(psnrY(a, b)).toBeLessThan(30);
  });

  it('accepts tensors in 0–255 and ranks noise below the clean image', () => {
    const clean = raw(40, 40, 3, (x, y, c) => Math.round(128 + 100 * Math.sin(x / 5 + c) * Math.cos(y / 7)));
    const noisy = raw(40, 40, 3, (x, y, c) => Math.max(0, Math.min(255, clean.data[(y * 40 + x) * 3 + c]! + ((x * 31 + y * 17 + c * 7) % 21) - 10)));
    const t = tf.tensor3d(clean.data, [40, 40, 3], 'float32');
    expect(psnrY(t, clean)).toBe(Infinity);
    const s = ssimY(clean, noisy);
    expect(s).toBeGreaterThan(0.5);
    expect(s).toBeLessThan(1);
    expect(psnrY(clean, noisy)).toBeGreaterThan(25);
    t.dispose();
  });
});
