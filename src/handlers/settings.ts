// settings:* — workspace preferences in <workspace>/settings.json. Written atomically; a file
// that cannot be read (hand-edited, half-copied) falls back to the defaults instead of failing
// every window, and the next save replaces it. The queue URL may hold a password: it stays in
// the file, and settings:get (which a browser in server mode reads) shows it as ***.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handlers } from '../contract/api.js';
import { QueueFiles, RedisUrl } from '../contract/queue.js';
import { LanguagePrefSchema, type WorkspaceSettings } from '../contract/settings.js';
import { writeFileDurable } from '../common/durable-write.js';
import { redactRedisUrl } from '../jobs/queue/connection.js';
import type { AppContext } from './app-context.js';

type SettingsHandlers = Pick<Handlers, 'settings:get' | 'settings:set'>;
const DEFAULTS: WorkspaceSettings = { language: 'auto' };

export function settingsFile(ctx: AppContext): string {
  return join(ctx.ws.root, 'settings.json');
}

/** The settings as stored (the queue URL with its password). */
export async function readSettings(file: string): Promise<WorkspaceSettings> {
  let raw: Partial<WorkspaceSettings> | null;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as Partial<WorkspaceSettings> | null;
  } catch {
    return { ...DEFAULTS };
  }
  const language = LanguagePrefSchema.safeParse(raw?.language);
  const queueUrl = RedisUrl.safeParse(raw?.queueUrl);
  const queueFiles = QueueFiles.safeParse(raw?.queueFiles);
  return {
    ...DEFAULTS,
    language: language.success ? language.data : DEFAULTS.language,
    ...(queueUrl.success ? { queueUrl: queueUrl.data } : {}),
    ...(queueFiles.success ? { queueFiles: queueFiles.data } : {}),
  };
}

function shown(settings: WorkspaceSettings): WorkspaceSettings {
  return settings.queueUrl ? { ...settings, queueUrl: redactRedisUrl(settings.queueUrl) } : settings;
}

export function settingsHandlers(ctx: AppContext): SettingsHandlers {
  const file = settingsFile(ctx);
  // one write at a time, so two quick changes cannot land out of order
  let queue: Promise<unknown> = Promise.resolve();
  return {
    'settings:get': async () => shown(await readSettings(file)),
    'settings:set': (patch) => {
      const next = queue.then(async () => {
        const merged: WorkspaceSettings = { ...(await readSettings(file)), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
        if (merged.queueUrl === '') delete merged.queueUrl;
        await writeFileDurable(file, `${JSON.stringify(merged, null, 2)}\n`);
        return shown(merged);
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
