import { describe, expect, it } from 'vitest';
import { ProgressAnnouncer, type AnnouncedJob } from './announce.js';

const say = (j: AnnouncedJob) => `${j.id} ${j.state} ${j.fraction === null ? '' : Math.round(j.fraction * 100)}`.trim();

describe('ProgressAnnouncer', () => {
  it('speaks progress at most once per interval, however many steps go by', () => {
    const a = new ProgressAnnouncer(10_000);
    const heard: string[] = [];
    for (let step = 0; step <= 100; step++) {
      const text = a.next([{ id: 'run', state: 'running', fraction: step / 100 }], step * 500, say);
      if (text) heard.push(text);
    }
    // 50 s of steps every 0.5 s: once at the start and then every 10 s
    expect(heard).toEqual(['run running 0', 'run running 20', 'run running 40', 'run running 60', 'run running 80', 'run running 100']);
  });

  it('speaks a change of state at once, and never repeats itself', () => {
    const a = new ProgressAnnouncer(10_000);
    expect(a.next([{ id: 'run', state: 'running', fraction: 0.5 }], 0, say)).toBe('run running 50');
    expect(a.next([{ id: 'run', state: 'paused', fraction: 0.5 }], 1000, say)).toBe('run paused 50');
    expect(a.next([{ id: 'run', state: 'paused', fraction: 0.5 }], 60_000, say)).toBeNull();
    expect(a.next([{ id: 'run', state: 'done', fraction: 1 }], 61_000, say)).toBe('run done 100');
  });
});
