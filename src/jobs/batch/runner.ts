// Runs a planned batch: each item validated, processed into a hidden temp file, then linked to
// its final name (never replacing an existing file). A bad item is reported and the batch goes
// on (unless failFast). Pause stops between items; cancel stops inside the current one.
import { link, mkdir, rm, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { AppError, toWireError } from '../../contract/errors.js';
import type { BatchItemReport } from '../../contract/batch.js';
import type { Catalog } from '../../workspace/catalog.js';
import { insertBatchItems } from '../../workspace/jobs-repo.js';
import type { EngineTaskContext } from '../engine-task.js';
import type { TaskOutcome } from '../protocol.js';
import { acquireLock } from '../run-lock.js';
import { appendManifest, readManifest } from './manifest.js';
import type { BatchPlan, PlannedItem } from './plan.js';
import { taskDefinition, type FrozenBatch, type ItemProcessor } from '../../tasks/index.js';
import { buildReport, writeReport } from './report.js';
import { validateInput } from './validate-input.js';
import { extractZipEntry } from './zip-input.js';

export interface BatchRun {
  spec: FrozenBatch;
  plan: BatchPlan;
  catalog: Catalog;
  process: ItemProcessor;
}

async function exists(path: string): Promise<boolean> {
  try {
    await (await import('node:fs/promises')).stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Moves `tmp` to `final` only if `final` does not exist (link fails with EEXIST), atomically. */
async function placeNoClobber(tmp: string, final: string): Promise<void> {
  try {
    await link(tmp, final);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new AppError('ALREADY_EXISTS', `${final} appeared while the batch ran; it was left untouched — rerun to write under a new name`);
    }
    throw error;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

export async function runBatch(run: BatchRun, ctx: EngineTaskContext): Promise<TaskOutcome> {
  const { spec, plan, catalog } = run;
  const task = taskDefinition(spec.task);
  const outDir = plan.outDir;
  await mkdir(outDir, { recursive: true });
  const lock = acquireLock(outDir, `batch job ${ctx.jobId}`);
  try {
    const bySeq = new Map<number, BatchItemReport>();
    const rows = catalog.db.prepare(`SELECT seq, input, output, status, code, message FROM batch_items WHERE job_id = ?`).all(ctx.jobId) as Array<BatchItemReport & { seq: number; code: string | null; message: string | null }>;
    for (const { seq, code, message, ...r } of rows) bySeq.set(seq, { ...r, ...(code ? { code } : {}), ...(message ? { message } : {}) });
    const manifest = await readManifest(outDir);
    const total = plan.items.length;
    let done = 0;
    let failed = 0;
    const record = (item: PlannedItem, r: BatchItemReport) => {
      bySeq.set(item.seq, r);
      insertBatchItems(catalog, ctx.jobId, item.seq, [r]);
      if (r.status === 'failed') failed++;
    };

    for (const item of plan.items) {
      const previous = bySeq.get(item.seq);
      if (previous && previous.status !== 'failed') {
        done++;
        continue; // finished before a pause or crash
      }
      if (ctx.signal.aborted) break;
      const final = join(outDir, item.output);
      const mine = manifest.get(item.output);
      if (mine && mine.key === item.key && mine.settings === plan.settingsHash && (await exists(final))) {
        record(item, { input: item.label, output: final, status: 'skipped', message: 'already done by an earlier run with the same settings' });
        done++;
        ctx.report.progress({ done, total, unit: 'file' });
        continue;
      }
      const extractDir = join(spec.jobDir, 'zip', String(item.seq));
      const ext = extname(item.output);
      const tmp = join(dirname(final), `.${basename(item.output, ext)}.partial-${process.pid}${ext}`);
      try {
        let source: string | null = null;
        if (task.batchInput === 'images') {
          source = item.entry ? await extractZipEntry(item.input, item.entry, extractDir) : item.input;
          await validateInput(source, item.label, spec.maxPixels);
        }
        await mkdir(dirname(final), { recursive: true });
        // only the model's work on this item: the engine and backend are up before the loop starts
        const started = performance.now();
        await run.process(source, tmp, item, { signal: ctx.cancelSignal, report: { ...ctx.report, progress: () => {} } });
        const ms = Math.round((performance.now() - started) * 10) / 10;
        await placeNoClobber(tmp, final);
        await appendManifest(outDir, { output: item.output, key: item.key, settings: plan.settingsHash });
        record(item, { input: item.label, output: final, status: 'ok', ms });
        if (task.batchInput === 'images') {
          ctx.output({ kind: task.galleryKind, path: final, beforePath: source, model: spec.model });
        } else {
          ctx.output({ kind: task.galleryKind, path: final, model: spec.model, seed: (spec.seed ?? 0) + item.seq, runId: spec.resolvedModel.kind === 'run' ? spec.resolvedModel.id : null });
        }
      } catch (error) {
        await rm(tmp, { force: true });
        if (ctx.cancelSignal.aborted) break;
        const wire = toWireError(error);
        record(item, { input: item.label, output: null, status: 'failed', code: wire.code, message: wire.message });
        ctx.report.log('warn', `${item.label}: ${wire.code}: ${wire.message}`);
        if (spec.failFast) {
          await finishReport(run, ctx, bySeq);
          throw new AppError(wire.code, `stopped at the first failure (fail-fast): ${item.label}: ${wire.message}`);
        }
      } finally {
        if (item.entry) await rm(extractDir, { recursive: true, force: true });
      }
      done++;
      ctx.report.progress({ done, total, unit: 'file' });
    }

    const report = await finishReport(run, ctx, bySeq);
    if (ctx.signal.aborted && done < total) {
      return { stopped: ctx.cancelSignal.aborted ? 'cancelled' : 'paused', errors: failed };
    }
    return { stopped: 'done', errors: report.failed, result: { outDir, ok: report.ok, skipped: report.skipped, failed: report.failed, total: report.total, report: join(spec.jobDir, 'report.json') } };
  } finally {
    lock.release();
  }
}

async function finishReport(run: BatchRun, ctx: EngineTaskContext, bySeq: Map<number, BatchItemReport>) {
  const items = run.plan.items.map((item) => bySeq.get(item.seq) ?? { input: item.label, output: null, status: 'failed' as const, code: 'CANCELLED', message: 'not processed: the batch stopped before this item' });
  const report = buildReport(ctx.jobId, run.plan.outDir, items);
  await writeReport(join(run.spec.jobDir, 'report'), report);
  if (run.spec.report) await writeReport(run.spec.report, report);
  return report;
}
