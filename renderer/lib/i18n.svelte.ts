// The renderer's one way to words: `t('nav.datasets')`. Messages live in locales/<lang>.ts and go
// through svelte-i18n (ICU MessageFormat: plurals, selects, placeholders). `t` reads the current
// locale from $state, so any template or $derived that calls it re-renders when the language
// changes — no reload, no store subscriptions in every component.
import { addMessages, format, init, locale as localeStore } from 'svelte-i18n';
import { CATALOGUES, LOCALES, matchLocale, type LanguagePref, type Locale, type MessageKey } from '../../locales/index.js';

export type { LanguagePref, Locale, MessageKey };
export { LOCALES };

for (const l of LOCALES) addMessages(l, CATALOGUES[l] as unknown as Record<string, string>);

/** The OS / browser language. In Electron, navigator.language is the app's locale (app.getLocale()). */
export function systemLocale(): Locale {
  if (typeof navigator === 'undefined') return 'en';
  return matchLocale(navigator.languages?.length ? navigator.languages : [navigator.language ?? 'en']);
}

type Values = Record<string, string | number | Date | null | undefined>;
type Formatter = (id: string, options?: { values?: Values; locale?: string }) => string;

// The workspace setting (settings:get) is the source of truth; this copy only spares a window
// one flash of the other language while that call is on its way.
const HINT_KEY = 'gan-studio.language';
function savedHint(): LanguagePref {
  try {
    const v = localStorage.getItem(HINT_KEY);
    return v === 'en' || v === 'zh-CN' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

class I18nState {
  /** what Settings says: a language or `auto` */
  preference = $state<LanguagePref>('auto');
  /** the language every string is shown in now */
  locale = $state<Locale>(systemLocale());

  constructor() {
    const hint = typeof window === 'undefined' ? 'auto' : savedHint();
    this.preference = hint;
    this.locale = hint === 'auto' ? systemLocale() : hint;
  }

  setPreference(pref: LanguagePref): void {
    this.preference = pref;
    this.locale = pref === 'auto' ? systemLocale() : pref;
    void localeStore.set(this.locale);
    if (typeof document !== 'undefined') document.documentElement.lang = this.locale;
    try {
      localStorage.setItem(HINT_KEY, pref);
    } catch {
      // private mode: the workspace setting still holds it
    }
  }
}

export const i18n = new I18nState();
init({ fallbackLocale: 'en', initialLocale: i18n.locale });
if (typeof document !== 'undefined') document.documentElement.lang = i18n.locale;

let formatter: Formatter = (id) => id;
format.subscribe((f) => (formatter = f as Formatter));

/** A message in the current language. Values fill ICU placeholders: `{count, plural, …}`. */
export function t(key: MessageKey, values?: Values): string {
  return formatter(key, { values, locale: i18n.locale });
}

/** Like t() for a key built at run time (an error code, a task id); `fallback` when it is not in the catalogue. */
export function tMaybe(key: string, fallback: string, values?: Values): string {
  const out = formatter(key, { values, locale: i18n.locale });
  return out === key ? fallback : out;
}

/**
 * A message split around one placeholder, for text that wraps part of it in markup
 * (`<code>{command}</code>`): returns the text before and after `{slot}`.
 */
export function tParts(key: MessageKey, slot: string, values?: Values): [string, string] {
  const marker = '\u0000';
  const [before = '', after = ''] = t(key, { ...values, [slot]: marker }).split(marker);
  return [before, after];
}
