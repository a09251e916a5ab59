// runs:* — training runs: the catalog row, the run folder (metrics, samples, checkpoints, log)
// and the training job that writes it.
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handlers } from '../contract/api.js';
import { AppError } from '../contract/errors.js';
import type { RunSummary, SampleInfo } from '../contract/runs.js';
import { isLocked } from '../jobs/run-lock.js';
import { resumableStep } from '../training/checkpoint-dirs.js';
import { readMetrics, readRunSpec, runPaths } from '../training/run-files.js';
import { getDataset } from '../workspace/datasets-repo.js';
import { deleteGalleryForRun } from '../workspace/gallery-repo.js';
import { getJob } from '../workspace/jobs-repo.js';
import { resolveRunRef } from '../workspace/run-ref.js';
import { deleteRunRow, insertRun, listRuns, updateRun } from '../workspace/runs-repo.js';
import { folderBytes } from '../workspace/workspace.js';
import { taskDefinition } from '../tasks/index.js';
import type { AppContext } from './app-context.js';

type RunsHandlers = Pick<Handlers, `runs:${string}` & keyof Handlers>;

export function runDir(ctx: AppContext, id: string): string {
  return join(ctx.ws.layout.runs, id);
}

/** A run by id, unique name or its workspace folder (src/workspace/run-ref.ts, as for every caller). */
export function requireRun(ctx: AppContext, ref: string): RunSummary {
  const target = resolveRunRef(ctx.ws, ref);
  if (target.kind !== 'run') throw new AppError('NOT_FOUND', `no run ${ref}; list runs with \`gan-studio runs\``);
  return target.run;
}

/**
 * The row plus what only the run folder knows: disk use, the step a resume starts from (the
 * newest checkpoint's, which after a kill is behind the row's last reported step), and from spec.json the resolved step
 * count (a preset fills `steps` when the request left it out, so the row may hold 0) and the
 * backend the engine really trained on. What the folder corrects is written back to the row.
 */
async function withBytes(ctx: AppContext, run: RunSummary): Promise<RunSummary> {
  const facts = await runFolderFacts(ctx, run);
  const dir = runDir(ctx, run.id);
  return { ...run, totalSteps: facts.totalSteps, backend: facts.backend, resumableStep: await resumableStep(dir), bytes: await folderBytes(dir) };
}

export interface RunFolderFacts {
  totalSteps: number;
  backend: string | null;
  /** the image side the run trains on (its preset's when the request named none) */
  size: number | null;
}

export async function runFolderFacts(ctx: AppContext, run: RunSummary): Promise<RunFolderFacts> {
  // a damaged spec.json must not break listing: resume and train name it
  const saved = await readRunSpec(runDir(ctx, run.id)).catch(() => null);
  const totalSteps = saved?.spec.steps ?? run.totalSteps;
  const backend = saved?.backend ?? run.backend;
  if (totalSteps !== run.totalSteps || backend !== run.backend) updateRun(ctx.ws.catalog, run.id, { totalSteps, backend });
  return { totalSteps, backend, size: saved?.spec.size ?? run.spec.size ?? null };
}

function assertNotLocked(ctx: AppContext, id: string): void {
  const owner = isLocked(runDir(ctx, id));
  if (owner) throw new AppError('RUN_LOCKED', `run ${id} is being written by a gan-studio engine (pid ${owner.pid} on ${owner.hostname}); stop it first`);
}

/**
 * A caller may name a run by id, unique name or workspace folder; each handler below gets the
 * run's own id in `id`, so none of them can mistake a name or a path for a folder name.
 */
function byRunRef(ctx: AppContext, handlers: RunsHandlers): RunsHandlers {
  const wrapped: Record<string, (input: unknown) => unknown> = {};
  for (const [name, fn] of Object.entries(handlers) as Array<[string, (input: unknown) => unknown]>) {
    wrapped[name] = (input) => {
      const ref = (input as { id?: unknown } | undefined)?.id;
      return fn(typeof ref === 'string' ? { ...(input as object), id: requireRun(ctx, ref).id } : input);
    };
  }
  return wrapped as unknown as RunsHandlers;
}

export function runsHandlers(ctx: AppContext): RunsHandlers {
  return byRunRef(ctx, runsHandlersById(ctx));
}

function runsHandlersById(ctx: AppContext): RunsHandlers {
  const { ws, jobs } = ctx;

  const startJob = (run: RunSummary, resume: boolean) =>
    jobs.submit({
      kind: 'train', title: `train ${run.name}`, task: 'train', runId: run.id, pausable: true,
      input: { runId: run.id, runDir: runDir(ctx, run.id), spec: run.spec, resume },
    });

  return {
    'runs:list': async ({ includeTrashed }) => Promise.all(listRuns(ws.catalog, { includeTrashed }).map((r) => withBytes(ctx, r))),
    'runs:get': async ({ id }) => withBytes(ctx, requireRun(ctx, id)),
    'runs:start': ({ spec, name }) => {
      for (const d of [spec.datasetId, spec.datasetA, spec.datasetB]) {
        if (d && !getDataset(ws.catalog, d)) throw new AppError('NOT_FOUND', `no dataset ${d}; list datasets with \`gan-studio datasets\``);
      }
      taskDefinition(spec.task).checkRunData(spec);
      const id = `${spec.model}-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 6)}`;
      const run = insertRun(ws.catalog, { id, name: name ?? id, spec, totalSteps: spec.steps ?? 0 });
      const job = startJob(run, false);
      return { runId: id, jobId: job.id };
    },
    'runs:pause': ({ id }) => {
      const run = requireRun(ctx, id);
      if (!run.jobId) throw new AppError('JOB_STATE', `run ${id} has no job to pause`);
      return { ...jobs.pause(run.jobId), jobId: run.jobId };
    },
    'runs:resume': ({ id }) => {
      const run = requireRun(ctx, id);
      const job = run.jobId ? getJob(ws.catalog, run.jobId) : null;
      if (job && (job.state === 'queued' || job.state === 'running')) throw new AppError('JOB_STATE', `run ${id} is already ${job.state}`);
      assertNotLocked(ctx, id);
      if (job && (job.state === 'paused' || job.state === 'interrupted')) {
        jobs.resume(job.id);
        return { jobId: job.id };
      }
      // stopped, failed or done: a new job continues from the latest checkpoint
      return { jobId: startJob(run, true).id };
    },
    'runs:stop': ({ id }) => {
      const run = requireRun(ctx, id);
      const job = run.jobId ? getJob(ws.catalog, run.jobId) : null;
      if (!job || ['done', 'failed', 'cancelled'].includes(job.state)) throw new AppError('JOB_STATE', `run ${id} is not running`);
      return { ...jobs.cancel(job.id), jobId: job.id };
    },
    'runs:metrics': async ({ id, sinceStep }) => (requireRun(ctx, id), readMetrics(runDir(ctx, id), sinceStep)),
    'runs:samples': async ({ id }) => {
      requireRun(ctx, id);
      const dir = runPaths(runDir(ctx, id)).samples;
      const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^step-\d+\.png$/.test(n)).sort();
      const out: SampleInfo[] = [];
      for (const n of names) {
        const st = await stat(join(dir, n)).catch(() => null);
        out.push({ step: Number(n.slice(5, -4)), path: `runs/${id}/samples/${n}`, createdAt: st ? Math.round(st.mtimeMs) : 0 });
      }
      return out;
    },
    'runs:checkpoints': async ({ id }) => {
      requireRun(ctx, id);
      const m = await import('../training/checkpoint.js');
      return m.listCheckpoints(runDir(ctx, id));
    },
    'runs:log': async ({ id }) => {
      requireRun(ctx, id);
      const text = await readFile(runPaths(runDir(ctx, id)).log, 'utf8').catch(() => '');
      return text.length > 200_000 ? text.slice(-200_000) : text;
    },
    'runs:update': async ({ id, name, notes }) => {
      requireRun(ctx, id);
      updateRun(ws.catalog, id, { name, notes });
      return withBytes(ctx, requireRun(ctx, id));
    },
    'runs:trash': ({ id }) => {
      const run = requireRun(ctx, id);
      const job = run.jobId ? getJob(ws.catalog, run.jobId) : null;
      if (job && ['queued', 'running'].includes(job.state)) throw new AppError('JOB_STATE', `run ${id} is ${job.state}; stop it before moving it to the trash`);
      assertNotLocked(ctx, id);
      updateRun(ws.catalog, id, { trashed: true });
      return { ok: true as const };
    },
    'runs:restore': ({ id }) => (requireRun(ctx, id), updateRun(ws.catalog, id, { trashed: false }), { ok: true as const }),
    'runs:diagnostics': async ({ id }) => {
      const run = requireRun(ctx, id);
      const job = run.jobId ? jobs.get(run.jobId) : null;
      const log = await readFile(runPaths(runDir(ctx, id)).log, 'utf8').catch(() => '');
      return [
        `run ${run.id} (${run.name}) — ${run.task}/${run.model}, ${run.state}, step ${run.step}/${run.totalSteps}`,
        `spec: ${JSON.stringify(run.spec)}`,
        `job: ${job ? `${job.id} ${job.state}${job.error ? ` ${job.error.code}: ${job.error.message}` : ''}` : 'none'}`,
        `platform: ${process.platform} ${process.arch}, node ${process.versions.node}`,
        '--- last log lines ---',
        ...log.trimEnd().split('\n').slice(-50),
      ].join('\n');
    },
    'runs:emptyTrash': async () => {
      let freedBytes = 0;
      for (const run of listRuns(ws.catalog, { includeTrashed: true }).filter((r) => r.trashed)) {
        if (isLocked(runDir(ctx, run.id))) continue;
        freedBytes += await folderBytes(runDir(ctx, run.id));
        await rm(runDir(ctx, run.id), { recursive: true, force: true });
        deleteGalleryForRun(ws.catalog, run.id);
        deleteRunRow(ws.catalog, run.id);
      }
      return { freedBytes };
    },
  };
}
