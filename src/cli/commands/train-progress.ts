// How `train`, `generate` and `interpolate` show progress: a one-line bar with rate and ETA on a
// terminal, plain lines otherwise, and one JSON object per line with --json; followJob feeds it
// the events of an engine job.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { EXIT, type CliIo, type CommandContext } from '../command.js';
import { AppError } from '../../contract/errors.js';
import { FINAL_STATES, type JobEvent } from '../../contract/events.js';
import type { JobSummary } from '../../contract/jobs.js';
import type { TrainSpecInput } from '../../contract/runs.js';
import type { App } from '../../handlers/context.js';
import { currentOwner, isMine, ownerAlive, payloadOf } from '../../jobs/job-store.js';
import type { Reporter } from '../../common/reporter.js';
import { getJob, pendingRequestsFor } from '../../workspace/jobs-repo.js';
import { runPaths } from '../../training/run-files.js';

function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function cliReporter(io: CliIo, json: boolean, opts: { imagesPerUnit?: number } = {}): Reporter & { finish(): void; setImagesPerUnit(n: number): void } {
  let perUnit = opts.imagesPerUnit ?? 1;
  let lastMetrics: Record<string, number> = {};
  let lastJsonProgress = 0;
  let barShown = false;
  const clearBar = () => {
    if (barShown) process.stdout.write('\r\x1b[2K');
    barShown = false;
  };
  const line = (text: string) => {
    clearBar();
    io.out(text);
  };
  return {
    progress(p) {
      if (json) {
        const now = Date.now();
        if (now - lastJsonProgress < 500 && p.done < p.total) return;
        lastJsonProgress = now;
        io.out(JSON.stringify({ event: 'progress', done: p.done, total: p.total, unit: p.unit, rate: p.rate ?? null, eta: p.eta ?? null }));
        return;
      }
      if (!io.tty) return;
      const width = 28;
      const filled = Math.round((p.done / Math.max(1, p.total)) * width);
      const images = p.rate ? `${(p.rate * perUnit).toFixed(1)} img/s` : '';
      const losses = ['loss/G', 'loss/D'].filter((k) => k in lastMetrics).map((k) => `${k} ${lastMetrics[k]!.toFixed(3)}`).join(' ');
      process.stdout.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${p.unit}s ${images} ETA ${clock(p.eta)} ${losses}`);
      barShown = true;
    },
    metrics(step, values) {
      lastMetrics = values;
      if (json) io.out(JSON.stringify({ event: 'metrics', step, values }));
      else if (!io.tty) io.out(`step ${step} ${Object.entries(values).map(([k, v]) => `${k}=${Number(v.toPrecision(4))}`).join(' ')}`);
    },
    sample(step, path) {
      if (json) io.out(JSON.stringify({ event: 'sample', step, path }));
    },
    log(level, message) {
      if (json) io.out(JSON.stringify({ event: 'log', level, message }));
      else if (level !== 'info' || !io.tty) line(`${level === 'info' ? '' : level + ': '}${message}`);
    },
    finish: clearBar,
    // the batch size is known once the engine has resolved the run's spec
    setImagesPerUnit(n: number) {
      perUnit = n;
    },
  };
}

/**
 * Follows a job of the app's engine (or a light job) until it pauses or ends: its progress,
 * metrics, samples and logs go to `report`, every raw event to `event`; Ctrl-C (the command's
 * signal) cancels the job, which then checkpoints (training) or rolls back (imports).
 */
export async function followJob(
  ctx: CommandContext,
  app: App,
  jobId: string,
  on: { report?: Reporter; event?: (e: JobEvent) => void },
): Promise<JobSummary> {
  if (await ownedElsewhere(ctx, app, jobId)) return followForeign(ctx, app, jobId, on);
  const unsubscribe = app.events.subscribe((e) => {
    if (e.jobId !== jobId) return;
    on.event?.(e);
    const r = on.report;
    if (!r) return;
    if (e.type === 'progress') r.progress(e.progress);
    else if (e.type === 'metrics') r.metrics(e.step, e.values);
    else if (e.type === 'sample') r.sample(e.step, isAbsolute(e.path) ? e.path : join(app.ws.root, e.path));
    else if (e.type === 'log') r.log(e.level, e.message);
  });
  const cancel = () => {
    try {
      app.jobs.cancel(jobId);
    } catch {
      // it already ended
    }
  };
  if (ctx.signal.aborted) cancel();
  else ctx.signal.addEventListener('abort', cancel, { once: true });
  try {
    return await app.jobs.settled(jobId);
  } finally {
    ctx.signal.removeEventListener('abort', cancel);
    unsubscribe();
  }
}

/** How often a job another process runs is read back from the catalog (it stores progress ~1/s). */
const FOREIGN_POLL_MS = 500;

/**
 * True when another live process (the app, `gan-studio serve`) runs the job, so its events never
 * reach this one. A resume this process asked of it (`train --resume --run ID` while a server
 * owns the paused job) is first waited for: until it is applied the job still reads "paused",
 * which would end the follow at once. If the owner stopped meanwhile, the job was taken over
 * here and is followed as usual.
 */
async function ownedElsewhere(ctx: CommandContext, app: App, jobId: string): Promise<boolean> {
  const job = getJob(app.ws.catalog, jobId);
  if (!job || isMine(job) || !ownerAlive(job)) return false;
  const me = currentOwner();
  const asked = pendingRequestsFor(app.ws.catalog, payloadOf(job).owner)
    .filter((r) => r.jobId === jobId && r.requestedBy.pid === me.pid && r.requestedBy.hostname === me.hostname).at(-1);
  if (asked) {
    const { handledHere } = await app.jobs.awaitRequest({ ok: true, requestId: asked.id }, { signal: ctx.signal });
    if (handledHere) return false;
  }
  return true;
}

/**
 * Follows a job another process runs by reading its catalog row: progress (as the owner stores
 * it), then the state it settles in. Ctrl-C asks the owner to cancel (training checkpoints first)
 * and keeps following until it did.
 */
async function followForeign(ctx: CommandContext, app: App, jobId: string, on: { report?: Reporter; event?: (e: JobEvent) => void }): Promise<JobSummary> {
  let cancelAsked = false;
  let lastProgress = '';
  for (;;) {
    const job = getJob(app.ws.catalog, jobId);
    if (!job) throw new AppError('NOT_FOUND', `job ${jobId} is gone from the catalog (deleted by another process)`);
    if (job.progress && JSON.stringify(job.progress) !== lastProgress) {
      lastProgress = JSON.stringify(job.progress);
      on.event?.({ type: 'progress', jobId, at: Date.now(), progress: job.progress });
      on.report?.progress(job.progress);
    }
    if (job.state === 'paused' || FINAL_STATES.includes(job.state)) return app.jobs.get(jobId);
    if (!ownerAlive(job)) {
      const { owner } = payloadOf(job);
      return { ...app.jobs.get(jobId), state: 'interrupted', error: { code: 'ENGINE_CRASHED', message: `the gan-studio process that ran it (pid ${owner.pid}) stopped; resume to continue from the latest checkpoint` } };
    }
    if (ctx.signal.aborted && !cancelAsked) {
      cancelAsked = true;
      try {
        app.jobs.cancel(jobId);
      } catch {
        // it ended meanwhile: the next read shows how
      }
    }
    await new Promise((r) => setTimeout(r, FOREIGN_POLL_MS));
  }
}

/** The resolved spec the engine wrote into the run folder (sizes, batch), when it is there. */
function resolvedSpec(runDir: string): Record<string, unknown> | null {
  try {
    return (JSON.parse(readFileSync(runPaths(runDir).spec, 'utf8')) as { spec: Record<string, unknown> }).spec;
  } catch {
    return null;
  }
}

/**
 * Follows a training job: the progress bar (images/s, ETA) or --json lines `started`,
 * `progress`, `metrics`, `sample`, `log`, then `done` with `stopped`. Returns the exit code:
 * 0 done, 130 stopped early (Ctrl-C, pause, engine gone); throws the job's error when it failed.
 */
export async function followTraining(
  ctx: CommandContext,
  app: App,
  jobId: string,
  run: { runId: string | null; runDir: string; resume: boolean; spec: TrainSpecInput },
): Promise<number> {
  const { io, json } = ctx;
  const progress = cliReporter(io, json);
  let backend: string | null = null;
  let step = 0;
  let announced = false;
  // announced once the engine has written the run's spec (its start log, or the first step)
  const announce = () => {
    if (announced) return;
    announced = true;
    const spec = resolvedSpec(run.runDir) ?? run.spec;
    if (typeof spec.batch === 'number') progress.setImagesPerUnit(spec.batch);
    const shown = backend ?? run.spec.backend ?? 'auto';
    if (json) io.out(JSON.stringify({ event: 'started', runId: run.runId, jobId, runDir: run.runDir, backend: shown, resume: run.resume, spec }));
    else io.out(`training ${String(spec.model)} (${String(spec.task)})${spec.size ? ` ${String(spec.size)}px` : ''} on ${shown} → ${run.runId ?? run.runDir}`);
  };
  const job = await followJob(ctx, app, jobId, {
    event(e) {
      if (e.type === 'log') backend ??= /^training on (\S+)$/.exec(e.message)?.[1] ?? null;
      if (e.type === 'log' && /^(started|resumed from) /.test(e.message)) announce();
      if ((e.type === 'progress' && e.progress.unit === 'step') || e.type === 'metrics' || e.type === 'sample') announce();
      if (e.type === 'progress' && e.progress.unit === 'step') step = e.progress.done;
      if (e.type === 'metrics') step = Math.max(step, e.step);
    },
    report: progress,
  });
  progress.finish();
  if (job.state === 'failed') throw new AppError(job.error?.code ?? 'INTERNAL', job.error?.message ?? 'training failed');
  announce();
  const result = job.result as { step?: number; backend?: string } | null;
  const stopped = job.state === 'done' ? 'done' : job.state === 'interrupted' ? 'interrupted' : job.state === 'paused' ? 'paused' : 'cancelled';
  const finalStep = result?.step ?? step;
  const where = run.runId ?? run.runDir;
  if (json) {
    io.out(JSON.stringify({ event: 'done', step: finalStep, runDir: run.runDir, stopped, backend: result?.backend ?? backend, runId: run.runId, jobId }));
  } else {
    io.out(`${stopped} at step ${finalStep}: ${where}`);
    if (job.state === 'interrupted' && !ctx.signal.aborted) io.err(`the engine stopped: ${job.error?.message ?? 'unknown reason'}`);
  }
  if (stopped === 'done') return EXIT.ok;
  if (!json) io.err(`continue with: gan-studio train --resume ${run.runId ? `--run ${run.runId}` : `--out ${run.runDir}`}`);
  // an engine that died on its own (not Ctrl-C) is a failure; a stop the user asked for is not
  return job.state === 'interrupted' && !ctx.signal.aborted ? EXIT.failed : EXIT.interrupted;
}
