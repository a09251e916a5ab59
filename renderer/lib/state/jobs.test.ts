import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../src/contract/index.js';
import { JobsStore } from './jobs.svelte.js';

const at = (n: number) => 1_700_000_000_000 + n;

const trainLife: JobEvent[] = [
  { type: 'queued', jobId: 'j1', at: at(0), kind: 'train', title: 'Train emoji', position: 0 },
  { type: 'started', jobId: 'j1', at: at(1), runId: 'run-1' },
  { type: 'progress', jobId: 'j1', at: at(2), progress: { done: 10, total: 100, unit: 'step', eta: 90, rate: 1 } },
  { type: 'metrics', jobId: 'j1', at: at(3), step: 10, values: { 'loss/G': 1.5, 'loss/D': 0.7 } },
  { type: 'sample', jobId: 'j1', at: at(4), step: 10, path: 'runs/run-1/samples/step-000010.png' },
  { type: 'metrics', jobId: 'j1', at: at(5), step: 20, values: { 'loss/G': 1.2, 'loss/D': 0.6 } },
  { type: 'log', jobId: 'j1', at: at(6), level: 'warn', message: 'slow step' },
  { type: 'paused', jobId: 'j1', at: at(7) },
  { type: 'resumed', jobId: 'j1', at: at(8) },
  { type: 'done', jobId: 'j1', at: at(9), result: { step: 100 } },
];

describe('JobsStore', () => {
  it('applies a job life cycle in order', () => {
    const store = new JobsStore();
    const seen: string[] = [];
    store.listen((e, job) => seen.push(`${e.type}:${job.state}`));
    for (const e of trainLife.slice(0, 8)) store.apply(e);
    const job = store.get('j1')!;
    expect(job.kind).toBe('train');
    expect(job.state).toBe('paused');
    expect(job.runId).toBe('run-1');
    expect(job.progress?.done).toBe(10);
    expect(job.metrics).toEqual({ 'loss/G': 1.2, 'loss/D': 0.6 });
    expect(job.series.map((p) => p.step)).toEqual([10, 20]);
    expect(job.samples).toHaveLength(1);
    expect(store.active.map((j) => j.id)).toEqual(['j1']);
    for (const e of trainLife.slice(8)) store.apply(e);
    expect(job.state).toBe('done');
    expect(job.result).toEqual({ step: 100 });
    expect(store.finished.train).toBe(1);
    expect(store.active).toHaveLength(0);
    expect(seen.slice(-3)).toEqual(['paused:paused', 'resumed:running', 'done:done']);
  });

  it('rebuilds the same state from a late-subscriber replay, and a second replay changes nothing', () => {
    const live = new JobsStore();
    for (const e of trainLife.slice(0, 6)) live.apply(e);

    // What the transport replays to a late subscriber: each job's current state, in order.
    const replay: JobEvent[] = [
      { type: 'queued', jobId: 'j1', at: at(0), kind: 'train', title: 'Train emoji', position: 0 },
      { type: 'started', jobId: 'j1', at: at(1), runId: 'run-1' },
      { type: 'progress', jobId: 'j1', at: at(2), progress: { done: 10, total: 100, unit: 'step', eta: 90, rate: 1 } },
      { type: 'metrics', jobId: 'j1', at: at(5), step: 20, values: { 'loss/G': 1.2, 'loss/D': 0.6 } },
      { type: 'sample', jobId: 'j1', at: at(4), step: 10, path: 'runs/run-1/samples/step-000010.png' },
    ];
    const late = new JobsStore();
    for (const e of replay) late.apply(e);
    const a = live.get('j1')!;
    const b = late.get('j1')!;
    expect(b.state).toBe(a.state);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.progress).toEqual(a.progress);
    expect(b.samples).toEqual(a.samples);

    // reconnect: the same replay again must not duplicate samples, points or move the state back
    for (const e of replay) live.apply(e);
    expect(a.samples).toHaveLength(1);
    expect(a.series.map((p) => p.step)).toEqual([10, 20]);
    expect(a.state).toBe('running');
    expect(live.finished.train).toBe(0);
  });

  it('a job that ended before the UI opened (a replayed history) does not bump finished; a live end does', () => {
    const store = new JobsStore();
    store.liveSince = at(100);
    for (const e of trainLife) store.apply(e); // all before at(100): history
    expect(store.get('j1')!.state).toBe('done');
    expect(store.finished.train).toBe(0);
    store.apply({ type: 'queued', jobId: 'j9', at: at(101), kind: 'train', title: 'Live', position: 0 });
    store.apply({ type: 'started', jobId: 'j9', at: at(102) });
    store.apply({ type: 'done', jobId: 'j9', at: at(103) });
    expect(store.finished.train).toBe(1);
  });

  it('merges out-of-order metric points by step and keeps final states final', () => {
    const store = new JobsStore();
    store.apply({ type: 'metrics', jobId: 'j2', at: at(1), step: 30, values: { 'loss/G': 1 } });
    store.apply({ type: 'metrics', jobId: 'j2', at: at(2), step: 10, values: { 'loss/G': 3 } });
    store.apply({ type: 'metrics', jobId: 'j2', at: at(3), step: 30, values: { 'loss/D': 2 } });
    const job = store.get('j2')!;
    expect(job.series).toEqual([
      { step: 10, values: { 'loss/G': 3 } },
      { step: 30, values: { 'loss/G': 1, 'loss/D': 2 } },
    ]);
    expect(job.metrics).toEqual({ 'loss/G': 1, 'loss/D': 2 });

    store.apply({ type: 'queued', jobId: 'j3', at: at(0), kind: 'batch', title: 'Upscale', position: 2 });
    store.apply({ type: 'failed', jobId: 'j3', at: at(5), code: 'OUT_OF_MEMORY', message: 'tile too large' });
    store.apply({ type: 'failed', jobId: 'j3', at: at(5), code: 'OUT_OF_MEMORY', message: 'tile too large' });
    expect(store.get('j3')!.error).toEqual({ code: 'OUT_OF_MEMORY', message: 'tile too large' });
    expect(store.finished.batch).toBe(1);
  });

  it('counts error log lines once, even when replayed', () => {
    const store = new JobsStore();
    const e: JobEvent = { type: 'log', jobId: 'j4', at: at(1), level: 'error', message: 'a.png: CORRUPT_IMAGE' };
    store.apply(e);
    store.apply(e);
    expect(store.get('j4')!.errorCount).toBe(1);
  });
});
