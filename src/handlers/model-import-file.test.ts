// models:import of a .safetensors file end to end: the detected architecture on the card, the
// licence stored and editable, nothing left behind by a refused file, pickles refused with the
// conversion command, and the imported id — or the file's own path — usable by batch upscaling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { invoke } from '../contract/api.js';
import type { ModelInfo } from '../contract/models.js';
import { randomStateDict, rrdbArchitecture, srvggArchitecture, stateDictFile } from '../models/community/testing/state-dict.js';
import { createApp, type App } from './context.js';

let dir: string;
let app: App;

async function call<T>(method: string, args: unknown): Promise<T> {
  const r = await invoke(app.handlers, method, args);
  if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { code: r.error.code });
  return r.value as T;
}

const modelFolders = async () => (await readdir(app.ws.layout.models).catch(() => [] as string[])).sort();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-import-file-'));
  app = await createApp({ workspace: join(dir, 'ws'), engine: 'inline', transport: 'cli' });
  await mkdir(join(dir, 'in'), { recursive: true });
  await sharp({ create: { width: 12, height: 10, channels: 3, background: '#4080c0' } }).png().toFile(join(dir, 'in', 'a.png'));
});
afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('models:import of a .safetensors file', () => {
  it('detects the architecture, stores the file with its card, and lists it', async () => {
    const path = join(dir, 'RealESRGAN_tiny_x2plus.safetensors');
    await writeFile(path, stateDictFile(randomStateDict(rrdbArchitecture({ features: 8, blocks: 1, growth: 4, unshuffle: 2 }))));
    const info = await call<ModelInfo>('models:import', { path, licence: 'BSD-3-Clause (xinntao/Real-ESRGAN)' });
    expect(info).toMatchObject({
      source: 'imported', task: 'superres', family: 'rrdbnet', scale: 2, format: 'safetensors', name: 'RealESRGAN_tiny_x2plus',
      architecture: 'RRDBNet, 1 block, 8 features, growth 4, pixel-unshuffle 2, ×2', sourceFile: 'RealESRGAN_tiny_x2plus.safetensors', licence: 'BSD-3-Clause (xinntao/Real-ESRGAN)',
    });
    expect(info.id).toMatch(/^realesrgan_tiny_x2plus-[0-9a-f]{6}$/);
    expect(await readdir(join(app.ws.layout.models, info.id))).toEqual(['model.safetensors', 'sidecar.json']);
    expect((await readFile(join(app.ws.layout.models, info.id, 'model.safetensors'))).equals(await readFile(path))).toBe(true);
    expect((await call<ModelInfo[]>('models:list', {})).find((m) => m.id === info.id)).toMatchObject({ architecture: info.architecture });
  });

  it('stores a licence the user fills in later, and clears it', async () => {
    const path = join(dir, 'general-x4v3.safetensors');
    await writeFile(path, stateDictFile(randomStateDict(srvggArchitecture({ features: 8, convs: 2, scale: 4 })), 'F16'));
    const info = await call<ModelInfo>('models:import', { path, name: 'General v3' });
    expect(info).toMatchObject({ name: 'General v3', family: 'srvgg', scale: 4, architecture: 'SRVGGNetCompact, 2 convs, 8 features, PReLU, ×4' });
    expect(info.licence).toBeUndefined();
    const updated = await call<ModelInfo>('models:update', { id: info.id, licence: '  CC BY-NC-SA 4.0  ' });
    expect(updated.licence).toBe('CC BY-NC-SA 4.0');
    const sidecar = JSON.parse(await readFile(join(app.ws.layout.models, info.id, 'sidecar.json'), 'utf8'));
    expect(sidecar.licence).toBe('CC BY-NC-SA 4.0');
    expect((await call<ModelInfo>('models:update', { id: info.id, licence: '' })).licence).toBeUndefined();
    await expect(call('models:update', { id: 'esrgan-slim-x2', licence: 'MIT' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a mismatched file naming the tensor and the file, and leaves nothing behind', async () => {
    const before = await modelFolders();
    const dict = randomStateDict(rrdbArchitecture({ features: 8, blocks: 1, growth: 4 }));
    const path = join(dir, 'broken.safetensors');
    await writeFile(path, stateDictFile(dict.map((t) => (t.name === 'conv_up2.bias' ? { ...t, shape: [4], values: t.values.subarray(0, 4) } : t))));
    await expect(call('models:import', { path })).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringMatching(/broken\.safetensors: tensor conv_up2\.bias has shape \[4\]; a RRDBNet.* needs \[8\]/) });
    const cut = join(dir, 'cut.safetensors');
    const whole = stateDictFile(dict);
    await writeFile(cut, whole.subarray(0, whole.length - 100));
    await expect(call('models:import', { path: cut })).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringMatching(/cut\.safetensors: .*truncated/) });
    expect(await modelFolders()).toEqual(before);
  });

  it('refuses a .pth pickle with the one-line conversion', async () => {
    const path = join(dir, 'RRDB_ESRGAN_x4.pth');
    await writeFile(path, Buffer.from([0x80, 0x02, 0x63, 0x6f, 0x73, 0x0a])); // a pickle that would import os
    const error = await call('models:import', { path }).catch((e: Error & { code: string }) => e);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect((error as Error).message).toMatch(/PyTorch pickle, which can run code/);
    expect((error as Error).message).toContain("torch.load('" + path + "', map_location='cpu', weights_only=True)");
    expect((error as Error).message).toContain("'RRDB_ESRGAN_x4.safetensors'");
  });

  it('upscales in a batch by the imported id and by the file path', async () => {
    const path = join(dir, 'tiny-x4.safetensors');
    await writeFile(path, stateDictFile(randomStateDict(srvggArchitecture({ features: 4, convs: 1, scale: 4 }))));
    const info = await call<ModelInfo>('models:import', { path });
    for (const model of [info.id, path]) {
      const out = join(dir, `out-${model === path ? 'file' : 'id'}`);
      const { jobId } = await call<{ jobId: string }>('batch:start', { spec: { task: 'superres', model, inputs: [join(dir, 'in')], out } });
      const final = await app.jobs.settled(jobId);
      expect(final.state, final.error?.message).toBe('done');
      const [file] = (await readdir(out)).filter((f) => f.endsWith('.png'));
      expect(await sharp(join(out, file!)).metadata()).toMatchObject({ width: 48, height: 40 });
    }
  });
});
