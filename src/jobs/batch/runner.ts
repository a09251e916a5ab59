// Runs a planned batch: each item validated, processed into a hidden temp file, then linked to
// its final name (never replacing an existing file). A bad item is reported and the batch goes
// on (unless failFast). Pause stops between items; cancel stops inside the current one.
import { mkdir, rm } from 'node:fs/promises';
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
import { SKIPPED_MESSAGE, doneEarlier, finishReport, galleryNote, itemSource, placeNoClobber, recordedItems } from './item-steps.js';

export interface BatchRun {
  spec: FrozenBatch;
  plan: BatchPlan;
  catalog: Catalog;
  process: ItemProcessor;
}


export async function runBatch(run: BatchRun, ctx: EngineTaskContext): Promise<TaskOutcome> {
  const { spec, plan, catalog } = run;
  const task = taskDefinition(spec.task);
  const outDir = plan.outDir;
  await mkdir(outDir, { recursive: true });
  const lock = acquireLock(outDir, `batch job ${ctx.jobId}`);
  try {
    const bySeq = recordedItems(catalog, ctx.jobId);
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
      if (await doneEarlier(manifest, plan, item)) {
        record(item, { input: item.label, output: final, status: 'skipped', message: SKIPPED_MESSAGE });
        done++;
        ctx.report.progress({ done, total, unit: 'file' });
        continue;
      }
      const extractDir = join(spec.jobDir, 'zip', String(item.seq));
      const ext = extname(item.output);
      const tmp = join(dirname(final), `.${basename(item.output, ext)}.partial-${process.pid}${ext}`);
      try {
        const source = await itemSource(task, item, extractDir, spec.maxPixels);
        await mkdir(dirname(final), { recursive: true });
        // only the model's work on this item: the engine and backend are up before the loop starts
        const started = performance.now();
        await run.process(source, tmp, item, { signal: ctx.cancelSignal, report: { ...ctx.report, progress: () => {} } });
        const ms = Math.round((performance.now() - started) * 10) / 10;
        await placeNoClobber(tmp, final);
        await appendManifest(outDir, { output: item.output, key: item.key, settings: plan.settingsHash });
        record(item, { input: item.label, output: final, status: 'ok', ms });
        ctx.output(galleryNote(spec, task, item, final, source));
      } catch (error) {
        await rm(tmp, { force: true });
        if (ctx.cancelSignal.aborted) break;
        const wire = toWireError(error);
        record(item, { input: item.label, output: null, status: 'failed', code: wire.code, message: wire.message });
        ctx.report.log('warn', `${item.label}: ${wire.code}: ${wire.message}`);
        if (spec.failFast) {
          await finishReport(run.spec, run.plan, ctx.jobId, bySeq);
          throw new AppError(wire.code, `stopped at the first failure (fail-fast): ${item.label}: ${wire.message}`);
        }
      } finally {
        if (item.entry) await rm(extractDir, { recursive: true, force: true });
      }
      done++;
      ctx.report.progress({ done, total, unit: 'file' });
    }

    const report = await finishReport(run.spec, run.plan, ctx.jobId, bySeq);
    if (ctx.signal.aborted && done < total) {
      return { stopped: ctx.cancelSignal.aborted ? 'cancelled' : 'paused', errors: failed };
    }
    return { stopped: 'done', errors: report.failed, result: { outDir, ok: report.ok, skipped: report.skipped, failed: report.failed, total: report.total, report: join(spec.jobDir, 'report.json') } };
  } finally {
    lock.release();
  }
}

