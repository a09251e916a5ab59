// batch:* — apply a model to files, folders and zips. The model and every setting are resolved
// and frozen (plan.json) when the job is queued; the engine only executes the plan.
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handlers } from '../contract/api.js';
import type { BatchReport, BatchSpec } from '../contract/batch.js';
import { AppError } from '../contract/errors.js';
import { readJsonFile } from '../common/json-file.js';
import { PLAN_FILE, readBatchPlan } from '../jobs/batch/batch-task.js';
import { settingsHash } from '../jobs/batch/manifest.js';
import { planBatch } from '../jobs/batch/plan.js';
import { taskDefinition, type BatchModel, type FrozenBatch } from '../tasks/index.js';
import { buildReport } from '../jobs/batch/report.js';
import { newJobId } from '../jobs/job-manager.js';
import { writeFileDurable } from '../common/durable-write.js';
import { zipFiles } from '../common/zip-files.js';
import { batchItems, getJob } from '../workspace/jobs-repo.js';
import { resolveRunRef } from '../workspace/run-ref.js';
import { getRun } from '../workspace/runs-repo.js';
import type { RunSummary } from '../contract/runs.js';
import type { AppContext } from './app-context.js';
import { importedModel, resolvePretrained } from './models.js';
import { isModelFile, pickleRefusal } from './model-import-file.js';
import { configuredQueue } from './queue.js';
import { runDir } from './runs.js';

type BatchHandlers = Pick<Handlers, 'batch:start' | 'batch:report' | 'batch:exportZip'>;

export const DEFAULT_MAX_PIXELS = 40_000_000;

export function jobDir(ctx: AppContext, jobId: string): string {
  return join(ctx.ws.root, 'jobs', jobId);
}

/** A run (id, unique name or workspace folder), an imported model id or a pretrained name (esrgan-slim, esrgan-slim-x2). */
export async function resolveBatchModel(ctx: AppContext, spec: Pick<BatchSpec, 'model' | 'task' | 'scale'>): Promise<BatchModel> {
  const run = findRun(ctx, spec.model);
  if (run) {
    if (run.task !== spec.task) throw new AppError('INVALID_ARGUMENT', `run ${run.id} is a ${run.task} model, not ${spec.task}`);
    return { kind: 'run', id: run.id, dir: runDir(ctx, run.id) };
  }
  const imported = await importedModel(ctx, spec.model);
  if (imported) {
    if (imported.info.task !== spec.task) throw new AppError('INVALID_ARGUMENT', `model ${spec.model} is a ${imported.info.task} model, not ${spec.task}`);
    return { kind: 'imported', id: spec.model, dir: imported.dir };
  }
  if (taskDefinition(spec.task).pretrained) {
    const id = await resolvePretrained(spec.model, spec.scale);
    if (id) return { kind: 'pretrained', id };
  }
  // a model file by its path: the task's loader reads it as is (no imported copy needed)
  if (isModelFile(spec.model)) {
    const path = await ctx.userPath(spec.model);
    const pickle = pickleRefusal(path);
    if (pickle) throw pickle;
    if (!(await stat(path).catch(() => null))?.isFile()) throw new AppError('NOT_FOUND', `${path} does not exist; pass a model file, an imported model id or a run`);
    return { kind: 'file', id: path, dir: path };
  }
  // the CLI may also name a folder (a run trained with `train --out`); the server never probes
  // paths for a caller (workspace/run-ref.ts). The model loaders check what the folder holds.
  if (ctx.transport === 'cli') {
    const target = (() => {
      try {
        return resolveRunRef(ctx.ws, spec.model, { folders: true });
      } catch {
        return null;
      }
    })();
    if (target) return { kind: 'folder', id: target.dir, dir: target.dir };
  }
  throw new AppError('NOT_FOUND', `no model "${spec.model}" for ${spec.task}; list models with \`gan-studio models\``);
}

/** The run `ref` names, or null when it names none (it may still be a model id); several → the error listing them. */
function findRun(ctx: AppContext, ref: string): RunSummary | null {
  try {
    const target = resolveRunRef(ctx.ws, ref);
    return target.kind === 'run' ? target.run : null;
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/** What the job lists show: "Upscale ×4 with esrgan-slim: 40 files", "Stylize A→B with my-run: 3 files". */
export function batchTitle(spec: Pick<BatchSpec, 'task' | 'model' | 'scale' | 'direction'>, runName: string | undefined, count: number): string {
  return taskDefinition(spec.task).batchTitle(spec, runName ?? spec.model, count);
}

export function batchHandlers(ctx: AppContext): BatchHandlers {
  const { ws, jobs } = ctx;
  return {
    'batch:start': async ({ spec }) => {
      const inputs = await Promise.all(spec.inputs.map((p) => ctx.userPath(p)));
      const out = spec.out ? await ctx.userPath(spec.out, 'dir') : undefined;
      const report = spec.report ? await ctx.userPath(spec.report, 'file') : undefined;
      taskDefinition(spec.task).checkBatch(spec, inputs);
      const resolvedModel = await resolveBatchModel(ctx, spec);
      // on workers: the queue given, or the one in Settings (its URL stays out of the job's title)
      const onQueue = spec.queue ? { url: spec.queue, files: spec.queueFiles ?? 'redis' } : spec.onWorkers ? await configuredQueue(ctx) : null;
      const id = newJobId('batch');
      const dir = jobDir(ctx, id);
      const outDir = out ?? join(ws.layout.exports, id);
      const frozen: FrozenBatch = {
        ...spec, inputs, ...(out ? { out } : {}), ...(report ? { report } : {}),
        resolvedModel, maxPixels: spec.maxPixels ?? DEFAULT_MAX_PIXELS, outDir, jobDir: dir,
        ...(onQueue ? { queue: onQueue.url, queueFiles: spec.queueFiles ?? onQueue.files } : {}),
      };
      const plan = await planBatch(frozen, outDir, settingsHash({ ...frozen, model: `${resolvedModel.kind}:${resolvedModel.id}` }));
      if (!plan.items.length) throw new AppError('NOT_FOUND', `no images found in ${spec.inputs.join(', ')}`);
      await mkdir(dir, { recursive: true });
      await writeFileDurable(join(dir, PLAN_FILE), Buffer.from(JSON.stringify(plan)));
      const title = (onQueue ? 'On workers: ' : '') + batchTitle(spec, resolvedModel.kind === 'run' ? getRun(ws.catalog, resolvedModel.id)?.name : undefined, plan.items.length);
      jobs.submit({ id, kind: 'batch', title, task: 'batch', input: { spec: frozen }, pausable: true });
      return { jobId: id };
    },
    'batch:report': async ({ jobId }) => {
      const job = getJob(ws.catalog, jobId);
      if (!job || job.kind !== 'batch') throw new AppError('NOT_FOUND', `no batch job ${jobId}`);
      const file = join(jobDir(ctx, jobId), 'report.json');
      if (existsSync(file) && job.state !== 'running') {
        // report.json repeats what the catalog holds: a damaged one is rebuilt below instead
        const saved = await readJsonFile<BatchReport>(file, { what: 'batch report', fix: 'delete it' }).catch(() => null);
        if (saved) return saved;
      }
      const plan = await readBatchPlan(jobDir(ctx, jobId));
      return buildReport(jobId, plan.outDir, batchItems(ws.catalog, jobId));
    },
    'batch:exportZip': async ({ jobId }) => {
      const job = getJob(ws.catalog, jobId);
      if (!job || job.kind !== 'batch') throw new AppError('NOT_FOUND', `no batch job ${jobId}`);
      const plan = await readBatchPlan(jobDir(ctx, jobId));
      if (plan.outDir !== join(ws.layout.exports, jobId)) {
        throw new AppError('INVALID_ARGUMENT', `batch ${jobId} wrote into ${plan.outDir}, which it chose itself, not into the workspace's exports folder; only exports are zipped for download — its files are already in that folder`);
      }
      const items = batchItems(ws.catalog, jobId).filter((i) => i.output && i.status !== 'failed');
      const rel = `exports/${jobId}.zip`;
      await zipFiles(join(ws.root, rel), items.map((i) => ({ path: i.output!, name: i.output!.slice(plan.outDir.length + 1) })));
      return { path: rel };
    },
  };
}
