// One item on a worker: the same per-item work as a local batch (the task's batchProcessor,
// the runner's input checks), then the output reaches its final name exactly once:
//  - shared folder: copied to a hidden temp beside the final name (registered, so the
//    dispatcher removes it if this worker dies), then hard-linked to the final name — link
//    fails rather than replace. If the name is taken by the very file an earlier attempt of this
//    item linked (its size:inode was registered first), that attempt got that far and died: the
//    item is done, not failed;
//  - through Redis: the bytes go back in chunks, and the dispatcher places them.
// The completion record (COMPLETE_SCRIPT) is written once per item, whoever finishes first.
import { link, mkdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Redis } from 'ioredis';
import { AppError, toWireError } from '../../contract/errors.js';
import { silentReporter } from '../../common/reporter.js';
import { writeFileSynced } from '../../common/durable-write.js';
import { taskDefinition, type ItemProcessor, type TaskDefinition } from '../../tasks/index.js';
import { appearedError, itemSource } from '../batch/item-steps.js';
import { validateInput } from '../batch/validate-input.js';
import { deleteBlob, getBlob, putBlob } from './blobs.js';
import { batchKeys } from './keys.js';
import { cachedModel, modelPathInCache } from './model-pack.js';
import { COMPLETE_SCRIPT, type ItemResult, type QueueItem, type WorkerBatch } from './protocol.js';

const OUTPUT_TTL_S = 24 * 3600;

export interface LoadedBatch {
  batch: WorkerBatch;
  task: TaskDefinition;
  process: ItemProcessor;
}

export interface WorkerEnv {
  redis: Redis;
  workerId: string;
  cacheDir: string;
  scratch: string;
  /** the model is loaded once per batch (and the processors keep their own model caches) */
  loadBatch(batchId: string): Promise<LoadedBatch | null>;
}

/** Reads a batch's settings and builds its per-item work, with the model from the worker's cache. */
export async function loadWorkerBatch(redis: Redis, batchId: string, cacheDir: string, scratch: string): Promise<LoadedBatch | null> {
  const raw = await redis.get(batchKeys(batchId).spec);
  if (!raw) return null; // finished and cleaned up: a stale retry
  const batch = JSON.parse(raw) as WorkerBatch;
  const dir = batch.modelHash ? modelPathInCache(batch.spec.resolvedModel, await cachedModel(redis, batch.modelHash, cacheDir)) : undefined;
  const spec = { ...batch.spec, resolvedModel: { ...batch.spec.resolvedModel, ...(dir ? { dir } : {}) }, jobDir: join(scratch, batchId) };
  const task = taskDefinition(spec.task);
  return { batch: { ...batch, spec }, task, process: await task.batchProcessor(spec) };
}

async function sees(probe: WorkerBatch['probe']): Promise<boolean> {
  if (!probe) return true;
  return readFile(probe.file, 'utf8').then((t) => t.trim() === probe.token, () => false);
}

/** Runs one queued item; returns what happened ('duplicate', 'cancelled' and 'gone' write nothing). */
export async function processQueueItem(env: WorkerEnv, item: QueueItem, attemptNo: number, signal: AbortSignal): Promise<'ok' | 'failed' | 'duplicate' | 'cancelled' | 'gone'> {
  const { redis } = env;
  const keys = batchKeys(item.batchId);
  if (await redis.hexists(keys.done, String(item.seq))) return 'duplicate';
  if (await redis.exists(keys.cancel)) return 'cancelled';
  const loaded = await env.loadBatch(item.batchId);
  if (!loaded) return 'gone';
  const { batch } = loaded;
  const attempt = `${env.workerId}-${attemptNo}-${Date.now().toString(36)}`;
  const work = join(env.scratch, `${item.batchId}-${item.seq}-${attempt}`);
  const ext = extname(item.output);
  let result: ItemResult;
  try {
    await mkdir(work, { recursive: true });
    const source = batch.files === 'shared' ? await sharedSource(loaded, item, work) : await redisSource(env, loaded, item, work);
    const out = join(work, `out${ext}`);
    const started = performance.now();
    await loaded.process(source, out, { seq: item.seq }, { signal, report: silentReporter });
    const ms = Math.round((performance.now() - started) * 10) / 10;
    if (batch.files === 'shared') {
      await placeShared(env, batch, item, out, attempt);
      result = { seq: item.seq, status: 'ok', ms, worker: env.workerId };
    } else {
      const blob = keys.output(item.seq, attempt);
      await putBlob(redis, blob, await readFile(out), OUTPUT_TTL_S);
      result = { seq: item.seq, status: 'ok', ms, worker: env.workerId, blob };
    }
  } catch (error) {
    if (signal.aborted) return 'cancelled';
    if (isConnectionError(error)) throw error; // Redis went away: BullMQ retries the item
    const wire = toWireError(error);
    result = { seq: item.seq, status: 'failed', code: wire.code, message: wire.message, worker: env.workerId };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const first = (await redis.eval(COMPLETE_SCRIPT, 2, keys.done, keys.results, String(item.seq), JSON.stringify(result))) === 1;
  if (!first && result.blob) await deleteBlob(redis, result.blob);
  return first ? result.status : 'duplicate';
}

async function sharedSource(loaded: LoadedBatch, item: QueueItem, work: string): Promise<string | null> {
  const { batch, task } = loaded;
  if (!(await sees(batch.probe))) {
    throw new AppError('NOT_FOUND', `this worker does not see the shared output folder ${batch.spec.outDir}: mount it at the same path on every worker, or start the batch with files through Redis`);
  }
  return itemSource(task, item, join(work, 'zip'), batch.spec.maxPixels);
}

async function redisSource(env: WorkerEnv, loaded: LoadedBatch, item: QueueItem, work: string): Promise<string | null> {
  if (loaded.task.batchInput !== 'images') return null;
  const bytes = await getBlob(env.redis, batchKeys(item.batchId).input(item.seq));
  if (!bytes) throw new AppError('QUEUE_UNAVAILABLE', `the input of ${item.label} is not in the queue's store (Redis lost it?); the dispatcher sends it again`);
  const file = join(work, `input-${basename(item.entry ?? item.input).replace(/[^A-Za-z0-9._-]+/g, '_')}`);
  await writeFile(file, bytes);
  await validateInput(file, item.label, loaded.batch.spec.maxPixels);
  return file;
}

async function placeShared(env: WorkerEnv, batch: WorkerBatch, item: QueueItem, out: string, attempt: string): Promise<void> {
  const keys = batchKeys(item.batchId);
  const final = join(batch.spec.outDir, item.output);
  const ext = extname(item.output);
  const tmp = join(dirname(final), `.${basename(item.output, ext)}.partial-${attempt}${ext}`);
  await mkdir(dirname(final), { recursive: true });
  await env.redis.sadd(keys.temps, tmp); // before the file exists: a death after this leaves nothing unlisted
  try {
    await writeFileSynced(tmp, await readFile(out));
    const st = await stat(tmp);
    await env.redis.sadd(keys.linked(item.seq), `${st.size}:${st.ino}`);
    try {
      await link(tmp, final);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const there = await stat(final);
      if (!(await env.redis.sismember(keys.linked(item.seq), `${there.size}:${there.ino}`))) throw appearedError(final);
    }
  } finally {
    await unlink(tmp).catch(() => {});
    await env.redis.srem(keys.temps, tmp);
  }
}

function isConnectionError(error: unknown): boolean {
  const msg = (error as Error)?.message ?? '';
  return /Connection is closed|ECONNREFUSED|ECONNRESET|Stream isn't writeable|max retries|QUEUE_UNAVAILABLE/i.test(msg) || (error instanceof AppError && error.code === 'QUEUE_UNAVAILABLE');
}
