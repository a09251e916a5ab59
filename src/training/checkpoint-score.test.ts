import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mnistDigits } from '../data/samples.js';
import { silentReporter } from '../common/reporter.js';
import { listCheckpoints } from './checkpoint.js';
import { memoryBatchSource } from './memory-source.js';
import { readMetrics } from './run-files.js';
import { train } from './train.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'gan-score-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('checkpoint quality on digits', () => {
  it('scores every checkpoint of a digit run by KID on held-out digits, logs the numbers beside the losses, and ranks best by KID', async () => {
    const digits = mnistDigits(300);
    const images = tf.tensor4d(Float32Array.from(digits.flatMap((d) => Array.from(d.pixels, (v) => v / 127.5 - 1))), [digits.length, 28, 28, 1]);
    const source = memoryBatchSource(images, ['real'], 1, { heldOutCount: 60 });
    const runDir = join(root, 'digits');
    try {
      await train({ spec: { task: 'generate', model: 'vanilla', preset: 'tiny', size: 28, channels: 1, steps: 4, sampleEvery: 2, checkpointEvery: 2 }, runDir, source }, { signal: new AbortController().signal, report: silentReporter });
    } finally {
      source.dispose();
    }
    const checkpoints = await listCheckpoints(runDir);
    expect(checkpoints.map((c) => c.step)).toEqual([4, 2]);
    for (const c of checkpoints) {
      expect(Object.keys(c.scores ?? {}).sort()).toEqual(['quality/confident', 'quality/fid', 'quality/is', 'quality/kid', 'quality/swd']);
      expect(c.score).toBe(c.scores!['quality/kid']);
      expect(Number.isFinite(c.score)).toBe(true);
    }
    const best = checkpoints.reduce((a, b) => (b.score! < a.score! ? b : a));
    expect(checkpoints.find((c) => c.best)?.name).toBe(best.name);
    const quality = (await readMetrics(runDir)).filter((m) => 'quality/kid' in m.values);
    expect(quality.map((m) => m.step)).toEqual([2, 4]);
  });
});
