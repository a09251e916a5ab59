// queue:* — the batch queue on Redis that `gan-studio worker`s serve (src/jobs/queue/).
import type { Handlers } from '../contract/api.js';
import { AppError } from '../contract/errors.js';
import type { QueueFiles } from '../contract/queue.js';
import { openRedis, redactRedisUrl, checkReachable } from '../jobs/queue/connection.js';
import { liveWorkers } from '../jobs/queue/live-workers.js';
import type { AppContext } from './app-context.js';
import { readSettings, settingsFile } from './settings.js';

type QueueHandlers = Pick<Handlers, 'queue:status'>;

/** The queue configured in Settings, or an error saying where to configure one. */
export async function configuredQueue(ctx: AppContext): Promise<{ url: string; files: QueueFiles }> {
  const settings = await readSettings(settingsFile(ctx));
  if (!settings.queueUrl) throw new AppError('INVALID_ARGUMENT', 'no queue is configured: set its URL in Settings → Workers (or give --queue redis://… on the command line)');
  return { url: settings.queueUrl, files: settings.queueFiles ?? 'redis' };
}

export function queueHandlers(ctx: AppContext): QueueHandlers {
  return {
    'queue:status': async ({ url }) => {
      const target = url ?? (await readSettings(settingsFile(ctx))).queueUrl;
      if (!target) return { url: null, workers: 0 };
      try {
        await checkReachable(target, 2000);
      } catch (error) {
        return { url: redactRedisUrl(target), workers: 0, error: (error as Error).message };
      }
      const redis = openRedis(target);
      try {
        return { url: redactRedisUrl(target), workers: (await liveWorkers(redis)).length };
      } finally {
        redis.disconnect();
      }
    },
  };
}
