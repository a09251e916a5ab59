import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-eval-sr-'));
  // smooth colour waves: bicubic does well, so both scores must be high and finite
  for (const [i, [w, h]] of [[49, 40], [40, 44]].entries()) {
    const data = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = Math.round(127 + 100 * Math.sin(x / (5 + i) + c) * Math.cos(y / 7));
    await sharp(data, { raw: { width: w, height: h, channels: 3 } }).png().toFile(join(dir, `img${i}.png`));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gan-studio eval --task superres', () => {
  it('prints per-image and mean PSNR/SSIM for the model and for bicubic', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`ERR ${l}`), tty: false };
    const code = await main(['eval', '--task', 'superres', '--model', 'esrgan-slim', '--scale', '2', '--data', dir, '--backend', 'wasm', '--json'], io);
    expect(code, lines.join('\n')).toBe(0);
    const report = JSON.parse(lines.find((l) => l.startsWith('{'))!);
    expect(report.images).toHaveLength(2);
    expect(report.images[0].width).toBe(48); // cropped to a multiple of the scale
    for (const row of report.images) {
      expect(row.bicubic.psnr).toBeGreaterThan(25);
      expect(row.model.psnr).toBeGreaterThan(20);
      expect(row.model.ssim).toBeGreaterThan(0.5);
    }
    expect(report.mean.gainDb).toBeCloseTo(report.mean.model.psnr - report.mean.bicubic.psnr, 6);

    const text: string[] = [];
    await main(['eval', '--task', 'superres', '--model', 'esrgan-slim', '--data', dir, '--backend', 'wasm'], { out: (l) => text.push(l), err: () => {}, tty: false });
    expect(text.join('\n')).toMatch(/mean\s+\d+\.\d\d\s+0\.\d{4}\s+\d+\.\d\d/);
  });

  it('names the supported tasks for an unknown one', async () => {
    const lines: string[] = [];
    const code = await main(['eval', '--task', 'nope', '--data', dir], { out: (l) => lines.push(l), err: (l) => lines.push(l), tty: false });
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/supported: superres/);
  });
});
