// The backend chooser on the machine the tests run on: it must always come back with a usable
// backend and a reason for every row, whatever is or is not installed.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { deviceInfo, initTf, matmulProbe, probeInChild, selectBackend } from './backends.js';

describe('selectBackend', () => {
  it('auto picks a working backend and explains every other row', async () => {
    const { chosen, table } = await selectBackend('auto', { probeSeconds: 0 });
    expect(table.map((r) => r.name)).toEqual(['cuda', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
    for (const row of table) expect(row.reason.length).toBeGreaterThan(5);
    const row = table.find((r) => r.name === chosen)!;
    expect(row.available).toBe(true);
    expect(row.reason).toMatch(/^chosen: /);
    // Everything ranked above the choice must say why it was passed over.
    for (const r of table.slice(0, table.indexOf(row))) expect(r.available).toBe(false);
    // Without a GPU or tfjs-node (this CI), the answer is wasm, with install hints above it.
    if (table[0]!.reason.startsWith('not installed') && table[2]!.reason.startsWith('not installed')) {
      expect(chosen).toBe('wasm');
      expect(table[0]!.reason).toContain('npm i @tensorflow/tfjs-node-gpu');
    }
    const webgpu = table[1]!;
    if (webgpu.adapter && /llvmpipe|swiftshader|lavapipe/i.test(webgpu.adapter)) {
      expect(webgpu.available).toBe(false);
      expect(webgpu.reason).toContain('force with --backend webgpu');
    }
  });

  it('a forced backend that is missing falls back with the reason', async () => {
    const { chosen, table } = await selectBackend('tensorflow', { probeSeconds: 0 });
    const tfRow = table.find((r) => r.name === 'tensorflow')!;
    if (!tfRow.available) {
      expect(['wasm', 'cpu']).toContain(chosen);
      expect(tfRow.reason).toContain(`fell back to ${chosen}`);
    }
    expect(table.find((r) => r.name === 'cuda')!.reason).toContain('not probed');
  });

  it('a probe that does not answer in time is reported, not awaited forever', async () => {
    const r = await probeInChild('webgpu', 0, 1);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/did not answer/);
  });
});

describe('initTf, deviceInfo, matmulProbe', () => {
  it('initTf(wasm) activates wasm with the training kernels', async () => {
    const { chosen } = await initTf('wasm', { probeSeconds: 0 });
    expect(chosen).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('deviceInfo describes the machine', () => {
    const d = deviceInfo();
    expect(d.cores).toBeGreaterThan(0);
    expect(d.memoryBytes).toBeGreaterThan(0);
    expect(d.cpu.length).toBeGreaterThan(0);
  });

  it('matmulProbe measures a positive rate and restores the backend', async () => {
    await tf.setBackend('cpu');
    const g = await matmulProbe('wasm', 0.2);
    expect(g).toBeGreaterThan(0);
    expect(tf.getBackend()).toBe('cpu');
  });
});
