// Adding a model family is one folder and one line (issue #22): this test adds the fixture
// family's folder with the one `registerFamily` line src/models/index.ts would hold, and the
// family then appears in system:tasks (the list the UI's New run form and the CLI read), trains
// through the generic loop and generates from its run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoke } from '../../../contract/api.js';
import type { TaskInfo } from '../../../contract/tasks.js';
import { silentReporter } from '../../../common/reporter.js';
import { createApp } from '../../../handlers/context.js';
import { generateImages } from '../../../inference/generate.js';
import { memoryBatchSource } from '../../../training/memory-source.js';
import { syntheticImages } from '../../../training/testing/family-test-kit.js';
import { train } from '../../../training/train.js';
import { registerFamily } from '../../index.js';
import { fixtureFamily } from './index.js';

let root: string;
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFamily(fixtureFamily); // the one line
  root = await mkdtemp(join(tmpdir(), 'gs-fixture-family-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a family added as one folder and one line', () => {
  it('is listed by system:tasks beside the shipped families of its task', async () => {
    const app = await createApp({ workspace: join(root, 'ws'), transport: 'cli' });
    try {
      const r = await invoke(app.handlers, 'system:tasks', {});
      expect(r.ok).toBe(true);
      const tasks = (r as { value: TaskInfo[] }).value;
      expect(tasks.map((t) => t.id)).toEqual(['generate', 'superres', 'cyclegan']);
      const generate = tasks.find((t) => t.id === 'generate')!;
      expect(generate.families.map((f) => f.id)).toEqual(['vanilla', 'dcgan', 'fixture']);
      expect(generate.families.at(-1)).toEqual({ id: 'fixture', title: 'Fixture (test only)', description: fixtureFamily.description, presets: ['tiny', 'small', 'default'] });
      expect(generate).toMatchObject({ galleryKind: 'generation', batchInput: 'seeds', pretrained: false });
      expect(tasks.find((t) => t.id === 'superres')!.families.map((f) => f.id)).toEqual(['esrgan']);
    } finally {
      await app.close();
    }
  });

  it('trains, then generates images from its run', async () => {
    const runDir = join(root, 'run');
    const source = memoryBatchSource(syntheticImages(8, 8, 1), ['real'], 1);
    try {
      const out = await train({ spec: { task: 'generate', model: 'fixture', preset: 'tiny', steps: 2, sampleEvery: 2, checkpointEvery: 2 }, runDir, source, scoreImages: 0 }, ctx());
      expect(out.step).toBe(2);
    } finally {
      source.dispose();
    }
    const result = await generateImages(runDir, { count: 2, seed: 1 }, join(root, 'out'), ctx());
    expect(result.files).toHaveLength(2);
    for (const file of result.files) {
      const meta = await sharp(file).metadata();
      expect([meta.width, meta.height]).toEqual([8, 8]);
    }
  });
});
