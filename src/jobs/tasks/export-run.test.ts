// models:export of trained runs, end to end through the contract (the export runs as an engine
// task, here the inline engine): a tiny run per task is exported, imported back with
// models:import, loaded with tf.loadLayersModel and must compute what the run itself computes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoke, type Input, type MethodName, type Output } from '../../contract/api.js';
import { fromWireError } from '../../contract/errors.js';
import { TrainSpec } from '../../contract/runs.js';
import { createApp, type App } from '../../handlers/context.js';
import { isCycleGanModel, type CycleGanModel } from '../../models/cyclegan/model.js';
import { isGeneratorModel, latentsForSeeds, type GeneratorModel } from '../../models/common/generator-model.js';
import { getFamily } from '../../models/index.js';
import { loadLayersModelFromDir } from '../../models/pretrained/layers-loader.js';
import { saveCheckpoint } from '../../training/checkpoint.js';
import { loadModelForInference } from '../../training/load-model.js';
import { memoryBatchSource } from '../../training/memory-source.js';
import { stepRandom } from '../../training/step-random.js';
import { syntheticImages } from '../../training/testing/family-test-kit.js';
import { resolveTrainSpec, train } from '../../training/train.js';
import { insertRun } from '../../workspace/runs-repo.js';
import { ensureBackend } from '../engine-backend.js';
import { silentReporter } from '../../common/reporter.js';
import sharp from 'sharp';
import { generateImages } from '../../inference/generate.js';
import { releaseUpscalers, upscaleFile } from '../../inference/upscale.js';
import { releaseStylizers, stylizeFile } from '../../inference/stylize.js';

let root: string;
let app: App;
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });

async function call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
  const r = await invoke(app.handlers, method, input);
  if (!r.ok) throw fromWireError(r.error);
  return r.value as Output<M>;
}

/** A run the catalog knows (models:export looks runs up by id), trained for a step or two. */
async function trainedRun(id: string, spec: Parameters<typeof train>[0]['spec'], keys: string[], size: number): Promise<void> {
  const dir = join(app.ws.layout.runs, id);
  insertRun(app.ws.catalog, { id, name: id, spec: TrainSpec.parse(spec), totalSteps: spec.steps ?? 1, state: 'done' });
  if (spec.task === 'superres') {
    // an untrained SR generator is as good as a trained one for checking the round trip
    const resolved = resolveTrainSpec(spec);
    const model = getFamily(resolved.model).create(resolved, stepRandom(resolved.seed));
    await saveCheckpoint(dir, model, { step: 1, configHash: 'test', cursor: {}, keep: 2 });
    model.dispose();
    return;
  }
  const source = memoryBatchSource(syntheticImages(8, size, 3), keys, 1);
  await train({ spec, runDir: dir, source, scoreImages: 0 }, ctx());
  source.dispose();
}

/** Largest per-channel difference of two image files' pixels (0–255). */
async function pixelDiff(a: string, b: string): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((p) => sharp(p).raw().toBuffer({ resolveWithObject: true })));
  expect([y!.info.width, y!.info.height, y!.info.channels]).toEqual([x!.info.width, x!.info.height, x!.info.channels]);
  let max = 0;
  for (let i = 0; i < x!.data.length; i++) max = Math.max(max, Math.abs(x!.data[i]! - y!.data[i]!));
  return max;
}

async function testImage(name: string, width: number, height: number): Promise<string> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + 11) % 256;
  const path = join(root, name);
  await sharp(raw, { raw: { width, height, channels: 3 } }).png().toFile(path);
  return path;
}

async function batch(spec: Input<'batch:start'>['spec']): Promise<void> {
  const { jobId } = await call('batch:start', { spec });
  const done = await app.jobs.settled(jobId);
  expect(done.state, JSON.stringify(done.error)).toBe('done');
  expect(done.errors).toBe(0);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

beforeAll(async () => {
  await ensureBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'gs-export-'));
  app = await createApp({ workspace: join(root, 'ws'), transport: 'cli', engine: 'inline' });
}, 60_000);
afterAll(async () => {
  releaseUpscalers();
  await releaseStylizers();
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

describe('models:export of a trained run', () => {
  it('generate: exports the (EMA) generator, imports it back, and the import computes the same images', async () => {
    await trainedRun('gen-run', { task: 'generate', model: 'vanilla', preset: 'tiny', size: 8, channels: 3, steps: 2, ema: true }, ['real'], 8);
    const out = join(root, 'exported-gen');
    const { path } = await call('models:export', { id: 'gen-run', out });
    expect(path).toBe(out);
    const side = JSON.parse(await readFile(join(out, 'gan-studio.json'), 'utf8'));
    expect(side).toMatchObject({ task: 'generate', inputRange: [-1, 1], size: 8, channels: 3, source: { runId: 'gen-run', family: 'vanilla', step: 2 } });
    expect((await readdir(out)).sort()).toEqual(['gan-studio.json', 'group1-shard1of1.bin', 'model.json']);

    const info = await call('models:import', { path: out });
    expect(info).toMatchObject({ source: 'imported', task: 'generate', size: 8 });
    const imported = await loadLayersModelFromDir(join(app.ws.layout.models, info.id));
    const run = await loadModelForInference(join(app.ws.layout.runs, 'gen-run'));
    expect(isGeneratorModel(run.model)).toBe(true);
    const z = latentsForSeeds(5, 4, side.latentSize);
    const ours = (run.model as GeneratorModel).generate(z);
    const theirs = imported.predict(z) as tf.Tensor;
    expect(theirs.shape).toEqual([4, 8, 8, 3]);
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
    tf.dispose([z, ours, theirs]);
    run.model.dispose();
    imported.dispose();

    // generate and batch take the imported model where they take the run
    const fromRun = await generateImages(join(app.ws.layout.runs, 'gen-run'), { count: 2, seed: 5 }, join(root, 'gen-run-out'), ctx());
    const fromImport = await generateImages(join(app.ws.layout.models, info.id), { count: 2, seed: 5 }, join(root, 'gen-import-out'), ctx());
    for (let i = 0; i < 2; i++) expect(await pixelDiff(fromRun.files[i]!, fromImport.files[i]!)).toBeLessThanOrEqual(1);
    await batch({ task: 'generate', model: info.id, count: 2, seed: 5, out: join(root, 'gen-batch') });
    expect(await pixelDiff(fromRun.files[0]!, join(root, 'gen-batch', (await readdir(join(root, 'gen-batch'))).filter((f) => f.endsWith('.png')).sort()[0]!))).toBeLessThanOrEqual(1);

    // never over an existing folder; the default destination picks a free name
    await expect(call('models:export', { id: 'gen-run', out })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    const first = await call('models:export', { id: 'gen-run' });
    const second = await call('models:export', { id: 'gen-run', zip: true });
    expect(first.path).toBe(join(app.ws.layout.exports, 'model-gen-run'));
    expect(second.path).toBe(join(app.ws.layout.exports, 'model-gen-run-2'));
    expect(second.zip && existsSync(second.zip)).toBe(true);
  }, 60_000);

  it('superres: the exported SR generator upscales exactly like the run', async () => {
    await trainedRun('sr-run', { task: 'superres', model: 'esrgan', preset: 'tiny', scale: 2 }, [], 12);
    const out = join(root, 'exported-sr');
    await call('models:export', { id: 'sr-run', out });
    const info = await call('models:import', { path: out });
    expect(info).toMatchObject({ task: 'superres', scale: 2 });
    const imported = await loadLayersModelFromDir(join(app.ws.layout.models, info.id));
    const run = await loadModelForInference(join(app.ws.layout.runs, 'sr-run'));
    const x = tf.randomUniform([1, 10, 14, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const ours = run.model.networks.G!.predict(x) as tf.Tensor;
    const theirs = imported.predict(x) as tf.Tensor;
    expect(theirs.shape).toEqual([1, 20, 28, 3]);
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
    tf.dispose([x, ours, theirs]);
    run.model.dispose();
    imported.dispose();

    const input = await testImage('sr-in.png', 15, 11);
    await upscaleFile(input, join(root, 'sr-run.png'), { model: join(app.ws.layout.runs, 'sr-run') }, ctx());
    await upscaleFile(input, join(root, 'sr-import.png'), { model: join(app.ws.layout.models, info.id) }, ctx());
    expect(await pixelDiff(join(root, 'sr-run.png'), join(root, 'sr-import.png'))).toBeLessThanOrEqual(1);
    await batch({ task: 'superres', model: info.id, inputs: [input], out: join(root, 'sr-batch') });
    expect(await pixelDiff(join(root, 'sr-run.png'), join(root, 'sr-batch', 'sr-in.png'))).toBeLessThanOrEqual(1);
  }, 60_000);

  it('cyclegan: both generators go out as a2b/ and b2a/ and translate like the run, both directions', async () => {
    await trainedRun('cg-run', { task: 'cyclegan', model: 'cyclegan', preset: 'tiny', size: 16, steps: 1, sampleEvery: 1, checkpointEvery: 1, ema: true }, ['a', 'b'], 16);
    const out = join(root, 'exported-cg');
    await call('models:export', { id: 'cg-run', out });
    expect((await readdir(out)).sort()).toEqual(['a2b', 'b2a', 'gan-studio.json']);
    const info = await call('models:import', { path: out });
    expect(info.task).toBe('cyclegan');
    const run = await loadModelForInference(join(app.ws.layout.runs, 'cg-run'));
    expect(isCycleGanModel(run.model)).toBe(true);
    const x = tf.randomUniform([1, 16, 20, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    for (const direction of ['a2b', 'b2a'] as const) {
      const imported = await loadLayersModelFromDir(join(app.ws.layout.models, info.id, direction));
      const ours = (run.model as CycleGanModel).translate(x, direction);
      const theirs = imported.predict(x) as tf.Tensor;
      expect(maxAbsDiff(ours, theirs), direction).toBeLessThan(1e-4);
      tf.dispose([ours, theirs]);
      imported.dispose();
    }
    x.dispose();
    run.model.dispose();

    // an odd-sized picture through stylize (pads to a multiple of 4 and crops back) and batch
    const input = await testImage('cg-in.png', 21, 13);
    for (const direction of ['a2b', 'b2a'] as const) {
      await stylizeFile(input, join(root, `cg-run-${direction}.png`), { model: join(app.ws.layout.runs, 'cg-run'), direction }, ctx());
      await stylizeFile(input, join(root, `cg-import-${direction}.png`), { model: join(app.ws.layout.models, info.id), direction }, ctx());
      expect(await pixelDiff(join(root, `cg-run-${direction}.png`), join(root, `cg-import-${direction}.png`)), direction).toBeLessThanOrEqual(1);
    }
    await batch({ task: 'cyclegan', model: info.id, direction: 'b2a', inputs: [input], out: join(root, 'cg-batch') });
    expect(await pixelDiff(join(root, 'cg-run-b2a.png'), join(root, 'cg-batch', 'cg-in.png'))).toBeLessThanOrEqual(1);
  }, 90_000);
});
