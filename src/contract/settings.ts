import { z } from 'zod';
import { Empty, method } from './common.js';

/**
 * Preferences that belong to a workspace rather than to one window or browser: the app, a
 * `gan-studio serve` opened from another machine, and a second window all read the same ones.
 * `language`: `auto` follows the OS / browser; the rest are the studio's catalogues (locales/).
 */
export const LANGUAGE_PREFS = ['auto', 'en', 'zh-CN'] as const;
export const LanguagePrefSchema = z.enum(LANGUAGE_PREFS);
export interface WorkspaceSettings {
  language: z.infer<typeof LanguagePrefSchema>;
}

export const settingsMethods = {
  'settings:get': method<WorkspaceSettings>()(Empty),
  /** changes only the fields given; returns the whole result */
  'settings:set': method<WorkspaceSettings>()(z.object({ language: LanguagePrefSchema.optional() }).strict()),
};
