// One JobEvent union on one channel. Progress may be throttled (~10/s); lifecycle events
// (queued, started, paused, resumed, done, failed, cancelled, interrupted) are never dropped.
import type { ErrorCode } from './errors.js';

export const JOB_KINDS = ['train', 'batch', 'import', 'generate', 'eval', 'export'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATES = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const FINAL_STATES: readonly JobState[] = ['done', 'failed', 'cancelled', 'interrupted'];

export interface Progress {
  done: number;
  total: number;
  /** what is counted: 'step', 'image', 'tile', 'file' */
  unit: string;
  /** seconds left, null while unknown */
  eta: number | null;
  /** units per second, when known */
  rate?: number;
}

interface Base {
  jobId: string;
  /** ms since epoch */
  at: number;
}

export type JobEvent =
  | (Base & { type: 'queued'; kind: JobKind; title: string; position: number })
  | (Base & { type: 'started'; runId?: string })
  | (Base & { type: 'progress'; progress: Progress })
  | (Base & { type: 'metrics'; step: number; values: Record<string, number> })
  | (Base & { type: 'sample'; step: number; /** workspace-relative path of the PNG */ path: string; galleryId?: string })
  | (Base & { type: 'log'; level: 'info' | 'warn' | 'error'; message: string })
  | (Base & { type: 'paused' })
  | (Base & { type: 'resumed' })
  | (Base & { type: 'done'; errors?: number; result?: Record<string, unknown> })
  | (Base & { type: 'failed'; code: ErrorCode; message: string })
  | (Base & { type: 'cancelled' })
  | (Base & { type: 'interrupted'; reason: string });

export type JobEventType = JobEvent['type'];

export const LIFECYCLE_EVENTS: readonly JobEventType[] = [
  'queued', 'started', 'paused', 'resumed', 'done', 'failed', 'cancelled', 'interrupted',
];

export function isLifecycleEvent(e: JobEvent): boolean {
  return LIFECYCLE_EVENTS.includes(e.type);
}

/** The state a job is in after an event, or null when the event does not change it. */
export function stateAfter(e: JobEvent): JobState | null {
  switch (e.type) {
    case 'queued': return 'queued';
    case 'started': case 'resumed': return 'running';
    case 'paused': return 'paused';
    case 'done': return 'done';
    case 'failed': return 'failed';
    case 'cancelled': return 'cancelled';
    case 'interrupted': return 'interrupted';
    default: return null;
  }
}
