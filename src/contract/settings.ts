import { z } from 'zod';
import { Empty, method } from './common.js';
import { QueueFiles, RedisUrl } from './queue.js';

/**
 * Preferences that belong to a workspace rather than to one window or browser: the app, a
 * `gan-studio serve` opened from another machine, and a second window all read the same ones.
 * `language`: `auto` follows the OS / browser; the rest are the studio's catalogues (locales/).
 */
export const LANGUAGE_PREFS = ['auto', 'en', 'zh-CN'] as const;
export const LanguagePrefSchema = z.enum(LANGUAGE_PREFS);
export interface WorkspaceSettings {
  language: z.infer<typeof LanguagePrefSchema>;
  /** the batch queue "Run on workers" uses (absent: none); settings:get shows its password as *** */
  queueUrl?: string;
  /** how that queue's batches move files: `shared` when every machine mounts the same paths */
  queueFiles?: QueueFiles;
}

export const settingsMethods = {
  'settings:get': method<WorkspaceSettings>()(Empty),
  /** changes only the fields given; returns the whole result */
  'settings:set': method<WorkspaceSettings>()(z.object({
    language: LanguagePrefSchema.optional(),
    /** '' removes the queue */
    queueUrl: z.union([RedisUrl, z.literal('')]).optional(),
    queueFiles: QueueFiles.optional(),
  }).strict()),
};
