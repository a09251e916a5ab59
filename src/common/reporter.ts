// How long-running core work (training, batches, imports) talks to whoever runs it, without
// knowing whether that is the engine process, a test, or the CLI: `fn(input, { signal, report })`.
import type { Progress } from '../contract/events.js';

export interface Reporter {
  /** may be called often: the job layer throttles to ~10/s */
  progress(p: Omit<Progress, 'eta'> & { eta?: number | null }): void;
  /** training scalars at `step`, slash-named ('loss/G') */
  metrics(step: number, values: Record<string, number>): void;
  /** a sample grid (or other picture) was written; path is absolute or workspace-relative */
  sample(step: number, path: string): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface TaskContext {
  signal: AbortSignal;
  report: Reporter;
}

/** A reporter that drops everything (for callers that do not care). */
export const silentReporter: Reporter = {
  progress() {},
  metrics() {},
  sample() {},
  log() {},
};

/** Collects every report; handy in tests that assert on what a task said. */
export function recordingReporter() {
  const events: Array<{ kind: keyof Reporter; args: unknown[] }> = [];
  const report: Reporter = {
    progress: (...args) => void events.push({ kind: 'progress', args }),
    metrics: (...args) => void events.push({ kind: 'metrics', args }),
    sample: (...args) => void events.push({ kind: 'sample', args }),
    log: (...args) => void events.push({ kind: 'log', args }),
  };
  return { report, events };
}

/** Throws the signal's reason (an AppError CANCELLED by convention) if aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason ?? new Error('cancelled');
}
