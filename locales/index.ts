// The studio's languages and how a preference or a browser's language list picks one. Shared by
// the renderer (through svelte-i18n) and the server's login page, which runs no script and reads
// the catalogue directly. English is the source catalogue: every key starts there, and
// zh-CN.ts must have the same shape (a compile error otherwise, and locales/catalogue.test.ts).
import { en, type Messages } from './en.js';
import { zhCN } from './zh-CN.js';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
/** What Settings stores: a language, or `auto` to follow the OS / browser. */
export type LanguagePref = 'auto' | Locale;

export const CATALOGUES: Record<Locale, Messages> = { en, 'zh-CN': zhCN };
export type { Messages };

/** Every dotted key of the catalogue (`nav.datasets`), so a typo is a type error. */
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<Messages>;

/**
 * The first supported language in a preference list (navigator.languages, or an
 * Accept-Language header's tags in order). Any Chinese tag reads as Simplified Chinese: the one
 * Chinese catalogue there is; everything else falls back to English.
 */
export function matchLocale(tags: readonly string[]): Locale {
  for (const tag of tags) {
    const t = tag.trim().toLowerCase();
    if (t === 'en' || t.startsWith('en-')) return 'en';
    if (t === 'zh' || t.startsWith('zh-')) return 'zh-CN';
  }
  return 'en';
}

/** An Accept-Language header's tags, highest quality first. */
export function acceptLanguageTags(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
}

/** Looks up a dotted key in a catalogue (the login page; the renderer goes through svelte-i18n). */
export function lookup(messages: Messages, key: MessageKey): string {
  let node: unknown = messages;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  return typeof node === 'string' ? node : key;
}
