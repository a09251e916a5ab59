// The engine side of the protocol: runs registered tasks on request, turns their reports into
// messages, and maps pause/cancel requests onto AbortSignals. Used by engine-main.ts (a real
// process) and by the inline engine (same process; tests and single-shot CLI use).
import { AppError, toWireError } from '../contract/errors.js';
import type { Reporter } from '../common/reporter.js';
import type { EngineMessage, HostMessage, ReportMessage, TaskOutcome } from './protocol.js';
import type { EngineTaskContext } from './engine-task.js';
import { loadEngineTask } from './engine-tasks.js';

interface Running {
  /** aborted by pause and by cancel: the task stops at its next safe point */
  stop: AbortController;
  /** aborted by cancel only: per-item work (one image, one tile) stops at once */
  cancel: AbortController;
  done: Promise<void>;
}

export const PAUSE_REASON = 'paused';

export function pauseError(): AppError {
  return new AppError('JOB_STATE', PAUSE_REASON);
}

export function cancelError(): AppError {
  return new AppError('CANCELLED', 'cancelled by the user');
}

export function isPauseReason(reason: unknown): boolean {
  return reason instanceof AppError && reason.code === 'JOB_STATE' && reason.message === PAUSE_REASON;
}

export class EngineRuntime {
  private readonly running = new Map<string, Running>();

  constructor(private readonly post: (message: EngineMessage) => void) {}

  get busy(): number {
    return this.running.size;
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'run':
        this.run(message.jobId, message.task, message.input, message.workspace);
        break;
      case 'abort': {
        const job = this.running.get(message.jobId);
        if (!job) return;
        if (message.reason === 'cancel') {
          const reason = cancelError();
          job.cancel.abort(reason);
          job.stop.abort(reason);
        } else {
          job.stop.abort(pauseError());
        }
        break;
      }
      case 'shutdown':
        this.stopAll('pause');
        break;
    }
  }

  /** Asks every task to stop at a safe point (pause checkpoints training) and waits. */
  async stopAll(reason: 'pause' | 'cancel'): Promise<void> {
    for (const jobId of this.running.keys()) this.handle({ type: 'abort', jobId, reason });
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private run(jobId: string, taskName: string, input: unknown, workspace: string): void {
    if (this.running.has(jobId)) return;
    const stop = new AbortController();
    const cancel = new AbortController();
    const send = (report: ReportMessage) => this.post({ type: 'report', jobId, report });
    const reporter: Reporter = {
      progress: (progress) => send({ kind: 'progress', progress }),
      metrics: (step, values) => send({ kind: 'metrics', step, values }),
      sample: (step, path) => send({ kind: 'sample', step, path }),
      log: (level, message) => send({ kind: 'log', level, message }),
    };
    const ctx: EngineTaskContext = {
      jobId,
      workspace,
      signal: stop.signal,
      cancelSignal: cancel.signal,
      report: reporter,
      output: (output) => send({ kind: 'output', output }),
    };
    const done = (async () => {
      try {
        const task = await loadEngineTask(taskName);
        const outcome: TaskOutcome = await task(input, ctx);
        this.post({ type: 'result', jobId, outcome });
      } catch (error) {
        const reason: unknown = stop.signal.aborted ? stop.signal.reason : null;
        if (reason && (error === reason || (error instanceof AppError && error.code === 'CANCELLED'))) {
          // the task gave up by rethrowing the abort reason: that is a clean stop, not a failure
          this.post({ type: 'result', jobId, outcome: { stopped: isPauseReason(reason) ? 'paused' : 'cancelled' } });
        } else {
          this.post({ type: 'error', jobId, error: toWireError(error) });
        }
      } finally {
        this.running.delete(jobId);
      }
    })();
    this.running.set(jobId, { stop, cancel, done });
  }
}
