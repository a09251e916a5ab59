// The steps of one batch item that every runner shares — the local runner (runner.ts) and the
// Redis queue (../queue/): what was recorded already, what an earlier run finished, where the
// item's pixels come from, how its output reaches its final name, and the report at the end.
import { link, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../contract/errors.js';
import type { BatchItemReport } from '../../contract/batch.js';
import type { Catalog } from '../../workspace/catalog.js';
import type { FrozenBatch, TaskDefinition } from '../../tasks/index.js';
import type { OutputNote } from '../protocol.js';
import type { Manifest } from './manifest.js';
import { exists, type BatchPlan, type PlannedItem } from './plan.js';
import { buildReport, writeReport } from './report.js';
import { validateInput } from './validate-input.js';
import { extractZipEntry } from './zip-input.js';

export const SKIPPED_MESSAGE = 'already done by an earlier run with the same settings';


/** Items of this job the catalog holds (finished before a pause or crash), by seq. */
export function recordedItems(catalog: Catalog, jobId: string): Map<number, BatchItemReport> {
  const bySeq = new Map<number, BatchItemReport>();
  const rows = catalog.db.prepare(`SELECT seq, input, output, status, code, message, ms FROM batch_items WHERE job_id = ?`).all(jobId) as Array<BatchItemReport & { seq: number; code: string | null; message: string | null; ms: number | null }>;
  for (const { seq, code, message, ms, ...r } of rows) bySeq.set(seq, { ...r, ...(code ? { code } : {}), ...(message ? { message } : {}), ...(ms != null ? { ms } : {}) });
  return bySeq;
}

/** An earlier run wrote this output from the same input and settings, and it is still there. */
export async function doneEarlier(manifest: Manifest, plan: BatchPlan, item: PlannedItem): Promise<boolean> {
  const mine = manifest.get(item.output);
  return Boolean(mine && mine.key === item.key && mine.settings === plan.settingsHash && (await exists(join(plan.outDir, item.output))));
}

/** The file the model reads for this item (a zip entry is extracted into `extractDir`), checked; null for seed-made items. */
export async function itemSource(task: TaskDefinition, item: Pick<PlannedItem, 'input' | 'entry' | 'label'>, extractDir: string, maxPixels: number): Promise<string | null> {
  if (task.batchInput !== 'images') return null;
  const source = item.entry ? await extractZipEntry(item.input, item.entry, extractDir) : item.input;
  await validateInput(source, item.label, maxPixels);
  return source;
}

/** Moves `tmp` to `final` only if `final` does not exist (link fails with EEXIST), atomically. */
export async function placeNoClobber(tmp: string, final: string): Promise<void> {
  try {
    await link(tmp, final);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw appearedError(final);
    throw error;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

export function appearedError(final: string): AppError {
  return new AppError('ALREADY_EXISTS', `${final} appeared while the batch ran; it was left untouched — rerun to write under a new name`);
}

/** Writes the job's report.json/.csv (and the copy the spec asked for); items never reached count as cancelled. */
export async function finishReport(spec: FrozenBatch, plan: BatchPlan, jobId: string, bySeq: Map<number, BatchItemReport>) {
  const items = plan.items.map((item) => bySeq.get(item.seq) ?? { input: item.label, output: null, status: 'failed' as const, code: 'CANCELLED', message: 'not processed: the batch stopped before this item' });
  const report = buildReport(jobId, plan.outDir, items);
  await writeReport(join(spec.jobDir, 'report'), report);
  if (spec.report) await writeReport(spec.report, report);
  return report;
}

/** What the gallery records for an item written to `final` (`source`: the input it came from). */
export function galleryNote(spec: FrozenBatch, task: TaskDefinition, item: PlannedItem, final: string, source: string | null): OutputNote {
  if (task.batchInput === 'images') return { kind: task.galleryKind, path: final, beforePath: source, model: spec.model };
  return { kind: task.galleryKind, path: final, model: spec.model, seed: (spec.seed ?? 0) + item.seq, runId: spec.resolvedModel.kind === 'run' ? spec.resolvedModel.id : null };
}
