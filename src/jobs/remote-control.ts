// Job control across processes. Only the process that owns a job (its engine, its queue) can
// pause, resume, cancel or move it. Another process (a CLI next to the app or the server) records
// a request in the catalog's job_requests table; the owner polls for requests on the jobs it owns
// and applies them exactly as if its own UI had asked. The requester can wait, bounded, for the
// catalog to show the new state — and if the owner dies meanwhile, it takes the job over itself.
import { AppError, type WireError } from '../contract/errors.js';
import { FINAL_STATES, type JobState } from '../contract/events.js';
import type { ControlAnswer } from '../contract/jobs.js';
import type { Catalog } from '../workspace/catalog.js';
import {
  claimJobRequest, countOwnedUnfinished, getJob, getJobRequest, insertJobRequest, pendingRequestsFor, setRequestOutcome,
  type JobAction, type JobRecord, type JobRequest, type RequestOutcome,
} from '../workspace/jobs-repo.js';
import { currentOwner, isMine, ownerAlive, payloadOf } from './job-store.js';

/** How often an owner looks for requests while it holds unfinished jobs. */
export const REQUEST_POLL_MS = 400;
/** How long a requester waits for the owner by default. */
export const DEFAULT_REQUEST_WAIT_MS = 15_000;

/** States in which a live foreign owner decides: its queue and engine hold the job. */
const OWNED_STATES: readonly JobState[] = ['queued', 'running', 'paused'];

/**
 * Records a request when `job` belongs to another live process; null when this process may act
 * itself (its own job, an ended one, or one whose owner is gone).
 */
export function forwardIfForeign(cat: Catalog, job: JobRecord, action: JobAction, position?: number): Required<ControlAnswer> | null {
  if (isMine(job) || !OWNED_STATES.includes(job.state) || !ownerAlive(job)) return null;
  const request = insertJobRequest(cat, { jobId: job.id, action, position: position ?? null, requestedBy: currentOwner() });
  return { ok: true, requestId: request.id, owner: payloadOf(job).owner };
}

/** True once the job's row shows what `action` asked for (or an end that makes it moot). */
export function reached(action: JobAction, state: JobState): boolean {
  const final = FINAL_STATES.includes(state);
  switch (action) {
    case 'pause': return state === 'paused' || final;
    case 'resume': return state === 'queued' || state === 'running' || final;
    case 'cancel': return final;
    case 'reorder': return true;
  }
}

/**
 * The owner's side: every `REQUEST_POLL_MS` while it holds unfinished jobs, apply pending
 * requests for them. The timer is unref'd (it never keeps a CLI alive) and stops by itself once
 * the owner holds nothing unfinished.
 */
export class RequestPoller {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly cat: Catalog,
    private readonly apply: (request: JobRequest) => void,
    private readonly busy: () => boolean,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), REQUEST_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass (also called directly by tests). */
  poll(): void {
    const me = currentOwner();
    let pending: JobRequest[];
    try {
      pending = pendingRequestsFor(this.cat, me);
    } catch {
      return; // catalog busy past its timeout: the next tick tries again
    }
    for (const request of pending) {
      // claim first, so a requester that gives up at the same moment cannot see it half-done
      if (!claimJobRequest(this.cat, request.id)) continue;
      let outcome: RequestOutcome = { ok: true };
      try {
        this.apply(request);
      } catch (error) {
        outcome = wireOf(error);
      }
      setRequestOutcome(this.cat, request.id, outcome);
    }
    if (!this.busy() && countOwnedUnfinished(this.cat, me) === 0) this.stop();
  }
}

function wireOf(error: unknown): WireError {
  if (error instanceof AppError) return error.toWire();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export type WaitResult = { job: JobRecord } | { ownerGone: true; request: JobRequest };

/**
 * The requester's side: waits until the owner has applied request `requestId` and the job's row
 * shows the result. An error the owner answered is thrown as is. If the owner dies first (before
 * taking the request, which is then withdrawn, or before the job got there) `{ ownerGone }` is
 * returned and the caller acts itself: the usual interrupted/recovery path. Past `timeoutMs`, a clear JOB_STATE error names
 * the owner.
 */
export async function waitForRequest(cat: Catalog, requestId: number, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<WaitResult> {
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_REQUEST_WAIT_MS);
  for (;;) {
    const request = getJobRequest(cat, requestId);
    if (!request) throw new AppError('NOT_FOUND', `job request ${requestId} is gone (its job was deleted)`);
    const job = getJob(cat, request.jobId);
    if (!job) throw new AppError('NOT_FOUND', `no job ${request.jobId}; list jobs with \`gan-studio jobs\``);
    const owner = payloadOf(job).owner;
    const outcome = request.outcome;
    if (outcome && 'code' in outcome) throw new AppError(outcome.code, outcome.message);
    if (outcome && reached(request.action, job.state)) return { job };
    if (!ownerAlive(job)) {
      if (request.handledAt === null) {
        if (claimJobRequest(cat, requestId, { code: 'JOB_STATE', message: `withdrawn: the owner (pid ${owner.pid}) stopped` })) return { ownerGone: true, request };
        continue; // the owner took it just before it stopped: its outcome decides
      }
      // it took the request, then stopped before the job got there (crash, quit): act here
      return { ownerGone: true, request };
    }
    if (Date.now() >= deadline) {
      const who = `pid ${owner.pid} on ${owner.hostname}`;
      if (request.handledAt === null) {
        if (claimJobRequest(cat, requestId, { code: 'JOB_STATE', message: 'withdrawn: the requester stopped waiting' })) {
          throw new AppError('JOB_STATE', `job ${job.id} is run by gan-studio ${who}, which did not take the ${request.action} request within ${Math.round((opts.timeoutMs ?? DEFAULT_REQUEST_WAIT_MS) / 1000)} s; check that process (or stop it, then \`gan-studio jobs resume ${job.id}\` here)`);
        }
        continue;
      }
      throw new AppError('JOB_STATE', `gan-studio ${who} accepted the ${request.action} request, but job ${job.id} is still ${job.state}; a training job ${request.action === 'pause' ? 'pauses' : 'stops'} after its current step and checkpoint — check again with \`gan-studio jobs\``);
    }
    if (opts.signal?.aborted) throw new AppError('CANCELLED', `stopped waiting for job ${job.id}; the ${request.action} request stays with its owner`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
