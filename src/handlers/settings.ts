// settings:* — workspace preferences in <workspace>/settings.json. Written atomically; a file
// that cannot be read (hand-edited, half-copied) falls back to the defaults instead of failing
// every window, and the next save replaces it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handlers } from '../contract/api.js';
import { LanguagePrefSchema, type WorkspaceSettings } from '../contract/settings.js';
import { writeFileDurable } from '../common/durable-write.js';
import type { AppContext } from './context.js';

type SettingsHandlers = Pick<Handlers, 'settings:get' | 'settings:set'>;
const DEFAULTS: WorkspaceSettings = { language: 'auto' };

async function readSettings(file: string): Promise<WorkspaceSettings> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return { ...DEFAULTS };
  }
  const language = LanguagePrefSchema.safeParse((raw as Partial<WorkspaceSettings> | null)?.language);
  return { ...DEFAULTS, language: language.success ? language.data : DEFAULTS.language };
}

export function settingsHandlers(ctx: AppContext): SettingsHandlers {
  const file = join(ctx.ws.root, 'settings.json');
  // one write at a time, so two quick changes cannot land out of order
  let queue: Promise<unknown> = Promise.resolve();
  return {
    'settings:get': () => readSettings(file),
    'settings:set': (patch) => {
      const next = queue.then(async () => {
        const merged: WorkspaceSettings = { ...(await readSettings(file)), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
        await writeFileDurable(file, `${JSON.stringify(merged, null, 2)}\n`);
        return merged;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
