// What to do about each error code, in words a person can act on. The message from the core says
// what happened and names the file (in English, like the CLI); this says the general fix, in the
// studio's language (locales/*: errors.hints.<CODE>). The code itself stays as it is.
import type { ErrorCode } from '../../src/contract/index.js';
import { i18n, tMaybe } from './i18n.svelte.js';

export function fixFor(code: ErrorCode): string | undefined {
  return tMaybe(`errors.hints.${code}`, '') || undefined;
}

/**
 * Splits a core message into what happened and what to do. Core messages often end in their own
 * specific fix after a dash ("… over the limit — split it …"); in English that one wins over the
 * general hint, so the advice reads once instead of twice in different words. In another
 * language the translated hint wins: advice the person can read beats the more specific one.
 */
export function explain(code: ErrorCode, message: string): { what: string; fix: string | undefined } {
  const at = message.lastIndexOf(' — ');
  if (at > 0) {
    // the CLI's flag means nothing in the window: the import flow offers a button instead
    const fix = message.slice(at + 3).replace(/\s*\(--accept-partial\)/, '').trim();
    const own = fix ? `${fix[0]!.toUpperCase()}${fix.slice(1)}${/[.!?]$/.test(fix) ? '' : '.'}` : undefined;
    return { what: message.slice(0, at).trim(), fix: i18n.locale === 'en' ? own ?? fixFor(code) : fixFor(code) ?? own };
  }
  return { what: message, fix: fixFor(code) };
}
