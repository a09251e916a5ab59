// Jobs run by another process (a CLI `train`, a second app) reach this UI only through
// `jobs:list`: the store polls while such a job is live, and the cards follow.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { cleanup, render, screen } from '@testing-library/svelte';
import type { JobEvent, JobSummary, Progress } from '../../../src/contract/index.js';
import { JobsStore } from './jobs.svelte.js';
import JobCard from '../components/JobCard.svelte';

const T0 = 1_700_000_000_000;

function summary(id: string, state: JobSummary['state'], progress: Progress | null): JobSummary {
  return {
    id, kind: 'batch', title: `Upscale (${id})`, state, createdAt: T0, startedAt: T0, endedAt: state === 'done' ? T0 + 9000 : null,
    progress, runId: null, errors: 0, error: null, position: null, result: null,
  };
}
const images = (done: number): Progress => ({ done, total: 10, unit: 'image', eta: 10 - done });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('JobsStore.follow', () => {
  it('polls a job another process runs until it ends, and the card follows', async () => {
    const store = new JobsStore();
    // the catalog, as another process keeps writing it
    let catalog = [summary('cli', 'running', images(3))];
    const list = vi.fn(async () => catalog);
    store.hydrate(catalog);
    render(JobCard, { props: { job: store.get('cli')! } });
    expect(screen.getByTestId('job-count').textContent).toBe('3 of 10 images');
    const stop = store.follow(list);

    await vi.advanceTimersByTimeAsync(2000); // heard of it 2 s ago: not quiet yet
    expect(list).not.toHaveBeenCalled();
    catalog = [summary('cli', 'running', images(6))];
    await vi.advanceTimersByTimeAsync(2000);
    expect(list).toHaveBeenCalledOnce();
    flushSync();
    expect(screen.getByTestId('job-count').textContent).toBe('6 of 10 images');

    catalog = [summary('cli', 'done', images(9))];
    await vi.advanceTimersByTimeAsync(2000);
    flushSync();
    expect(screen.getByTestId('job-card').dataset.state).toBe('done');
    expect(screen.getByTestId('job-count').textContent).toBe('10 of 10 images');
    expect(store.finished.batch).toBe(1);

    // nothing live: only the slow look for new jobs remains
    const calls = list.mock.calls.length;
    await vi.advanceTimersByTimeAsync(6000);
    expect(list.mock.calls.length).toBe(calls);
    catalog = [...catalog, summary('new', 'running', images(1))];
    await vi.advanceTimersByTimeAsync(6000);
    expect(store.get('new')?.progress?.done).toBe(1);
    catalog = [catalog[0]!, summary('new', 'running', images(5))];
    await vi.advanceTimersByTimeAsync(2000); // found by a poll: followed at once, not after 3 s
    expect(store.get('new')?.progress?.done).toBe(5);
    stop();
  });

  it('leaves jobs that hear events to their events, and never revives an ended job', async () => {
    const store = new JobsStore();
    store.apply({ type: 'queued', jobId: 'own', at: T0, kind: 'batch', title: 'Upscale (own)', position: 0 });
    store.apply({ type: 'started', jobId: 'own', at: T0 });
    store.hydrate([summary('other', 'running', images(2))]);
    const list = vi.fn(async () => [summary('own', 'running', images(1)), summary('other', 'running', images(4))]);
    const stop = store.follow(list);
    for (let s = 1; s <= 4; s++) {
      await vi.advanceTimersByTimeAsync(1000);
      store.apply({ type: 'progress', jobId: 'own', at: Date.now(), progress: images(s + 4) });
    }
    expect(list).toHaveBeenCalled(); // 'other' went quiet
    expect(store.get('own')!.progress!.done).toBe(8); // the poll's stale 1 did not win
    expect(store.get('other')!.progress!.done).toBe(4);

    store.apply({ type: 'cancelled', jobId: 'own', at: Date.now() });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.get('own')!.state).toBe('cancelled');
    expect(store.quiet().map((j) => j.id)).toEqual(['other']);
    stop();
    const calls = list.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(list.mock.calls.length).toBe(calls);
  });

  it('tells listeners (the failure toasts) when a job another process runs fails, once', async () => {
    const store = new JobsStore();
    store.hydrate([summary('cli', 'running', images(2))]);
    const heard: JobEvent[] = [];
    store.listen((e) => heard.push(e));
    let catalog = [summary('cli', 'running', images(2))];
    const stop = store.follow(async () => catalog);
    catalog = [{ ...summary('cli', 'failed', images(4)), endedAt: T0 + 3500, error: { code: 'DISK_FULL', message: 'no space left on /data' } }];
    await vi.advanceTimersByTimeAsync(4000);
    expect(store.get('cli')!.state).toBe('failed');
    expect(heard).toEqual([{ type: 'failed', jobId: 'cli', at: T0 + 3500, code: 'DISK_FULL', message: 'no space left on /data' }]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(heard).toHaveLength(1); // an ended job is not polled or announced again
    stop();
  });
});
