// Issue #27 item 11: a JSON file we read that is not JSON is an error naming the file and the fix,
// whether it is a model sidecar, a run's spec.json or a batch plan (checkpoints: checkpoint-recovery.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoke } from '../contract/api.js';
import { AppError } from '../contract/errors.js';
import { createApp, type App } from '../handlers/context.js';
import { readBatchPlan } from '../jobs/batch/batch-task.js';
import { readRunSpec } from '../training/run-files.js';
import { readJsonFile } from './json-file.js';

const BROKEN = '{ task: "superres", scale: 4 }';
let dir: string;
let app: App;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-json-'));
  app = await createApp({ workspace: join(dir, 'ws'), transport: 'cli' });
});
afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('JSON files that are not JSON', () => {
  it('readJsonFile names the file, what it is and the fix; a missing file stays ENOENT', async () => {
    const file = join(dir, 'x.json');
    await writeFile(file, BROKEN);
    const error = await errorOf(readJsonFile(file, { what: 'test file', fix: 'rewrite it' }));
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.message).toBe(`test file ${file} is not valid JSON (${(() => { try { JSON.parse(BROKEN); } catch (e) { return (e as Error).message; } })()}); rewrite it`);
    const missing = await readJsonFile(join(dir, 'none.json'), { what: 'x', fix: 'y' }).catch((e: NodeJS.ErrnoException) => e.code);
    expect(missing).toBe('ENOENT');
  });

  it('a broken gan-studio.json sidecar on import names the file (was INTERNAL: Expected double-quoted property name…)', async () => {
    const folder = join(dir, 'model');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'gan-studio.json'), BROKEN);
    const r = await invoke(app.handlers, 'models:import', { path: folder });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('MODEL_INVALID');
    expect(r.error.message).toContain(`model sidecar ${join(folder, 'gan-studio.json')} is not valid JSON`);
    expect(r.error.message).toMatch(/pass --task and --scale/);
  });

  it('a damaged stored sidecar names itself when the model is used and does not hide the other models', async () => {
    const stored = join(app.ws.layout.models, 'broken-abc123');
    await mkdir(stored, { recursive: true });
    await writeFile(join(stored, 'sidecar.json'), BROKEN);
    const r = await invoke(app.handlers, 'models:export', { id: 'broken-abc123' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(`imported model sidecar ${join(stored, 'sidecar.json')} is not valid JSON`);
    const list = await invoke(app.handlers, 'models:list', {});
    expect(list.ok).toBe(true);
  });

  it("a run's spec.json and a batch plan name themselves", async () => {
    const runDir = join(dir, 'run');
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, 'spec.json'), '{"format":1,');
    expect((await errorOf(readRunSpec(runDir))).message).toMatch(/^run settings \S+spec\.json is not valid JSON .*delete the file/);
    expect(await readRunSpec(join(dir, 'no-run'))).toBeNull();
    await writeFile(join(runDir, 'plan.json'), '');
    expect((await errorOf(readBatchPlan(runDir))).message).toMatch(/^batch plan \S+plan\.json is not valid JSON .*start the batch again/);
  });
});
