// Which workers are alive: each one stamps the time into a sorted set every HEARTBEAT_MS; a
// worker is live while its stamp is younger than LIVE_MS (a killed one drops out by itself).
import type { Redis } from 'ioredis';
import { WORKER_INFO_KEY, WORKERS_KEY } from './keys.js';

export const HEARTBEAT_MS = 2000;
export const LIVE_MS = 3 * HEARTBEAT_MS + 1000;

export interface WorkerInfo {
  id: string;
  host: string;
  concurrency: number;
  backend: string;
}

export async function beat(redis: Redis, info: WorkerInfo): Promise<void> {
  await redis.multi().zadd(WORKERS_KEY, Date.now(), info.id).hset(WORKER_INFO_KEY, info.id, JSON.stringify(info)).exec();
}

export async function leave(redis: Redis, id: string): Promise<void> {
  await redis.multi().zrem(WORKERS_KEY, id).hdel(WORKER_INFO_KEY, id).exec();
}

export async function liveWorkers(redis: Redis): Promise<WorkerInfo[]> {
  const since = Date.now() - LIVE_MS;
  const stale = await redis.zrangebyscore(WORKERS_KEY, '-inf', `(${since}`);
  if (stale.length) await redis.multi().zrem(WORKERS_KEY, ...stale).hdel(WORKER_INFO_KEY, ...stale).exec();
  const ids = await redis.zrangebyscore(WORKERS_KEY, since, '+inf');
  if (!ids.length) return [];
  const infos = await redis.hmget(WORKER_INFO_KEY, ...ids);
  return ids.map((id, i) => (infos[i] ? (JSON.parse(infos[i]!) as WorkerInfo) : { id, host: '?', concurrency: 1, backend: '?' }));
}
