// A family added as nothing but its folder (here _template, registered by the test the way
// src/models/index.ts registers the shipped ones) trains through the generic loop and then
// generates: the generator capability its model declares is all `generate` needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentReporter } from '../../common/reporter.js';
import { generateImages } from '../../inference/generate.js';
import { memoryBatchSource } from '../../training/memory-source.js';
import { syntheticImages } from '../../training/testing/family-test-kit.js';
import { train } from '../../training/train.js';
import { registerFamily } from '../registry.js';
import { templateFamily } from './index.js';

let root: string;
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFamily(templateFamily); // the one registry line a new family adds
  root = await mkdtemp(join(tmpdir(), 'gs-template-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a family folder on its own', () => {
  it('trains, then generates images from its run', async () => {
    const runDir = join(root, 'run');
    const source = memoryBatchSource(syntheticImages(8, 8, 1), ['real'], 1);
    try {
      const out = await train({ spec: { task: 'generate', model: 'template', preset: 'tiny', steps: 2, sampleEvery: 2, checkpointEvery: 2 }, runDir, source, scoreImages: 0 }, ctx());
      expect(out.step).toBe(2);
    } finally {
      source.dispose();
    }
    const before = tf.memory().numTensors;
    const result = await generateImages(runDir, { count: 3, seed: 5 }, join(root, 'out'), ctx());
    expect(result.files).toHaveLength(3);
    for (const file of result.files) {
      const meta = await sharp(file).metadata();
      expect([meta.width, meta.height]).toEqual([8, 8]);
    }
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });
});
