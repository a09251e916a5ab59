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
import { silentReporter } from '../reporter.js';

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

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

beforeAll(async () => {
  await ensureBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'gs-export-'));
  app = await createApp({ workspace: join(root, 'ws'), transport: 'cli', engine: 'inline' });
}, 60_000);
afterAll(async () => {
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
  }, 90_000);
});
