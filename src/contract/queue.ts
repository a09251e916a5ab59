import { z } from 'zod';
import { method } from './common.js';

/**
 * A Redis that a batch queue lives on: `redis://[user:password@]host:port[/db]`, or `rediss://…`
 * for TLS. Never expose a Redis without a password and TLS (README, docs/SEVERAL-MACHINES.md).
 */
export const RedisUrl = z.string().max(2048).regex(/^rediss?:\/\/[^\s/?#]+(\/\d{1,2})?\/?$/, 'a queue is redis://[user:password@]host:port[/db] or rediss://… (TLS)');

/** How a queued batch's files reach the workers: every machine mounts the same paths, or through Redis. */
export const QUEUE_FILES = ['shared', 'redis'] as const;
export const QueueFiles = z.enum(QUEUE_FILES);
export type QueueFiles = z.infer<typeof QueueFiles>;

export interface QueueStatus {
  /** the queue asked about, password hidden; null when none is configured */
  url: string | null;
  /** workers that reported in the last few seconds */
  workers: number;
  /** set when the queue could not be reached (the message names the host and the fix) */
  error?: string;
}

export const queueMethods = {
  /** live workers on the given queue, or on the one configured in Settings */
  'queue:status': method<QueueStatus>()(z.object({ url: RedisUrl.optional() }).strict().default({})),
};
