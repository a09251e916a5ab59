// Connecting to the queue's Redis: the URL may carry a user, a password and TLS (`rediss://`).
// Every connection retries forever with a capped back-off, so a Redis restart only pauses the
// workers and the dispatcher; BullMQ needs `maxRetriesPerRequest: null` on its connections.
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { AppError } from '../../contract/errors.js';
import { RedisUrl } from '../../contract/queue.js';

/** The URL as logs and the UI show it: the password replaced by `***`. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/, (_m, scheme: string, auth: string) => `${scheme}${auth.includes(':') ? `${auth.slice(0, auth.indexOf(':'))}:***` : '***'}@`);
}

export function redisOptions(url: string): RedisOptions {
  if (!RedisUrl.safeParse(url).success) {
    throw new AppError('INVALID_ARGUMENT', `"${redactRedisUrl(url).slice(0, 80)}" is not a queue URL: use redis://[user:password@]host:port[/db] or rediss://… for TLS`);
  }
  const u = new URL(url);
  const db = Number(u.pathname.replace(/\//g, '') || 0);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db,
    ...(u.protocol === 'rediss:' ? { tls: { servername: u.hostname } } : {}),
    maxRetriesPerRequest: null,
    // reconnect for as long as it takes (a restart, a network blip); at most 2 s apart
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
    connectionName: 'gan-studio',
  };
}

/** The same options, typed for BullMQ (whose option type is its own, not ioredis's). */
export function bullConnection(url: string): ConnectionOptions {
  return redisOptions(url) as ConnectionOptions;
}

export function openRedis(url: string): Redis {
  const redis = new Redis(redisOptions(url));
  // errors surface on the commands that wait for the connection; an unhandled 'error' event would crash
  redis.on('error', () => {});
  return redis;
}

/** Fails fast (within `timeoutMs`) with an error naming the host, instead of waiting forever. */
export async function checkReachable(url: string, timeoutMs = 3000): Promise<void> {
  const redis = new Redis({ ...redisOptions(url), retryStrategy: () => null, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new AppError('QUEUE_UNAVAILABLE', `cannot reach the queue at ${redactRedisUrl(url)}: ${(error as Error).message} — is redis-server running there, and are the password and TLS right?`);
  } finally {
    redis.disconnect();
  }
}
