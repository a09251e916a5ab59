// A batch run on workers: the engine job of a `batch --queue` / "Run on workers" batch. The plan,
// the skip-what-is-done check, the catalog records, the report and the gallery notes are the
// local runner's (../batch/item-steps.ts); only who does the per-item work differs. Items go to
// the queue a window at a time (files through Redis stay bounded), results come back through
// the batch's result list, each seq counted once. Every few seconds the dispatcher checks its
// items still exist in the queue: after a Redis restart that lost data, it sends them again.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError, toWireError, type ErrorCode } from '../../contract/errors.js';
import type { BatchItemReport } from '../../contract/batch.js';
import type { QueueFiles } from '../../contract/queue.js';
import { writeFileSynced } from '../../common/durable-write.js';
import type { Catalog } from '../../workspace/catalog.js';
import { insertBatchItems } from '../../workspace/jobs-repo.js';
import { taskDefinition, type FrozenBatch } from '../../tasks/index.js';
import type { EngineTaskContext } from '../engine-task.js';
import type { TaskOutcome } from '../protocol.js';
import { acquireLock } from '../run-lock.js';
import { appendManifest, readManifest } from '../batch/manifest.js';
import type { BatchPlan, PlannedItem } from '../batch/plan.js';
import { SKIPPED_MESSAGE, doneEarlier, finishReport, galleryNote, placeNoClobber, recordedItems } from '../batch/item-steps.js';
import { extractZipEntry } from '../batch/zip-input.js';
import { deleteBlob, getBlob, hasBlob, putBlob } from './blobs.js';
import { bullConnection, checkReachable, openRedis, redactRedisUrl } from './connection.js';
import { ITEMS_QUEUE, batchKeys, batchPrefix, itemJobId, modelKey } from './keys.js';
import { publishModel } from './model-pack.js';
import type { ItemResult, QueueItem, WorkerBatch } from './protocol.js';

export interface QueuedBatchRun {
  spec: FrozenBatch;
  plan: BatchPlan;
  catalog: Catalog;
  url: string;
  files: QueueFiles;
  /** items in the queue at once (files through Redis: that many inputs stored at most) */
  window?: number;
  reconcileMs?: number;
}

const SPEC_TTL_S = 7 * 24 * 3600;
const INPUT_TTL_S = 24 * 3600;
/** a file sent through Redis larger than this is refused (its item fails) */
const MAX_ITEM_BYTES = 256 * 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runQueuedBatch(run: QueuedBatchRun, ctx: EngineTaskContext): Promise<TaskOutcome> {
  const { spec, plan, catalog, url, files } = run;
  const task = taskDefinition(spec.task);
  const { outDir } = plan;
  const keys = batchKeys(ctx.jobId);
  await checkReachable(url);
  await mkdir(outDir, { recursive: true });
  const lock = acquireLock(outDir, `batch job ${ctx.jobId} (on workers at ${redactRedisUrl(url)})`);
  const redis = openRedis(url);
  const queue = new Queue<QueueItem>(ITEMS_QUEUE, { connection: bullConnection(url) });
  queue.on('error', () => {}); // reconnects by itself; commands wait meanwhile
  const probe = files === 'shared' ? { file: join(outDir, `.gan-studio-queue-${ctx.jobId}`), token: randomBytes(16).toString('hex') } : null;
  try {
    const bySeq = recordedItems(catalog, ctx.jobId);
    const manifest = await readManifest(outDir);
    const total = plan.items.length;
    let done = 0;
    let failed = 0;
    const progress = () => ctx.report.progress({ done, total, unit: 'file' });
    const record = (item: PlannedItem, r: BatchItemReport) => {
      bySeq.set(item.seq, r);
      insertBatchItems(catalog, ctx.jobId, item.seq, [r]);
      if (r.status === 'failed') failed++;
      done++;
      progress();
    };

    if (probe) await writeFile(probe.file, probe.token);
    const modelHash = spec.resolvedModel.kind === 'pretrained' ? null : await publishModel(redis, spec.resolvedModel);
    const workerBatch: WorkerBatch = { batchId: ctx.jobId, spec, modelHash, files, probe };
    const publish = async () => {
      await redis.set(keys.spec, JSON.stringify(workerBatch), 'EX', SPEC_TTL_S);
      if (modelHash && !(await hasBlob(redis, modelKey(modelHash)))) await publishModel(redis, spec.resolvedModel);
    };
    await publish();
    await redis.del(keys.cancel);

    const todo: PlannedItem[] = [];
    for (const item of plan.items) {
      const previous = bySeq.get(item.seq);
      if (previous && previous.status !== 'failed') done++;
      else if (await doneEarlier(manifest, plan, item)) record(item, { input: item.label, output: join(outDir, item.output), status: 'skipped', message: SKIPPED_MESSAGE });
      else todo.push(item);
    }
    progress();
    /** items without a result yet, and those of them in the queue now */
    const remaining = new Map(todo.map((i) => [i.seq, i]));
    const pending = new Map<number, PlannedItem>();
    let next = 0;
    let stopAt: AppError | null = null;

    const enqueue = async (item: PlannedItem) => {
      if (files === 'redis' && task.batchInput === 'images' && !(await hasBlob(redis, keys.input(item.seq)))) {
        try {
          await putBlob(redis, keys.input(item.seq), await readInput(item, join(spec.jobDir, 'zip', String(item.seq))), INPUT_TTL_S);
        } catch (error) {
          remaining.delete(item.seq);
          record(item, { input: item.label, output: null, status: 'failed', ...pickWire(error) });
          return;
        }
      }
      const data: QueueItem = { batchId: ctx.jobId, seq: item.seq, label: item.label, output: item.output, input: item.input, ...(item.entry ? { entry: item.entry } : {}) };
      // attempts: for lost workers and Redis trouble; an item's own failure comes back as a result
      await queue.add('item', data, { jobId: itemJobId(ctx.jobId, item.seq), attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: false });
      pending.set(item.seq, item);
    };

    const handle = async (result: ItemResult) => {
      const item = remaining.get(result.seq);
      if (!item) return; // counted already (a retried item's second answer), or not this run's
      remaining.delete(item.seq);
      pending.delete(item.seq);
      await deleteBlob(redis, keys.input(item.seq)).catch(() => {});
      const final = join(outDir, item.output);
      if (result.status === 'ok') {
        try {
          if (result.blob) await placeFromRedis(redis, result.blob, final, item.output);
          await appendManifest(outDir, { output: item.output, key: item.key, settings: plan.settingsHash });
          record(item, { input: item.label, output: final, status: 'ok', ...(result.ms !== undefined ? { ms: result.ms } : {}) });
          ctx.output(galleryNote(spec, task, item, final, item.entry ? null : item.input || null));
          return;
        } catch (error) {
          result = { ...result, status: 'failed', ...pickWire(error) };
        }
      }
      record(item, { input: item.label, output: null, status: 'failed', code: result.code ?? 'INTERNAL', message: result.message ?? 'failed on a worker' });
      ctx.report.log('warn', `${item.label}: ${result.code}: ${result.message}`);
      if (spec.failFast && !stopAt) stopAt = new AppError((result.code ?? 'INTERNAL') as ErrorCode, `stopped at the first failure (fail-fast): ${item.label}: ${result.message}`);
    };

    // results written before this dispatcher (re)started: the hash keeps them, the list may not
    for (const raw of Object.values(await redis.hgetall(keys.done))) await handle(JSON.parse(raw) as ItemResult);

    const reconcile = async () => {
      await publish();
      for (const [seq, item] of [...pending]) {
        if (await redis.hexists(keys.done, String(seq))) continue;
        const job = await queue.getJob(itemJobId(ctx.jobId, seq));
        if (!job) {
          pending.delete(seq);
          await enqueue(item); // lost with Redis's data: send it again
        } else if (await job.isFailed()) {
          await job.remove().catch(() => {});
          await handle({ seq, status: 'failed', code: 'INTERNAL', message: `gave up after ${job.attemptsMade} tries on workers: ${job.failedReason}`, worker: '' });
        }
      }
    };

    let popping: Promise<string[] | null> | null = null;
    let reconciling: Promise<void> | null = null;
    let lastReconcile = Date.now();
    while (!ctx.signal.aborted && !stopAt) {
      while (pending.size < (run.window ?? 64) && next < todo.length && !ctx.signal.aborted) {
        const item = todo[next++]!;
        if (remaining.has(item.seq)) await enqueue(item);
      }
      if (!remaining.size) break;
      // a pop left unanswered while Redis is away is awaited next time, never dropped with its results
      popping ??= redis.lpop(keys.results, 64);
      const got = await Promise.race([popping, sleep(500).then(() => 'wait' as const)]);
      if (got !== 'wait') {
        popping = null;
        for (const raw of got ?? []) await handle(JSON.parse(raw) as ItemResult);
        if (!got?.length) await sleep(150);
      }
      if (!reconciling && Date.now() - lastReconcile > (run.reconcileMs ?? 5000)) {
        reconciling = reconcile().catch(() => {}).finally(() => {
          reconciling = null;
          lastReconcile = Date.now();
        });
      }
    }
    await reconciling;

    const finished = !remaining.size;
    if (!finished) {
      if (ctx.cancelSignal.aborted || stopAt) await redis.set(keys.cancel, '1', 'EX', SPEC_TTL_S);
      // waiting items leave the queue; ones a worker holds finish there (a pause picks them up on resume)
      for (const seq of pending.keys()) await queue.remove(itemJobId(ctx.jobId, seq)).catch(() => 0);
    }
    const report = await finishReport(spec, plan, ctx.jobId, bySeq);
    if (finished || ctx.cancelSignal.aborted || stopAt) await forgetBatch(redis, ctx.jobId);
    if (stopAt) throw stopAt;
    if (!finished) return { stopped: ctx.cancelSignal.aborted ? 'cancelled' : 'paused', errors: failed };
    return { stopped: 'done', errors: report.failed, result: { outDir, ok: report.ok, skipped: report.skipped, failed: report.failed, total: report.total, report: join(spec.jobDir, 'report.json') } };
  } finally {
    if (probe) await rm(probe.file, { force: true });
    await queue.close().catch(() => {});
    redis.disconnect();
    lock.release();
  }

  async function readInput(item: PlannedItem, extractDir: string): Promise<Buffer> {
    const path = item.entry ? await extractZipEntry(item.input, item.entry, extractDir) : item.input;
    try {
      const bytes = await readFile(path);
      if (bytes.length > MAX_ITEM_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `${item.label} is over ${MAX_ITEM_BYTES / 2 ** 20} MB, too large to send through the queue; use a shared folder`);
      return bytes;
    } finally {
      if (item.entry) await rm(extractDir, { recursive: true, force: true });
    }
  }
}

function pickWire(error: unknown): { code: string; message: string } {
  const wire = toWireError(error);
  return { code: wire.code, message: wire.message };
}

/** An output sent back through Redis: written to a hidden temp beside its final name, then linked (never replacing). */
async function placeFromRedis(redis: Redis, blob: string, final: string, rel: string): Promise<void> {
  const bytes = await getBlob(redis, blob);
  if (!bytes) throw new AppError('QUEUE_UNAVAILABLE', `the output of ${rel} is no longer in the queue's store (Redis lost it); rerun the batch to redo it`);
  const ext = extname(rel);
  const tmp = join(dirname(final), `.${basename(rel, ext)}.partial-dispatch-${process.pid}${ext}`);
  await mkdir(dirname(final), { recursive: true });
  try {
    await writeFileSynced(tmp, bytes);
    await placeNoClobber(tmp, final);
  } finally {
    await rm(tmp, { force: true });
  }
  await deleteBlob(redis, blob);
}

/** Removes the batch's keys and any temp file a dead worker left in a shared output folder. */
async function forgetBatch(redis: Redis, batchId: string): Promise<void> {
  const keys = batchKeys(batchId);
  for (const tmp of await redis.smembers(keys.temps)) {
    if (basename(tmp).startsWith('.') && basename(tmp).includes('.partial-')) await rm(tmp, { force: true });
  }
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${batchPrefix(batchId)}*`, 'COUNT', 500);
    if (found.length) await redis.del(...found);
    cursor = next;
  } while (cursor !== '0');
}
