// The one event channel. Keeps each job's current state so a late subscriber first receives a
// replay (queued → started → last progress → paused/final) of every job it has not seen, then
// the live stream. Subscribers are isolated: one that throws never stops the others.
import type { JobEvent, JobKind } from '../contract/events.js';

interface JobSnapshot {
  /** the first queued event: kind and title */
  queued: Extract<JobEvent, { type: 'queued' }>;
  started: Extract<JobEvent, { type: 'started' }> | null;
  progress: Extract<JobEvent, { type: 'progress' }> | null;
  /** the latest lifecycle event when it is not the first queued / the started one */
  latest: JobEvent | null;
}

export type JobListener = (event: JobEvent) => void;

export class JobEventHub {
  private readonly jobs = new Map<string, JobSnapshot>();
  private readonly listeners = new Set<JobListener>();
  /** finished jobs kept for replay, oldest dropped first */
  private readonly keepFinished: number;

  constructor(options: { keepFinished?: number } = {}) {
    this.keepFinished = options.keepFinished ?? 200;
  }

  publish(event: JobEvent): void {
    this.remember(event);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('gan-studio: a job event listener failed:', error);
      }
    }
  }

  /** Subscribes; the replay of current job states is delivered synchronously first. */
  subscribe(listener: JobListener): () => void {
    for (const event of this.replay()) {
      try {
        listener(event);
      } catch (error) {
        console.error('gan-studio: a job event listener failed during replay:', error);
      }
    }
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  replay(): JobEvent[] {
    const out: JobEvent[] = [];
    for (const snap of this.jobs.values()) {
      for (const e of [snap.queued, snap.started, snap.progress, snap.latest]) if (e) out.push(e);
    }
    return out;
  }

  /** Seeds the state of a job known from the catalog (e.g. after a restart). */
  seed(jobId: string, kind: JobKind, title: string, at: number, events: JobEvent[] = []): void {
    this.remember({ type: 'queued', jobId, kind, title, position: 0, at });
    for (const e of events) this.remember(e);
  }

  forget(jobId: string): void {
    this.jobs.delete(jobId);
  }

  private remember(event: JobEvent): void {
    const snap = this.jobs.get(event.jobId);
    if (!snap) {
      if (event.type === 'queued') this.jobs.set(event.jobId, { queued: event, started: null, progress: null, latest: null });
      return; // events of a job never announced are live-only
    }
    switch (event.type) {
      case 'queued':
        if (snap.started) snap.latest = event;
        else snap.queued = event;
        break;
      case 'started':
        snap.started = event;
        snap.latest = null;
        break;
      case 'progress':
        snap.progress = event;
        break;
      case 'resumed': case 'paused': case 'done': case 'failed': case 'cancelled': case 'interrupted':
        snap.latest = event;
        if (event.type !== 'paused' && event.type !== 'resumed') this.prune();
        break;
      default:
        break;
    }
  }

  private prune(): void {
    const finished = [...this.jobs.entries()].filter(([, s]) => s.latest && ['done', 'failed', 'cancelled', 'interrupted'].includes(s.latest.type));
    for (const [jobId] of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) this.jobs.delete(jobId);
  }
}
