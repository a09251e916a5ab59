// `gan-studio worker`: takes batch items from the queue and runs them with the same per-item
// work as a local batch. BullMQ holds a lock per active item and renews it while the worker
// lives; a worker that dies (kill -9, power cut) stops renewing, and after `lockMs` another
// worker's stalled-job check puts the item back in the queue. Items whose work fails (a bad
// input) are answered as failed, not retried; only a lost worker or Redis makes a retry.
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Worker } from 'bullmq';
import type { BackendPref } from '../../contract/system.js';
import { ensureBackend } from '../engine-backend.js';
import { bullConnection, checkReachable, openRedis, redactRedisUrl } from './connection.js';
import { ITEMS_QUEUE, batchKeys } from './keys.js';
import { HEARTBEAT_MS, beat, leave } from './live-workers.js';
import type { QueueItem } from './protocol.js';
import { loadWorkerBatch, processQueueItem, type LoadedBatch, type WorkerEnv } from './worker-item.js';

export interface WorkerOptions {
  url: string;
  concurrency: number;
  backend: BackendPref;
  /** where models fetched from the queue are kept between items and runs */
  cacheDir: string;
  /** how long an item stays locked to a silent worker before another may take it */
  lockMs?: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

export const DEFAULT_LOCK_MS = 30_000;
const CANCEL_POLL_MS = 1000;

export async function runWorker(opts: WorkerOptions): Promise<{ processed: number }> {
  await checkReachable(opts.url);
  const backend = await ensureBackend(opts.backend);
  const redis = openRedis(opts.url);
  const workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const scratch = await mkdtemp(join(tmpdir(), 'gan-studio-worker-'));
  const batches = new Map<string, Promise<LoadedBatch | null>>();
  const env: WorkerEnv = {
    redis, workerId, cacheDir: opts.cacheDir, scratch,
    loadBatch(batchId) {
      let loaded = batches.get(batchId);
      if (!loaded) {
        loaded = loadWorkerBatch(redis, batchId, opts.cacheDir, scratch);
        loaded.catch(() => batches.delete(batchId)); // a failed load (Redis away) is tried again
        batches.set(batchId, loaded);
        // a handful of batches at most: older ones' processors go (their models stay cached on disk)
        if (batches.size > 4) batches.delete(batches.keys().next().value!);
      }
      return loaded;
    },
  };
  const info = { id: workerId, host: hostname(), concurrency: opts.concurrency, backend };
  const heartbeat = setInterval(() => void beat(redis, info).catch(() => {}), HEARTBEAT_MS);
  await beat(redis, info).catch(() => {});
  let processed = 0;
  const lockDuration = opts.lockMs ?? DEFAULT_LOCK_MS;
  const worker = new Worker<QueueItem>(
    ITEMS_QUEUE,
    async (job) => {
      const controller = new AbortController();
      const poll = setInterval(() => {
        void redis.exists(batchKeys(job.data.batchId).cancel).then((n) => n && controller.abort(), () => {});
      }, CANCEL_POLL_MS);
      try {
        const outcome = await processQueueItem(env, job.data, job.attemptsStarted, controller.signal);
        if (outcome === 'ok' || outcome === 'failed') processed++;
        opts.log(JSON.stringify({ event: 'item', batch: job.data.batchId, seq: job.data.seq, outcome, worker: workerId }));
        return outcome;
      } finally {
        clearInterval(poll);
      }
    },
    {
      connection: bullConnection(opts.url),
      concurrency: opts.concurrency,
      lockDuration,
      stalledInterval: Math.max(500, Math.round(lockDuration / 2)),
      maxStalledCount: 3,
    },
  );
  worker.on('error', (error) => opts.log(JSON.stringify({ event: 'error', message: error.message })));
  worker.on('active', (job) => opts.log(JSON.stringify({ event: 'start', batch: job.data.batchId, seq: job.data.seq, worker: workerId })));
  opts.log(JSON.stringify({ event: 'ready', worker: workerId, queue: redactRedisUrl(opts.url), concurrency: opts.concurrency, backend }));
  await new Promise<void>((resolve) => {
    if (opts.signal.aborted) return resolve();
    opts.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearInterval(heartbeat);
  await worker.close(); // lets the items in hand finish
  await leave(redis, workerId).catch(() => {});
  redis.disconnect();
  await rm(scratch, { recursive: true, force: true });
  return { processed };
}
