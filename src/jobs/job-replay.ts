// What a job's catalog row says in events: a host that starts (or a late subscriber) sees every
// recent job as if it had watched it — started, the last progress, and how it ended — plus the
// ETA bookkeeping of a running job's progress reports.
import type { JobEvent, Progress } from '../contract/events.js';
import type { JobRecord } from '../workspace/jobs-repo.js';

export function finalEvent(job: JobRecord): JobEvent | null {
  const at = job.endedAt ?? Date.now();
  switch (job.state) {
    case 'paused': return { type: 'paused', jobId: job.id, at };
    case 'done': return { type: 'done', jobId: job.id, at, errors: job.errors, ...(job.result ? { result: job.result } : {}) };
    case 'failed': return { type: 'failed', jobId: job.id, at, code: job.error?.code ?? 'INTERNAL', message: job.error?.message ?? '' };
    case 'cancelled': return { type: 'cancelled', jobId: job.id, at };
    case 'interrupted': return { type: 'interrupted', jobId: job.id, at, reason: job.error?.message ?? 'interrupted' };
    default: return null;
  }
}

export function replayOf(job: JobRecord): JobEvent[] {
  const events: JobEvent[] = [];
  if (job.startedAt) events.push({ type: 'started', jobId: job.id, at: job.startedAt, ...(job.runId ? { runId: job.runId } : {}) });
  if (job.progress) events.push({ type: 'progress', jobId: job.id, at: job.startedAt ?? job.createdAt, progress: job.progress });
  const final = finalEvent(job);
  if (final) events.push(final);
  return events;
}

/** Progress bookkeeping of one running job. */
export interface ActiveProgress {
  startedAt: number;
  startDone: number | null;
  lastStored: number;
  last?: Progress;
}

/**
 * Fills in rate and ETA from the units done since the first report of this start (not since the
 * job began: a resumed job's earlier units were not done at this speed).
 */
export function withEta(state: ActiveProgress | undefined, p: Omit<Progress, 'eta'> & { eta?: number | null }): Progress {
  if (p.eta !== undefined && p.eta !== null) return { ...p, eta: p.eta };
  if (!state) return { ...p, eta: null };
  if (state.startDone === null) {
    state.startDone = p.done;
    state.startedAt = Date.now();
    return { ...p, eta: null };
  }
  const seconds = (Date.now() - state.startedAt) / 1000;
  const rate = seconds > 0 ? (p.done - state.startDone) / seconds : 0;
  return { ...p, rate: p.rate ?? rate, eta: rate > 0 ? Math.max(0, (p.total - p.done) / rate) : null };
}
