import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { JobsStore } from '../state/jobs.svelte.js';
import JobCard from './JobCard.svelte';

afterEach(cleanup);

describe('JobCard', () => {
  it('shows progress, N of M, ETA and the error list from job events, and updates live', async () => {
    const store = new JobsStore();
    store.apply({ type: 'queued', jobId: 'b1', at: 1, kind: 'batch', title: 'Upscale 10 images', position: 0 });
    store.apply({ type: 'started', jobId: 'b1', at: 2 });
    store.apply({ type: 'progress', jobId: 'b1', at: 3, progress: { done: 3, total: 10, unit: 'image', eta: 75, rate: 0.4 } });
    store.apply({ type: 'log', jobId: 'b1', at: 4, level: 'error', message: 'broken.png: CORRUPT_IMAGE cannot be decoded' });
    const oncancel = vi.fn();
    render(JobCard, { props: { job: store.get('b1')!, oncancel } });

    expect(screen.getByTestId('job-count').textContent).toBe('3 of 10 images');
    expect(screen.getByTestId('job-eta').textContent).toBe('ETA 1m 15s');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('30');
    const errors = screen.getByTestId('job-errors');
    expect(within(errors).getAllByTestId('job-error-item').map((li) => li.textContent)).toEqual(['broken.png: CORRUPT_IMAGE cannot be decoded']);

    store.apply({ type: 'progress', jobId: 'b1', at: 5, progress: { done: 9, total: 10, unit: 'image', eta: 5 } });
    store.apply({ type: 'log', jobId: 'b1', at: 6, level: 'error', message: 'huge.png: IMAGE_TOO_LARGE' });
    flushSync();
    expect(screen.getByTestId('job-count').textContent).toBe('9 of 10 images');
    expect(screen.getAllByTestId('job-error-item')).toHaveLength(2);

    await fireEvent.click(screen.getByTestId('job-cancel'));
    expect(oncancel).toHaveBeenCalledOnce();

    store.apply({ type: 'done', jobId: 'b1', at: 7, errors: 2 });
    flushSync();
    expect(screen.getByTestId('job-card').dataset.state).toBe('done');
    expect(screen.queryByTestId('job-eta')).toBeNull();
    expect(screen.queryByTestId('job-cancel')).toBeNull();
  });

  it('shows a failure with its code', () => {
    const store = new JobsStore();
    store.apply({ type: 'queued', jobId: 't1', at: 1, kind: 'train', title: 'Train', position: 0 });
    store.apply({ type: 'failed', jobId: 't1', at: 2, code: 'DISK_FULL', message: 'no space left in /ws' });
    render(JobCard, { props: { job: store.get('t1')! } });
    expect(screen.getByTestId('job-error').textContent).toContain('DISK_FULL');
  });
});
