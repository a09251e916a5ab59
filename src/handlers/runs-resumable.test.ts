// Issue #27: after an engine was killed, `runs` showed 260/400 while the last checkpoint was 240.
// runs:list / runs:get (and so the CLI table and the UI's run row) now carry the step a resume
// really starts from: the newest checkpoint's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoke } from '../contract/api.js';
import { TrainSpec, type RunSummary } from '../contract/runs.js';
import { main } from '../cli/main.js';
import { silentReporter } from '../common/reporter.js';
import { checkpointsDir, loadLatestCheckpoint } from '../training/checkpoint.js';
import { memoryBatchSource } from '../training/memory-source.js';
import { syntheticImages } from '../training/testing/family-test-kit.js';
import { train } from '../training/train.js';
import { insertRun, updateRun } from '../workspace/runs-repo.js';
import { createApp, type App } from './context.js';

let root: string;
let app: App;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'gs-resumable-'));
  app = await createApp({ workspace: join(root, 'ws'), transport: 'cli' });
});
afterAll(async () => {
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

async function listed(id: string): Promise<RunSummary> {
  const r = await invoke(app.handlers, 'runs:list', {});
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as RunSummary[]).find((run) => run.id === id)!;
}

describe('the resumable step of a run', () => {
  it('is the newest good checkpoint, not the last step reported before a kill', async () => {
    const spec = TrainSpec.parse({ task: 'generate', model: 'vanilla', preset: 'tiny', seed: 2, steps: 4, sampleEvery: 100, checkpointEvery: 2, keepCheckpoints: 3 });
    const id = 'killed-run';
    insertRun(app.ws.catalog, { id, name: 'killed', spec, totalSteps: 10, state: 'running' });
    expect((await listed(id)).resumableStep).toBeNull();
    const source = memoryBatchSource(syntheticImages(16, 8, 1), ['real'], 5, { heldOutCount: 4 });
    const runDir = join(app.ws.layout.runs, id);
    await train({ spec, runDir, source, scoreImages: 0 }, { signal: new AbortController().signal, report: silentReporter });
    source.dispose();
    // the engine reported step 6 (of 10), then died before its next checkpoint
    updateRun(app.ws.catalog, id, { step: 6, totalSteps: 10, state: 'interrupted' });
    expect(await listed(id)).toMatchObject({ step: 6, resumableStep: 4 });

    const out: string[] = [];
    const code = await main(['runs', '--workspace', app.ws.root], { out: (l) => out.push(l), err: () => {}, tty: false });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/STEPS\s+RESUMES AT/);
    expect(out.find((l) => l.startsWith(id))).toMatch(/ 6\/\d+\s+4$/);

    // a corrupt newest checkpoint: a resume would start from the one before, and the list says so
    await truncate(join(checkpointsDir(runDir), 'step-000004', 'weights.bin'), 8);
    await loadLatestCheckpoint(runDir);
    expect((await listed(id)).resumableStep).toBe(2);
    const got = await invoke(app.handlers, 'runs:get', { id });
    expect(got.ok && (got.value as RunSummary).resumableStep).toBe(2);
  });
});
