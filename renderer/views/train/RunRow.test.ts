// The run list says where a resume starts when a crash left the last reported step past the
// newest checkpoint (issue #27: 260/400 shown, 240 saved).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import type { RunSummary, TrainSpec } from '../../../src/contract/index.js';
import RunRow from './RunRow.svelte';

const run = (extra: Partial<RunSummary>): RunSummary => ({
  id: 'r1', name: 'faces', notes: '', task: 'generate', model: 'dcgan', state: 'interrupted', createdAt: 0, updatedAt: 0, step: 260, totalSteps: 400,
  spec: { task: 'generate', model: 'dcgan', preset: 'tiny' } as TrainSpec, lastMetrics: {}, backend: 'wasm', jobId: null, bytes: 0, trashed: false, ...extra,
});

describe('RunRow', () => {
  afterEach(() => cleanup());

  it('shows the resumable step when it is behind the last reported one', () => {
    render(RunRow, { props: { run: run({ resumableStep: 240 }) } });
    expect(screen.getByText(/260 \/ 400 steps/)).toBeTruthy();
    expect(screen.getByTestId('run-resumable').textContent).toBe('resumes at 240');
  });

  it('says nothing more when the newest checkpoint is the last step', () => {
    render(RunRow, { props: { run: run({ state: 'done', step: 400, resumableStep: 400 }) } });
    expect(screen.queryByTestId('run-resumable')).toBeNull();
  });
});
