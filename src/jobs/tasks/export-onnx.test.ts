// `models export --format onnx` end to end through the contract, and .onnx models as predictors:
// a tiny run per task is exported; ONNX Runtime must compute what the run computes (1e-4 on the
// [0, 1] scale), and upscale / stylize / batch must give the run's own pictures when handed the
// exported .onnx file, the export folder, or the model imported from either. Graphs that are not
// image-to-image are refused with the reason; an NHWC graph's layout is found from its shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoke, type Input, type MethodName, type Output } from '../../contract/api.js';
import { fromWireError } from '../../contract/errors.js';
import { TrainSpec } from '../../contract/runs.js';
import { silentReporter } from '../../common/reporter.js';
import { createOrtSession, runOrt } from '../../engine/onnx-runtime.js';
import { createApp, type App } from '../../handlers/context.js';
import { releaseStylizers, stylizeFile } from '../../inference/stylize.js';
import { releaseUpscalers, upscaleFile } from '../../inference/upscale.js';
import { isCycleGanModel, type CycleGanModel } from '../../models/cyclegan/model.js';
import { isGeneratorModel, latentsForSeeds, type GeneratorModel } from '../../models/common/generator-model.js';
import { getFamily } from '../../models/index.js';
import { OnnxGraphBuilder } from '../../models/onnx/onnx-builder.js';
import { stepRandom } from '../../models/step-random.js';
import { saveCheckpoint } from '../../training/checkpoint.js';
import { loadModelForInference } from '../../training/load-model.js';
import { memoryBatchSource } from '../../training/memory-source.js';
import { syntheticImages } from '../../training/testing/family-test-kit.js';
import { resolveTrainSpec, train } from '../../training/train.js';
import { insertRun } from '../../workspace/runs-repo.js';
import { ensureBackend } from '../engine-backend.js';

let root: string;
let app: App;
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });

async function call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
  const r = await invoke(app.handlers, method, input);
  if (!r.ok) throw fromWireError(r.error);
  return r.value as Output<M>;
}

async function trainedRun(id: string, spec: Parameters<typeof train>[0]['spec'], keys: string[], size: number): Promise<string> {
  const dir = join(app.ws.layout.runs, id);
  insertRun(app.ws.catalog, { id, name: id, spec: TrainSpec.parse(spec), totalSteps: spec.steps ?? 1, state: 'done' });
  if (spec.task === 'superres') {
    const resolved = resolveTrainSpec(spec);
    const model = getFamily(resolved.model).create(resolved, stepRandom(resolved.seed));
    await saveCheckpoint(dir, model, { step: 1, configHash: 'test', cursor: {}, keep: 2 });
    model.dispose();
    return dir;
  }
  const source = memoryBatchSource(syntheticImages(8, size, 3), keys, 1);
  await train({ spec, runDir: dir, source, scoreImages: 0 }, ctx());
  source.dispose();
  return dir;
}

/** ONNX Runtime on `file` with NHWC `x` in [-1, 1] (or z), back as NHWC in [-1, 1]. */
async function ortPredict(file: string, x: tf.Tensor, image: boolean): Promise<tf.Tensor> {
  const session = await createOrtSession(file, file);
  const feed = tf.tidy(() => (image ? x.add(1).div(2).transpose([0, 3, 1, 2]) : x));
  const { data, dims } = await runOrt(session, (await feed.data()) as Float32Array, feed.shape);
  feed.dispose();
  await session.release();
  return tf.tidy(() => tf.tensor(data, dims).transpose([0, 2, 3, 1]).mul(2).sub(1));
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

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

/** Runs `fn` with GAN_STUDIO_INFERENCE set, models loaded inside it released afterwards. */
async function withEngine(engine: 'ort' | 'tfjs', fn: () => Promise<void>): Promise<void> {
  const before = process.env.GAN_STUDIO_INFERENCE;
  process.env.GAN_STUDIO_INFERENCE = engine;
  releaseUpscalers();
  try {
    await fn();
  } finally {
    if (before === undefined) delete process.env.GAN_STUDIO_INFERENCE;
    else process.env.GAN_STUDIO_INFERENCE = before;
    releaseUpscalers();
  }
}

beforeAll(async () => {
  await ensureBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'gs-onnx-'));
  app = await createApp({ workspace: join(root, 'ws'), transport: 'cli', engine: 'inline' });
}, 60_000);
afterAll(async () => {
  releaseUpscalers();
  await releaseStylizers();
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

describe('models:export --format onnx', () => {
  it('generate: z in, [N, C, H, W] in [0, 1] out, as the run generates', async () => {
    const dir = await trainedRun('gen', { task: 'generate', model: 'dcgan', preset: 'tiny', size: 8, channels: 3, steps: 2 }, ['real'], 8);
    const { path } = await call('models:export', { id: 'gen', out: join(root, 'gen-onnx'), format: 'onnx' });
    expect((await readdir(path)).sort()).toEqual(['gan-studio.json', 'model.onnx']);
    const run = await loadModelForInference(dir);
    expect(isGeneratorModel(run.model)).toBe(true);
    const g = run.model as GeneratorModel;
    const z = latentsForSeeds(3, 2, g.latentSize);
    const ours = g.generate(z);
    const theirs = await ortPredict(join(path, 'model.onnx'), z, false);
    expect(theirs.shape).toEqual(ours.shape);
    expect(maxAbsDiff(ours, theirs) / 2).toBeLessThan(1e-4);
    tf.dispose([z, ours, theirs]);
    run.model.dispose();
  }, 60_000);

  it('superres: ONNX Runtime matches the run; upscale and batch take the .onnx file, the folder and the import', async () => {
    const dir = await trainedRun('sr', { task: 'superres', model: 'esrgan', preset: 'tiny', scale: 2 }, [], 12);
    const { path } = await call('models:export', { id: 'sr', out: join(root, 'sr-onnx'), format: 'onnx' });
    expect(JSON.parse(await readFile(join(path, 'gan-studio.json'), 'utf8'))).toMatchObject({ task: 'superres', scale: 2, inputRange: [0, 1], outputRange: [0, 1] });
    const run = await loadModelForInference(dir);
    const x = tf.randomUniform([1, 10, 14, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const ours = run.model.networks.G!.predict(x) as tf.Tensor;
    const theirs = await ortPredict(join(path, 'model.onnx'), x, true);
    expect(theirs.shape).toEqual([1, 20, 28, 3]);
    expect(maxAbsDiff(ours, theirs) / 2).toBeLessThan(1e-4);
    tf.dispose([x, ours, theirs]);
    run.model.dispose();

    const input = await testImage('sr-in.png', 45, 37);
    await upscaleFile(input, join(root, 'sr-run.png'), { model: dir, tile: 24 }, ctx());
    await upscaleFile(input, join(root, 'sr-file.png'), { model: join(path, 'model.onnx'), tile: 24 }, ctx());
    await upscaleFile(input, join(root, 'sr-folder.png'), { model: path }, ctx());
    expect(await pixelDiff(join(root, 'sr-run.png'), join(root, 'sr-file.png'))).toBeLessThanOrEqual(1);
    expect(await pixelDiff(join(root, 'sr-run.png'), join(root, 'sr-folder.png'))).toBeLessThanOrEqual(1);
    // GAN_STUDIO_INFERENCE=ort routes the run itself (and a pretrained ESRGAN) to ONNX Runtime: same pictures
    await withEngine('ort', async () => {
      await upscaleFile(input, join(root, 'sr-run-ort.png'), { model: dir, tile: 24 }, ctx());
      expect(await pixelDiff(join(root, 'sr-run.png'), join(root, 'sr-run-ort.png'))).toBeLessThanOrEqual(1);
      await upscaleFile(input, join(root, 'slim-ort.png'), { model: 'esrgan-slim', scale: 2 }, ctx());
    });
    await upscaleFile(input, join(root, 'slim-tfjs.png'), { model: 'esrgan-slim', scale: 2 }, ctx());
    expect(await pixelDiff(join(root, 'slim-tfjs.png'), join(root, 'slim-ort.png'))).toBeLessThanOrEqual(1);
    // a shipped ESRGAN exports as ONNX too, and the file upscales as the model does
    const slim = await call('models:export', { id: 'esrgan-slim', out: join(root, 'slim-onnx'), format: 'onnx' });
    expect(JSON.parse(await readFile(join(slim.path, 'gan-studio.json'), 'utf8'))).toMatchObject({ task: 'superres', scale: 2, inputRange: [0, 1], licence: expect.stringMatching(/MIT/) });
    await upscaleFile(input, join(root, 'slim-file.png'), { model: join(slim.path, 'model.onnx') }, ctx());
    expect(await pixelDiff(join(root, 'slim-tfjs.png'), join(root, 'slim-file.png'))).toBeLessThanOrEqual(1);
    const fromFolder = await call('models:import', { path });
    const fromFile = await call('models:import', { path: join(path, 'model.onnx') });
    for (const info of [fromFolder, fromFile]) {
      expect(info).toMatchObject({ source: 'imported', task: 'superres', scale: 2 });
      const out = join(root, `sr-batch-${info.id}`);
      const { jobId } = await call('batch:start', { spec: { task: 'superres', model: info.id, inputs: [input], out } });
      const done = await app.jobs.settled(jobId);
      expect(done.state, JSON.stringify(done.error)).toBe('done');
      expect(await pixelDiff(join(root, 'sr-run.png'), join(out, 'sr-in.png'))).toBeLessThanOrEqual(1);
    }
  }, 90_000);

  it('cyclegan: a2b/model.onnx and b2a/model.onnx translate like the run, both directions, through stylize', async () => {
    const dir = await trainedRun('cg', { task: 'cyclegan', model: 'cyclegan', preset: 'tiny', size: 16, steps: 2, sampleEvery: 1, checkpointEvery: 1, ema: true }, ['a', 'b'], 16);
    const { path } = await call('models:export', { id: 'cg', out: join(root, 'cg-onnx'), format: 'onnx' });
    expect((await readdir(path)).sort()).toEqual(['a2b', 'b2a', 'gan-studio.json']);
    const run = await loadModelForInference(dir);
    expect(isCycleGanModel(run.model)).toBe(true);
    const x = tf.randomUniform([1, 16, 20, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    for (const direction of ['a2b', 'b2a'] as const) {
      const ours = (run.model as CycleGanModel).translate(x, direction);
      const theirs = await ortPredict(join(path, direction, 'model.onnx'), x, true);
      expect(maxAbsDiff(ours, theirs) / 2, direction).toBeLessThan(1e-4);
      tf.dispose([ours, theirs]);
    }
    x.dispose();
    run.model.dispose();
    const input = await testImage('cg-in.png', 24, 16);
    for (const direction of ['a2b', 'b2a'] as const) {
      await stylizeFile(input, join(root, `cg-run-${direction}.png`), { model: dir, direction }, ctx());
      await stylizeFile(input, join(root, `cg-onnx-${direction}.png`), { model: path, direction }, ctx());
      expect(await pixelDiff(join(root, `cg-run-${direction}.png`), join(root, `cg-onnx-${direction}.png`)), direction).toBeLessThanOrEqual(1);
    }
    // the run routed to ONNX Runtime (its EMA weights converted) gives the run's pictures
    await releaseStylizers();
    await withEngine('ort', async () => {
      await stylizeFile(input, join(root, 'cg-run-ort.png'), { model: dir, direction: 'b2a' }, ctx());
    });
    await releaseStylizers();
    expect(await pixelDiff(join(root, 'cg-run-b2a.png'), join(root, 'cg-run-ort.png'))).toBeLessThanOrEqual(1);
    // one graph by path is one direction
    await stylizeFile(input, join(root, 'cg-file.png'), { model: join(path, 'a2b', 'model.onnx'), direction: 'a2b' }, ctx());
    expect(await pixelDiff(join(root, 'cg-run-a2b.png'), join(root, 'cg-file.png'))).toBeLessThanOrEqual(1);
    await expect(stylizeFile(input, join(root, 'cg-no.png'), { model: join(path, 'a2b', 'model.onnx'), direction: 'b2a' }, ctx())).rejects.toThrow(/no b2a direction/);
  }, 90_000);

  it('refuses a classifier graph with the reason, reads an NHWC graph by its shape', async () => {
    const classifier = new OnnxGraphBuilder();
    const x = classifier.input('pixels', [1, 3, 'h', 'w']);
    classifier.output(classifier.node('Flatten', [classifier.node('GlobalAveragePool', [x], 'pool')], 'scores'), [1, 3]);
    const clsFile = join(root, 'classifier.onnx');
    await writeFile(clsFile, classifier.encode({ graphName: 'cls', metadata: {} }));
    await expect(upscaleFile(await testImage('c.png', 8, 8), join(root, 'c-out.png'), { model: clsFile }, ctx())).rejects.toThrow(/\[1, 3\] — a classifier's scores, not an image/);
    await expect(call('models:import', { path: clsFile })).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    expect(existsSync(join(root, 'c-out.png'))).toBe(false);

    // NHWC ×2 nearest: [N, H, W, 3] → NCHW → Resize → NHWC
    const nhwc = new OnnxGraphBuilder();
    const input = nhwc.input('img', ['n', 'h', 'w', 3]);
    const nchw = nhwc.node('Transpose', [input], 'to_nchw', { perm: [0, 3, 1, 2] });
    const scales = nhwc.floats('scales', Float32Array.of(1, 1, 2, 2), [4]);
    const up = nhwc.node('Resize', [nchw, '', scales], 'up', { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
    nhwc.output(nhwc.node('Transpose', [up], 'out', { perm: [0, 2, 3, 1] }), ['n', 'h2', 'w2', 3]);
    const nhwcFile = join(root, 'nearest-x2.onnx');
    await writeFile(nhwcFile, nhwc.encode({ graphName: 'nearest', metadata: {} }));
    const info = await call('models:import', { path: nhwcFile, sidecar: { task: 'superres', inputRange: [0, 255] } });
    expect(info).toMatchObject({ task: 'superres', scale: 2 });
    const img = await testImage('n.png', 13, 9);
    await upscaleFile(img, join(root, 'n-out.png'), { model: nhwcFile }, ctx());
    const expected = await sharp(img).resize(26, 18, { kernel: 'nearest' }).png().toFile(join(root, 'n-sharp.png'));
    expect(expected.width).toBe(26);
    expect(await pixelDiff(join(root, 'n-out.png'), join(root, 'n-sharp.png'))).toBeLessThanOrEqual(1);
  }, 60_000);
});
