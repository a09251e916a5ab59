import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentReporter } from '../../common/reporter.js';
import { prepareWasm } from '../../engine/wasm-setup.js';
import { train } from '../../training/train.js';
import { getSourceBuilder } from '../../tasks/index.js';
import { main } from '../main.js';

let root: string;
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });

beforeAll(async () => {
  await prepareWasm();
  await tf.setBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'gan-cg-eval-'));
  for (const [set, colour] of [['a', { r: 220, g: 40, b: 40 }], ['b', { r: 40, g: 40, b: 220 }]] as const) {
    await mkdir(join(root, set), { recursive: true });
    for (let i = 0; i < 6; i++) {
      const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: colour } })
        .composite([{ input: { create: { width: 4 + i, height: 6, channels: 3, background: { r: 255, g: 255, b: 255 } } }, left: 3, top: 5 }])
        .png().toBuffer();
      await writeFile(join(root, set, `${i}.png`), png);
    }
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('cyclegan source builder and eval', () => {
  it('trains from two folders through the registered builder, then evaluates in both directions', async () => {
    const spec = { task: 'cyclegan' as const, model: 'cyclegan', preset: 'tiny' as const, size: 16, steps: 1, sampleEvery: 1, checkpointEvery: 1 };
    const { getFamily } = await import('../../models/index.js');
    const { TrainSpec } = await import('../../contract/runs.js');
    const resolved = getFamily('cyclegan').resolve(TrainSpec.parse(spec));
    const source = await getSourceBuilder('cyclegan')(null, resolved, { dataA: join(root, 'a'), dataB: join(root, 'b'), ctx: ctx() });
    const runDir = join(root, 'run');
    await train({ spec, runDir, source, scoreImages: 0 }, ctx());
    source.dispose();

    const lines: string[] = [];
    const io = { out: (l: string) => void lines.push(l), err: () => {}, tty: false };
    const code = await main(['eval', '--task', 'cyclegan', '--run', runDir, '--data-a', join(root, 'a'), '--data-b', join(root, 'b'), '--backend', 'wasm', '--json'], io);
    expect(code).toBe(0);
    const report = JSON.parse(lines.at(-1)!);
    expect(report.images).toEqual({ a: 6, b: 6 });
    for (const v of Object.values(report.swd as Record<string, number>)) expect(Number.isFinite(v)).toBe(true);
    expect(report.swd.aToB_before).toBeGreaterThan(0);
    expect(report.cyclePsnr.a).toBeGreaterThan(0);
    expect(report.cyclePsnr.b).toBeGreaterThan(0);
  });
});
