// The engine choice for our networks' inference: forced by GAN_STUDIO_INFERENCE, tfjs off the CPU
// backends, otherwise the bench's recorded verdict for this CPU (a busy one decides nothing), and
// tfjs where nothing was measured.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseInferenceEngine, inferenceEngineCachePath, readInferenceBenchRecord, writeInferenceBenchRecord } from './inference-engine.js';

let dir: string;
const saved = { cache: process.env.GAN_STUDIO_BACKEND_CACHE, engine: process.env.GAN_STUDIO_INFERENCE };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-engine-'));
  process.env.GAN_STUDIO_BACKEND_CACHE = join(dir, 'backend-choice.json');
  delete process.env.GAN_STUDIO_INFERENCE;
});
afterEach(async () => {
  for (const [key, value] of [['GAN_STUDIO_BACKEND_CACHE', saved.cache], ['GAN_STUDIO_INFERENCE', saved.engine]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await rm(dir, { recursive: true, force: true });
});

describe('chooseInferenceEngine', () => {
  it('keeps tfjs where nothing was measured, and off the CPU backends', () => {
    expect(chooseInferenceEngine('wasm')).toMatchObject({ engine: 'tfjs', reason: expect.stringMatching(/not measured/) });
    writeInferenceBenchRecord({ esrgan: 3 }, false);
    expect(chooseInferenceEngine('webgpu')).toMatchObject({ engine: 'tfjs', reason: expect.stringMatching(/not a CPU backend/) });
  });

  it('follows an idle measurement on this CPU (geometric mean of the ratios), never a busy one', () => {
    expect(inferenceEngineCachePath()).toBe(join(dir, 'inference-engine.json'));
    expect(writeInferenceBenchRecord({ a: 2, b: 0.8 }, false)?.engine).toBe('ort');
    expect(chooseInferenceEngine('wasm')).toMatchObject({ engine: 'ort', reason: expect.stringMatching(/a 2\.00×, b 0\.80×/) });
    expect(writeInferenceBenchRecord({ a: 1.2, b: 0.5 }, false)?.engine).toBe('tfjs');
    expect(chooseInferenceEngine('cpu').engine).toBe('tfjs');
    writeInferenceBenchRecord({ a: 5 }, true);
    expect(readInferenceBenchRecord()?.busy).toBe(true);
    expect(chooseInferenceEngine('wasm')).toMatchObject({ engine: 'tfjs', reason: expect.stringMatching(/busy/) });
  });

  it('GAN_STUDIO_INFERENCE forces either engine', () => {
    process.env.GAN_STUDIO_INFERENCE = 'ort';
    expect(chooseInferenceEngine('webgpu').engine).toBe('ort');
    process.env.GAN_STUDIO_INFERENCE = 'tfjs';
    writeInferenceBenchRecord({ a: 4 }, false);
    expect(chooseInferenceEngine('wasm').engine).toBe('tfjs');
  });
});
