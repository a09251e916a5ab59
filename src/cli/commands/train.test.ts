import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, writeSolidPngs } from '../testing/cli-harness.js';
import { createApp } from '../../handlers/context.js';
import { call } from '../app-client.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-cli-train-'));
  await writeSolidPngs(join(root, 'imgs'), 6, 20, 14, (i) => ({ r: i * 40, g: 90, b: 200 - i * 30 }));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function cli(args: string[]) {
  return runCli(join(root, 'ws'), args);
}

describe('gan-studio train / generate (folder data, --json)', () => {
  it('records --flip in the run spec (generation default: off) and refuses --flip with --no-flip', async () => {
    const both = await cli(['train', '--model', 'vanilla', '--flip', '--no-flip', '--data', join(root, 'imgs')]);
    expect(both.code).toBe(2);
    expect(both.err.join('\n')).toMatch(/--flip or --no-flip, not both/);
    const run = join(root, 'flip-run');
    const flipped = await cli(['train', '--task', 'generate', '--model', 'vanilla', '--preset', 'tiny', '--data', join(root, 'imgs'), '--out', run, '--backend', 'cpu', '--steps', '1', '--flip', '--json']);
    expect(flipped.code, flipped.err.join('\n')).toBe(0);
    expect((JSON.parse(await readFile(join(run, 'spec.json'), 'utf8')) as { spec: { flip?: boolean } }).spec.flip).toBe(true);
  });

  it('trains, resumes, refuses another config, and generates', async () => {
    const run = join(root, 'run');
    const base = ['train', '--task', 'generate', '--model', 'vanilla', '--preset', 'tiny', '--data', join(root, 'imgs'), '--out', run, '--backend', 'cpu', '--json'];
    const first = await cli([...base, '--steps', '2', '--sample-every', '1']);
    expect(first.code, first.err.join('\n')).toBe(0);
    const events = first.out.map((l) => JSON.parse(l) as { event: string; step?: number; stopped?: string });
    expect(events.at(-1)).toMatchObject({ event: 'done', step: 2, stopped: 'done' });
    expect(events.some((e) => e.event === 'metrics')).toBe(true);

    const resumed = await cli(['train', '--data', join(root, 'imgs'), '--out', run, '--resume', '--steps', '3', '--backend', 'cpu', '--json']);
    expect(resumed.code, resumed.err.join('\n')).toBe(0);
    expect(JSON.parse(resumed.out.at(-1)!)).toMatchObject({ event: 'done', step: 3 });

    const mismatch = await cli(['train', '--data', join(root, 'imgs'), '--out', run, '--resume', '--steps', '4', '--loss', 'hinge', '--backend', 'cpu', '--json']);
    expect(mismatch.code).toBe(1);
    expect(JSON.parse(mismatch.out.at(-1)!)).toMatchObject({ event: 'failed', code: 'CONFIG_MISMATCH' });

    const gen = await cli(['generate', '--run', run, '--count', '2', '--out', join(root, 'gen'), '--backend', 'cpu']);
    expect(gen.code, gen.err.join('\n')).toBe(0);
    expect((await readdir(join(root, 'gen'))).sort()).toEqual(['seed-000000.png', 'seed-000001.png']);
  });

  it('trains a workspace run in the engine process: runs:list shows it done with a checkpoint', async () => {
    const args = ['train', '--model', 'vanilla', '--preset', 'tiny', '--steps', '4', '--data', join(root, 'imgs'), '--backend', 'cpu', '--name', 'cli run', '--json'];
    const r = await cli(args);
    expect(r.code, r.err.join('\n')).toBe(0);
    const events = r.out.map((l) => JSON.parse(l) as { event: string; runId?: string; step?: number; stopped?: string; spec?: { datasetId?: string } });
    expect(events.every((e) => typeof e.event === 'string')).toBe(true);
    const started = events.find((e) => e.event === 'started')!;
    expect(started.runId).toBeTruthy();
    expect(events.at(-1)).toMatchObject({ event: 'done', step: 4, stopped: 'done', runId: started.runId, backend: 'cpu' });

    const app = await createApp({ workspace: join(root, 'ws'), transport: 'cli' });
    try {
      const run = (await call(app, 'runs:list', {})).find((x) => x.id === started.runId);
      expect(run).toMatchObject({ name: 'cli run', state: 'done', model: 'vanilla' });
      // the folder was imported as a dataset the run refers to
      expect((await call(app, 'datasets:list', {})).map((d) => d.id)).toContain(run!.spec.datasetId);
      const checkpoints = await call(app, 'runs:checkpoints', { id: run!.id });
      expect(checkpoints.find((c) => c.latest)?.step).toBe(4);
      // the run's training job, as the Jobs view sees it
      expect(app.jobs.get(run!.jobId!)).toMatchObject({ kind: 'train', state: 'done', runId: run!.id });
    } finally {
      await app.close();
    }

    const again = await cli(['train', '--resume', '--run', started.runId!, '--json']);
    expect(again.code, again.err.join('\n')).toBe(0);
    expect(JSON.parse(again.out.at(-1)!)).toMatchObject({ event: 'done', step: 4, stopped: 'done' });
    const refused = await cli(['train', '--resume', '--run', started.runId!, '--steps', '8']);
    expect(refused.code).toBe(2);
  });
});
