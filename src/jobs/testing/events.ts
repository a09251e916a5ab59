// Test helpers for code that emits JobEvents: collect them, and wait (by polling, never by a
// fixed sleep) for the first one that matches.
import type { JobEvent } from '../../contract/events.js';

export function collectEvents(source: { subscribe(cb: (e: JobEvent) => void): unknown }): JobEvent[] {
  const events: JobEvent[] = [];
  source.subscribe((e) => events.push(e));
  return events;
}

export function waitForEvent(events: JobEvent[], pred: (e: JobEvent) => boolean, ms = 20_000): Promise<JobEvent> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      const hit = events.find(pred);
      if (hit) return resolve(hit);
      if (Date.now() - t0 > ms) return reject(new Error(`timeout; saw ${events.map((e) => e.type).join(',')}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

/** Polls `fn` until it returns something truthy (a state in the catalog, a line in a log). */
export async function until<T>(fn: () => T | undefined | null | false, ms = 45_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
