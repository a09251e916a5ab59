// models:import reads only the model folder's own regular files: a link anywhere in the tree
// (a sub-folder, the folder itself, model.json, the sidecar) is refused, files are copied as
// bytes, shapes must be whole non-negative numbers and model.json is size-capped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lstat, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoke } from '../contract/api.js';
import type { ModelInfo } from '../contract/models.js';
import { createApp, type App } from './context.js';

let base: string;
let allowed: string;
let app: App;
const SECRET = 'the server owner’s private key\n';

interface Weight { name: string; shape: number[]; dtype: string }

/** A minimal TF.js layers-model folder: model.json, one weight group, a sidecar. */
async function modelFolder(name: string, opts: { weights?: Weight[]; paths?: string[]; bin?: Buffer; pad?: number } = {}): Promise<string> {
  const dir = join(allowed, name);
  await mkdir(dir, { recursive: true });
  const weights = opts.weights ?? [{ name: 'dense/kernel', shape: [2], dtype: 'float32' }];
  const paths = opts.paths ?? ['group1-shard1of1.bin'];
  const model = { modelTopology: { class_name: 'Sequential' }, weightsManifest: [{ paths, weights }], ...(opts.pad ? { pad: 'x'.repeat(opts.pad) } : {}) };
  await writeFile(join(dir, 'model.json'), JSON.stringify(model));
  if (!opts.paths) await writeFile(join(dir, paths[0]!), opts.bin ?? Buffer.alloc(8));
  await writeFile(join(dir, 'gan-studio.json'), JSON.stringify({ task: 'superres', scale: 2, name }));
  return dir;
}

async function importCode(path: string): Promise<string> {
  const r = await invoke(app.handlers, 'models:import', { path });
  return r.ok ? 'ok' : r.error.code;
}

async function importedCount(): Promise<number> {
  return (await readdir(app.ws.layout.models).catch(() => [])).length;
}

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'gs-model-import-')));
  allowed = join(base, 'A');
  await mkdir(join(base, 'outside'), { recursive: true });
  await writeFile(join(base, 'outside', 'secret.txt'), SECRET);
  app = await createApp({ workspace: join(base, 'ws'), engine: 'inline', transport: 'http', allow: [allowed] });
});

afterAll(async () => {
  await app?.close();
  await rm(base, { recursive: true, force: true });
});

describe('models:import', () => {
  it('imports a plain model folder as copied bytes', async () => {
    const dir = await modelFolder('good');
    const r = await invoke(app.handlers, 'models:import', { path: dir });
    expect(r.ok).toBe(true);
    const id = (r as { value: ModelInfo }).value.id;
    const stored = join(app.ws.layout.models, id);
    for (const f of ['model.json', 'group1-shard1of1.bin']) expect((await lstat(join(stored, f))).isFile()).toBe(true);
    expect((await readFile(join(stored, 'group1-shard1of1.bin'))).length).toBe(8);
  });

  it('refuses a weight path through a symlinked sub-folder, reading nothing outside', async () => {
    const dir = await modelFolder('via-sub', {
      paths: ['sub/secret.txt'], weights: [{ name: 'w', shape: [Buffer.byteLength(SECRET)], dtype: 'uint8' }],
    });
    await symlink(join(base, 'outside'), join(dir, 'sub'));
    const before = await importedCount();
    expect(await importCode(dir)).toBe('MODEL_INVALID');
    expect(await importedCount()).toBe(before);
  });

  it('refuses an import folder that is itself a link, and a model.json or sidecar that is a link', async () => {
    const real = await modelFolder('real-target');
    await symlink(real, join(allowed, 'linked-folder'));
    expect(await importCode(join(allowed, 'linked-folder'))).toBe('MODEL_INVALID');

    const json = await modelFolder('json-link');
    await rm(join(json, 'model.json'));
    await symlink(join(real, 'model.json'), join(json, 'model.json'));
    expect(await importCode(json)).toBe('MODEL_INVALID');
    expect(await importCode(join(json, 'model.json'))).toBe('MODEL_INVALID');

    const side = await modelFolder('sidecar-link');
    await rm(join(side, 'gan-studio.json'));
    await symlink(join(real, 'gan-studio.json'), join(side, 'gan-studio.json'));
    expect(await importCode(side)).toBe('MODEL_INVALID');
  });

  it('refuses negative or fractional shapes even when their product matches the bytes', async () => {
    const negative = await modelFolder('negative', { weights: [{ name: 'w', shape: [-2, -4], dtype: 'uint8' }] });
    expect(await importCode(negative)).toBe('MODEL_INVALID');
    const fractional = await modelFolder('fractional', { weights: [{ name: 'w', shape: [2.5, 3.2], dtype: 'uint8' }] });
    expect(await importCode(fractional)).toBe('MODEL_INVALID');
    const wrong = await modelFolder('wrong-bytes', { weights: [{ name: 'w', shape: [3], dtype: 'float32' }] });
    expect(await importCode(wrong)).toBe('MODEL_INVALID');
  });

  it('refuses a 60 MB model.json', async () => {
    const big = await modelFolder('huge-json', { pad: 60 * 1024 * 1024 });
    const r = await invoke(app.handlers, 'models:import', { path: big });
    expect(r.ok ? 'ok' : r.error.code).toBe('MODEL_INVALID');
    if (!r.ok) expect(r.error.message).toMatch(/at most/);
  });
});
