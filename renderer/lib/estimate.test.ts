import { describe, expect, it } from 'vitest';
import type { RunSummary, TrainSpec } from '../../src/contract/index.js';
import { estimatePer1000, secondsPerStep } from './estimate.js';

function run(id: string, spec: Partial<TrainSpec>, metrics: Record<string, number>, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    id, name: id, notes: '', task: 'generate', model: spec.model ?? 'dcgan', state: 'done', createdAt: 0, updatedAt: 0, step: 500, totalSteps: 500,
    spec: { task: 'generate', model: 'dcgan', preset: 'small', seed: 0, backend: 'auto', ...spec } as TrainSpec,
    lastMetrics: metrics, backend: 'wasm', jobId: null, bytes: 0, trashed: false, ...extra,
  };
}

describe('estimatePer1000', () => {
  it('uses a run with the same model, preset, size and batch on the same backend, and names it', () => {
    const runs = [run('other-backend', {}, { step_ms: 50 }, { backend: 'cpu' }), run('same', {}, { step_ms: 2000 })];
    const e = estimatePer1000({ model: 'dcgan', preset: 'small', backend: 'wasm', gflops: 30, runs })!;
    expect(e.source).toBe('run');
    expect(e.runId).toBe('same');
    expect(e.secondsPer1000).toBeCloseTo(2000);
    expect(e.basis).toMatch(/from run “same”/);
  });

  it('scales the closest run by the work per step when the size or batch differ', () => {
    const runs = [run('tiny', { preset: 'tiny' }, { step_ms: 100 }), run('small-64', { size: 64 }, { step_ms: 8000 })];
    const e = estimatePer1000({ model: 'dcgan', preset: 'small', batch: 16, backend: 'wasm', gflops: 30, runs })!;
    expect(e.source).toBe('scaled');
    expect(e.runId).toBe('small-64');
    // 64 px batch 32 → 32 px batch 16: an eighth of the pixels per step
    expect(e.secondsPer1000).toBeCloseTo(1000);
    expect(e.basis).toMatch(/64 px, batch 32 → 32 px, batch 16; on wasm/);
  });

  it('falls back to the backend speed, says so, and gives up without one', () => {
    const e = estimatePer1000({ model: 'dcgan', preset: 'default', backend: 'wasm', gflops: 30, runs: [run('vanilla', { model: 'vanilla' }, { step_ms: 5 })] })!;
    expect(e.source).toBe('estimated');
    expect(e.secondsPer1000).toBeCloseTo(((0.9 * 64) / 9) * 1000);
    expect(e.basis).toMatch(/estimated from the wasm backend/);
    expect(estimatePer1000({ model: 'dcgan', preset: 'default', backend: 'wasm', runs: [] })).toBeNull();
  });

  it('uses a run whose backend was not recorded after one that matches, and says so', () => {
    const unknown = run('cli', {}, { step_ms: 900 }, { backend: null, updatedAt: 2 });
    expect(estimatePer1000({ model: 'dcgan', preset: 'small', backend: 'wasm', runs: [unknown] })!.basis).toMatch(/backend not recorded/);
    expect(estimatePer1000({ model: 'dcgan', preset: 'small', backend: 'wasm', runs: [unknown, run('ui', {}, { step_ms: 1000 })] })!.runId).toBe('ui');
  });

  it('reads the trainer\'s own metric names (step_ms, or images_per_s with the preset batch)', () => {
    expect(secondsPerStep(run('a', {}, { step_ms: 250 }))).toBeCloseTo(0.25);
    expect(secondsPerStep(run('b', {}, { images_per_s: 64 }))).toBeCloseTo(0.5);
    expect(secondsPerStep(run('c', {}, { 'loss/G': 1 }))).toBe(0);
  });
});
