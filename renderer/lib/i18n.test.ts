// Switching the language re-renders what is on screen — no reload — and numbers, durations and
// error hints follow it; error codes stay as they are.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { cleanup, render, screen } from '@testing-library/svelte';
import { JobsStore } from './state/jobs.svelte.js';
import JobCard from './components/JobCard.svelte';
import { i18n, t } from './i18n.svelte.js';
import { formatBytes, formatDuration, formatInteger } from './format.js';
import { explain } from './error-hints.js';

afterEach(() => {
  cleanup();
  i18n.setPreference('en');
});

describe('switching the language', () => {
  it('changes the words of a mounted component at once', () => {
    i18n.setPreference('en');
    const store = new JobsStore();
    store.apply({ type: 'queued', jobId: 'b1', at: 1, kind: 'batch', title: 'Upscale', position: 0 });
    store.apply({ type: 'started', jobId: 'b1', at: 2 });
    store.apply({ type: 'progress', jobId: 'b1', at: 3, progress: { done: 1200, total: 3000, unit: 'image', eta: 3725 } });
    render(JobCard, { props: { job: store.get('b1')!, oncancel: () => {} } });
    expect(screen.getByTestId('job-count').textContent).toBe('1,200 of 3,000 images');
    expect(screen.getByTestId('job-cancel').textContent?.trim()).toBe('Cancel');

    i18n.setPreference('zh-CN');
    flushSync();
    expect(screen.getByTestId('job-count').textContent).toBe('1,200 / 3,000 张图像');
    expect(screen.getByTestId('job-eta').textContent).toBe('预计剩余 1 小时 02 分');
    expect(screen.getByTestId('job-cancel').textContent?.trim()).toBe('取消');
    expect(screen.getByTestId('job-state').textContent?.trim()).toBe('运行中');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('formats through Intl and translates the hint, never the code', () => {
    i18n.setPreference('zh-CN');
    expect(formatInteger(1234567)).toBe('1,234,567');
    expect(formatDuration(75)).toBe('1 分 15 秒');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(explain('DISK_FULL', 'no space left on /data')).toEqual({ what: 'no space left on /data', fix: '请在“系统 → 工作区”中释放空间（清空回收站、清除缓存）后重试。' });
    expect(t('common.images', { count: 2 })).toBe('2 张图像');
    i18n.setPreference('en');
    expect(formatDuration(75)).toBe('1m 15s');
    expect(t('common.images', { count: 1 })).toBe('1 image');
  });
});
