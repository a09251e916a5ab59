// Numbers for people: sizes, durations, dates, rates — through Intl in the current language.
import { i18n, t } from './i18n.svelte.js';

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${i18n.locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(i18n.locale, options)));
  return f;
}

/** A whole or decimal number with the language's grouping (1,234 / 1,234). */
export function formatInteger(n: number): string {
  return numberFormat({ maximumFractionDigits: 0 }).format(n);
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : 1;
  return `${numberFormat({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => numberFormat({ minimumIntegerDigits: 2 }).format(n);
  if (s < 60) return t('units.seconds', { s: numberFormat().format(s) });
  const m = Math.floor(s / 60);
  if (m < 60) return t('units.minutesSeconds', { m: numberFormat().format(m), s: two(s % 60) });
  const h = Math.floor(m / 60);
  return t('units.hoursMinutes', { h: numberFormat().format(h), m: two(m % 60) });
}

export function formatDate(ms: number | null | undefined): string {
  if (!ms) return '—';
  return new Date(ms).toLocaleString(i18n.locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatRelative(ms: number | null | undefined, now = Date.now()): string {
  if (!ms) return '—';
  const diff = (now - ms) / 1000;
  const rtf = new Intl.RelativeTimeFormat(i18n.locale, { numeric: 'auto', style: 'short' });
  if (diff < 45) return t('units.justNow');
  if (diff < 3600) return rtf.format(-Math.round(diff / 60), 'minute');
  if (diff < 86_400) return rtf.format(-Math.round(diff / 3600), 'hour');
  if (diff < 7 * 86_400) return rtf.format(-Math.round(diff / 86_400), 'day');
  return new Date(ms).toLocaleDateString(i18n.locale);
}

export function formatNumber(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (Math.abs(n) >= 1000) return formatInteger(n);
  return numberFormat({ maximumSignificantDigits: digits, useGrouping: false }).format(n);
}

/** A percentage of a 0–1 fraction. */
export function formatPercent(fraction: number, digits = 0): string {
  return numberFormat({ style: 'percent', maximumFractionDigits: digits }).format(fraction);
}

export type TaskName = 'generate' | 'superres' | 'cyclegan';
/** The task as people say it, in the current language. */
export function taskLabel(task: TaskName): string {
  return t(`tasks.${task}`);
}

export type GalleryKind = 'sample' | 'generation' | 'interpolation' | 'upscale' | 'translation';
/** Gallery item kinds as people say them (the filter chips and the detail page). */
export function galleryKindLabel(kind: GalleryKind): string {
  return t(`galleryKinds.${kind}`);
}

/**
 * An interruption's reason followed by one "how to continue" sentence. The engine's reason may
 * already end in its own "resume to continue…" clause; it is dropped so the advice reads once.
 */
export function interruptedMessage(reason: string): string {
  const cause = reason.replace(/\s*[;,.—–-]+\s*(press\s+)?resume\b.*$/i, '').replace(/[.\s]+$/, '').trim();
  // the engine's reason is a core message (English, like the CLI's); the advice around it is translated
  if (!cause) return t('jobs.interruptedAdvice', { cause: t('jobs.stoppedEarly') });
  return t('jobs.interruptedAdvice', { cause: `${cause[0]!.toUpperCase()}${cause.slice(1)}` });
}

/**
 * A core message as a person should read it: uploads live in a server-side staging folder
 * (`…/staging/uploads/drop-…/photo.zip`); the person only knows the file they dropped.
 */
export function readableMessage(message: string): string {
  return message.replace(/(?:[A-Za-z]:)?[^\s"'(]*[\\/]staging[\\/]uploads[\\/][^\\/\s]+[\\/]/g, '');
}
