// The one run resolver: id, unique name, folder — and the same answers through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TrainSpec } from '../contract/runs.js';
import { invoke } from '../contract/api.js';
import { createApp, type App } from '../handlers/context.js';
import { insertRun, updateRun } from './runs-repo.js';
import { resolveRunRef } from './run-ref.js';

let root: string;
let app: App;
const spec = TrainSpec.parse({ task: 'generate', model: 'vanilla', datasetId: 'd1', preset: 'tiny' });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-run-ref-'));
  app = await createApp({ workspace: join(root, 'ws'), transport: 'cli' });
  const cat = app.ws.catalog;
  insertRun(cat, { id: 'vanilla-a', name: 'cats', spec, totalSteps: 1 });
  insertRun(cat, { id: 'vanilla-b', name: 'twins', spec, totalSteps: 1 });
  insertRun(cat, { id: 'vanilla-c', name: 'twins', spec, totalSteps: 1 });
  insertRun(cat, { id: 'vanilla-d', name: 'binned', spec, totalSteps: 1 });
  insertRun(cat, { id: 'vanilla-e', name: 'binned', spec, totalSteps: 1 });
  updateRun(cat, 'vanilla-e', { trashed: true });
  await mkdir(join(app.ws.layout.runs, 'vanilla-a'), { recursive: true });
  await mkdir(join(root, 'outside-run'), { recursive: true });
  await mkdir(join(app.ws.layout.models, 'imported-1'), { recursive: true });
});
afterAll(async () => {
  await app.close();
  await rm(root, { recursive: true, force: true });
});

describe('resolveRunRef', () => {
  const ws = () => app.ws;
  const id = (ref: string, folders = false) => {
    const t = resolveRunRef(ws(), ref, { folders });
    return t.kind === 'run' ? t.run.id : `folder:${t.dir}`;
  };

  it('takes an id, a unique name (trashed runs do not count) or the run\'s workspace folder', () => {
    expect(id('vanilla-b')).toBe('vanilla-b');
    expect(id('cats')).toBe('vanilla-a');
    expect(id('binned')).toBe('vanilla-d');
    expect(id(join(ws().layout.runs, 'vanilla-a'))).toBe('vanilla-a');
    expect(id(relative(process.cwd(), join(ws().layout.runs, 'vanilla-c')))).toBe('vanilla-c');
  });

  it('refuses an ambiguous name, listing the runs that have it', () => {
    expect(() => resolveRunRef(ws(), 'twins')).toThrow(/2 runs are named "twins": vanilla-(b|c) .*vanilla-(b|c) .*give the run's id/);
  });

  it('folders outside the catalog resolve only where folders are allowed (the CLI, not the server)', () => {
    expect(id(join(root, 'outside-run'), true)).toBe(`folder:${join(root, 'outside-run')}`);
    expect(id('imported-1', true)).toBe(`folder:${join(ws().layout.models, 'imported-1')}`);
    expect(() => resolveRunRef(ws(), join(root, 'outside-run'))).toThrow(/not a run folder of this workspace/);
    expect(() => resolveRunRef(ws(), 'imported-1')).toThrow(/no run "imported-1": give a run id, its name/);
    expect(() => resolveRunRef(ws(), join(root, 'missing'), { folders: true })).toThrow(/does not exist/);
  });

  it('the API takes the same references: runs:get and runs:update by name or folder, never a path outside', async () => {
    const byName = await invoke(app.handlers, 'runs:get', { id: 'cats' });
    expect(byName.ok && (byName.value as { id: string }).id).toBe('vanilla-a');
    const byFolder = await invoke(app.handlers, 'runs:update', { id: join(ws().layout.runs, 'vanilla-a'), notes: 'n' });
    expect(byFolder.ok && byFolder.value).toMatchObject({ id: 'vanilla-a', notes: 'n' });
    const twins = await invoke(app.handlers, 'runs:get', { id: 'twins' });
    expect(twins.ok ? null : twins.error.code).toBe('INVALID_ARGUMENT');
    const escape = await invoke(app.handlers, 'runs:log', { id: '../../etc' });
    expect(escape.ok ? null : escape.error.code).toBe('NOT_FOUND');
  });
});
