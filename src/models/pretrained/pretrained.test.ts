import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { prepareWasm } from '../../engine/wasm-setup.js';
import { mkdtemp, rm, writeFile, readFile, mkdir, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getPretrainedManifest, listPretrained, loadPretrained, pretrainedFolder, pretrainedModelInfos, resolvePretrainedId } from './catalog.js';
import { loadLayersModelFromDir } from './layers-loader.js';

let dir: string;
beforeAll(async () => {
  // Pretrained nets are too slow on the pure-JS cpu backend; wasm runs their forward pass.
  await prepareWasm();
  await tf.setBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'gs-pretrained-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A one-conv layers-model written by hand, with the weight paths we want to test. */
async function writeModel(folder: string, paths: string[], shardBytes: number[]): Promise<void> {
  await mkdir(folder, { recursive: true });
  const m = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [null, null, 3] as unknown as number[], filters: 3, kernelSize: 1, name: 'c' })] });
  const topology = m.toJSON(undefined, false);
  m.dispose();
  const json = {
    format: 'layers-model',
    modelTopology: topology,
    weightsManifest: [{ paths, weights: [{ name: 'c/kernel', shape: [1, 1, 3, 3], dtype: 'float32' }, { name: 'c/bias', shape: [3], dtype: 'float32' }] }],
  };
  await writeFile(join(folder, 'model.json'), JSON.stringify(json));
  for (let i = 0; i < paths.length; i++) {
    const target = join(folder, paths[i]!);
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, Buffer.alloc(shardBytes[i]!));
  }
}

describe('validating layers-model loader', () => {
  it('loads a well-formed folder', async () => {
    const folder = join(dir, 'ok');
    await writeModel(folder, ['w.bin'], [48]);
    const model = await loadLayersModelFromDir(folder);
    expect(model.outputs[0]!.shape).toEqual([null, null, null, 3]);
    model.dispose();
  });

  it('refuses a weight path that escapes the folder', async () => {
    const folder = join(dir, 'escape', 'model');
    await writeModel(folder, ['../evil.bin'], [48]);
    await expect(loadLayersModelFromDir(folder)).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining('escapes the model folder') });
    await writeModel(join(dir, 'abs'), ['/etc/passwd'], [48]);
    await expect(loadLayersModelFromDir(join(dir, 'abs'))).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining('absolute') });
  });

  it('refuses shards whose byte count does not match the weights', async () => {
    const folder = join(dir, 'short');
    await writeModel(folder, ['w.bin'], [40]);
    await expect(loadLayersModelFromDir(folder)).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining('hold 40 bytes but the weights need 48') });
  });

  it('refuses files that differ from our manifest (size or sha256)', async () => {
    const m = getPretrainedManifest('esrgan-slim-x2');
    const folder = join(dir, 'tampered');
    await mkdir(folder);
    for (const f of m.files) await copyFile(join(pretrainedFolder(m), f.path), join(folder, f.path));
    const shard = join(folder, m.files[1]!.path);
    const bytes = await readFile(shard);
    bytes[100] = bytes[100]! ^ 0xff;
    await writeFile(shard, bytes);
    await expect(loadLayersModelFromDir(folder, { expectedFiles: m.files })).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining('sha256') });
    await writeFile(shard, bytes.subarray(0, bytes.length - 4));
    await expect(loadLayersModelFromDir(folder, { expectedFiles: m.files })).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining('the manifest says') });
  });
});

describe('pretrained catalog', () => {
  it('lists slim, medium and thick at ×2/×3/×4 with licences', () => {
    expect(listPretrained().map((m) => m.id)).toHaveLength(9);
    expect(pretrainedModelInfos().every((i) => i.licence?.startsWith('MIT'))).toBe(true);
    expect(resolvePretrainedId('esrgan-thick', 3)).toBe('esrgan-thick-x3');
    expect(resolvePretrainedId('runs/abc', 2)).toBeNull();
    expect(() => resolvePretrainedId('esrgan-slim', 8)).toThrow(/available scales/);
  });

  it('slim ×2 upscales a small image to twice its size', async () => {
    const { model, predict, manifest } = await loadPretrained('esrgan-slim-x2');
    expect(manifest.inputRange).toEqual([0, 255]);
    const out = tf.tidy(() => predict(tf.randomUniform([1, 12, 10, 3], 0, 255, 'float32', 1) as tf.Tensor4D));
    expect(out.shape).toEqual([1, 24, 20, 3]);
    expect(Number.isFinite((await out.sum().data())[0])).toBe(true);
    out.dispose();
    model.dispose();
  });

  it('thick ×2 loads with its custom layers and keeps the shape', async () => {
    const { model, predict, manifest } = await loadPretrained('esrgan-thick-x2');
    expect(manifest.inputRange).toEqual([0, 1]);
    const out = tf.tidy(() => predict(tf.randomUniform([1, 6, 5, 3], 0, 1, 'float32', 1) as tf.Tensor4D));
    expect(out.shape).toEqual([1, 12, 10, 3]);
    out.dispose();
    model.dispose();
  });
});
