// A task with one model trains without --model; a task with several names its own models.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, writeSolidPngs } from '../testing/cli-harness.js';
import { MODELS_BY_TASK } from '../../contract/runs.js';
import { listFamilies } from '../../models/index.js';
import { TASKS } from '../../contract/common.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-cli-default-model-'));
  await writeSolidPngs(join(root, 'imgs'), 4, 32, 32, (i) => ({ r: i * 60, g: 90, b: 200 - i * 40 }));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function cli(args: string[]) {
  return runCli(join(root, 'ws'), args);
}

describe('train without --model', () => {
  it('MODELS_BY_TASK lists exactly the registered families of each task', () => {
    for (const task of TASKS) {
      expect([...MODELS_BY_TASK[task]].sort(), task).toEqual(listFamilies(task).filter((f) => f.id !== 'template').map((f) => f.id).sort());
    }
  });

  it.each([
    ['superres', ['--data', 'imgs']],
    ['cyclegan', ['--data-a', 'imgs', '--data-b', 'imgs', '--size', '16']],
  ])('--task %s trains its only model', async (task, data) => {
    const r = await cli(['train', '--task', task, '--preset', 'tiny', '--steps', '1', ...data.map((d) => (d === 'imgs' ? join(root, 'imgs') : d)), '--backend', 'wasm', '--json']);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(JSON.parse(r.out.at(-1)!)).toMatchObject({ event: 'done', step: 1 });
    const started = r.out.map((l) => JSON.parse(l) as { event: string; spec?: { model?: string } }).find((e) => e.event === 'started');
    expect(started?.spec?.model).toBe(MODELS_BY_TASK[task as 'superres' | 'cyclegan'][0]);
  }, 120_000);

  it('--task generate names its own models when --model is missing', async () => {
    const r = await cli(['train', '--task', 'generate', '--data', join(root, 'imgs')]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain('--model is required for --task generate: vanilla|dcgan');
  });
});
