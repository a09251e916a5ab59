// Progress throttling: at most one progress event per job every `intervalMs` (~10/s), the latest
// value always delivered (trailing edge), and every other event passes straight through after
// flushing that job's pending progress, so order is kept and lifecycle events are never merged.
import type { JobEvent } from '../contract/events.js';

type ProgressEvent = Extract<JobEvent, { type: 'progress' }>;

export class ProgressThrottle {
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Map<string, { event: ProgressEvent; timer: NodeJS.Timeout }>();

  constructor(
    private readonly deliver: (event: JobEvent) => void,
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  push(event: JobEvent): void {
    if (event.type !== 'progress') {
      this.flush(event.jobId);
      this.deliver(event);
      return;
    }
    const waiting = this.pending.get(event.jobId);
    if (waiting) {
      waiting.event = event; // keep only the latest value; the timer delivers it
      return;
    }
    const elapsed = this.now() - (this.lastSent.get(event.jobId) ?? -Infinity);
    if (elapsed >= this.intervalMs) {
      this.send(event);
      return;
    }
    const timer = setTimeout(() => this.flush(event.jobId), this.intervalMs - elapsed);
    timer.unref?.();
    this.pending.set(event.jobId, { event, timer });
  }

  /** Delivers a job's pending progress now (before its next lifecycle event). */
  flush(jobId: string): void {
    const waiting = this.pending.get(jobId);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.pending.delete(jobId);
    this.send(waiting.event);
  }

  flushAll(): void {
    for (const jobId of [...this.pending.keys()]) this.flush(jobId);
  }

  private send(event: ProgressEvent): void {
    this.lastSent.set(event.jobId, this.now());
    this.deliver(event);
  }
}
