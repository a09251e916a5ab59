// Numbers for people: sizes, durations, dates, rates.
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatDate(ms: number | null | undefined): string {
  if (!ms) return '—';
  return new Date(ms).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatRelative(ms: number | null | undefined, now = Date.now()): string {
  if (!ms) return '—';
  const diff = (now - ms) / 1000;
  if (diff < 45) return 'just now';
  if (diff < 3600) return `${Math.round(diff / 60)} min ago`;
  if (diff < 86_400) return `${Math.round(diff / 3600)} h ago`;
  if (diff < 7 * 86_400) return `${Math.round(diff / 86_400)} d ago`;
  return new Date(ms).toLocaleDateString();
}

export function formatNumber(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString();
  return Number(n.toPrecision(digits)).toString();
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export const TASK_LABELS = { generate: 'Generate', superres: 'Super-resolution', cyclegan: 'Style transfer' } as const;

/** Gallery item kinds as people say them (the filter chips and the detail page). */
export const GALLERY_KIND_LABELS = { sample: 'Training sample', generation: 'Generated', interpolation: 'Interpolation', upscale: 'Upscaled', translation: 'Translated' } as const;

/**
 * An interruption's reason followed by one "how to continue" sentence. The engine's reason may
 * already end in its own "resume to continue…" clause; it is dropped so the advice reads once.
 */
export function interruptedMessage(reason: string): string {
  const cause = reason.replace(/\s*[;,.—–-]+\s*(press\s+)?resume\b.*$/i, '').replace(/[.\s]+$/, '').trim() || 'The job stopped before it finished';
  return `${cause[0]!.toUpperCase()}${cause.slice(1)}. Press Resume to continue from the last checkpoint.`;
}

/**
 * A core message as a person should read it: uploads live in a server-side staging folder
 * (`…/staging/uploads/drop-…/photo.zip`); the person only knows the file they dropped.
 */
export function readableMessage(message: string): string {
  return message.replace(/(?:[A-Za-z]:)?[^\s"'(]*[\\/]staging[\\/]uploads[\\/][^\\/\s]+[\\/]/g, '');
}
