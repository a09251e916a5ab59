// runs:list and models:list after real tiny trainings through the contract (inline engine): the
// fields a preset or the engine decides — total steps, backend, image size, model bytes — must
// show what the run really used, not what the request happened to spell out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { invoke, type Input, type MethodName, type Output } from '../contract/api.js';
import { fromWireError } from '../contract/errors.js';
import type { ImportReport } from '../contract/datasets.js';
import { folderBytes } from '../workspace/workspace.js';
import { createApp, type App } from './context.js';

let root: string;
let app: App;

async function call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
  const r = await invoke(app.handlers, method, input);
  if (!r.ok) throw fromWireError(r.error);
  return r.value as Output<M>;
}

/** A dataset of small distinct images, imported through the contract like the UI does. */
async function dataset(name: string, count: number, side: number, tint: number): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const raw = Buffer.alloc(side * side * 3);
    for (let p = 0; p < raw.length; p++) raw[p] = (p * (i + 3) * 17 + tint) % 256;
    await sharp(raw, { raw: { width: side, height: side, channels: 3 } }).png().toFile(join(dir, `${i}.png`));
  }
  const { jobId } = await call('datasets:import', { paths: [dir], name });
  const done = await app.jobs.settled(jobId);
  expect(done.state, JSON.stringify(done.error)).toBe('done');
  return (done.result as unknown as ImportReport).datasetId;
}

async function trainToEnd(spec: Input<'runs:start'>['spec']): Promise<string> {
  const { runId, jobId } = await call('runs:start', { spec });
  const done = await app.jobs.settled(jobId);
  expect(done.state, JSON.stringify(done.error)).toBe('done');
  return runId;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gs-runs-'));
  app = await createApp({ workspace: join(root, 'ws'), transport: 'cli', engine: 'inline' });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

describe('runs:list and models:list after training', () => {
  it('show the preset\'s step count, the backend used, the image size and the checkpoint bytes', async () => {
    const photos = await dataset('photos', 8, 24, 0);
    const sketches = await dataset('sketches', 8, 16, 90);
    // no steps and no size in either request: the tiny presets decide both
    const sr = await trainToEnd({ task: 'superres', model: 'esrgan', preset: 'tiny', scale: 2, datasetId: photos, backend: 'wasm' });
    const cg = await trainToEnd({ task: 'cyclegan', model: 'cyclegan', preset: 'tiny', datasetA: photos, datasetB: sketches, backend: 'wasm' });

    const runs = await call('runs:list', {});
    const byId = Object.fromEntries(runs.map((r) => [r.id, r]));
    expect(byId[sr]).toMatchObject({ step: 6, totalSteps: 6, backend: 'wasm', state: 'done' });
    expect(byId[cg]).toMatchObject({ step: 20, totalSteps: 20, backend: 'wasm', state: 'done' });
    // the correction is stored, not only shown: runs:get agrees
    expect(await call('runs:get', { id: cg })).toMatchObject({ totalSteps: 20, backend: 'wasm' });

    const models = await call('models:list', {});
    for (const [id, size] of [[sr, 12], [cg, 32]] as const) {
      const model = models.find((m) => m.id === id);
      expect(model, id).toMatchObject({ source: 'trained', size });
      // the newest checkpoint, not the whole run folder (older checkpoints, samples, logs)
      const checkpoints = join(app.ws.layout.runs, id, 'checkpoints');
      const newest = (await readdir(checkpoints)).filter((n) => n.startsWith('step-')).sort().at(-1)!;
      expect(model!.bytes).toBe(await folderBytes(join(checkpoints, newest)));
      expect(model!.bytes).toBeGreaterThan(1000);
    }
  }, 120_000);
});
