// The config hash: what must match for a resume to continue the same training. Fields that only
// change how long or how often (steps, sampling, checkpoint cadence, backend) may differ.
import { createHash } from 'node:crypto';
import type { ResolvedSpec } from '../models/types.js';
import { legacyEqualFields } from './legacy-spec.js';

export const RESUME_FREE_FIELDS = ['steps', 'backend', 'sampleEvery', 'checkpointEvery', 'keepCheckpoints'] as const;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** The part of a spec that defines the math of a run, with keys sorted. */
export function hashedConfig(spec: ResolvedSpec): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...spec };
  for (const field of [...RESUME_FREE_FIELDS, ...legacyEqualFields(spec)]) delete copy[field];
  return canonical(copy) as Record<string, unknown>;
}

export function configHash(spec: ResolvedSpec): string {
  return createHash('sha256').update(JSON.stringify(hashedConfig(spec))).digest('hex').slice(0, 16);
}

/** Human-readable differences, e.g. ['loss: bce (run) vs hinge (now)'], flattening `extra`. */
export function configDifferences(saved: ResolvedSpec, now: ResolvedSpec): string[] {
  const flat = (spec: ResolvedSpec) => {
    const { extra, ...rest } = hashedConfig(spec) as Record<string, unknown> & { extra?: Record<string, unknown> };
    return { ...rest, ...Object.fromEntries(Object.entries(extra ?? {}).map(([k, v]) => [`extra.${k}`, v])) } as Record<string, unknown>;
  };
  const a = flat(saved);
  const b = flat(now);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k}: ${JSON.stringify(a[k]) ?? 'unset'} (run) vs ${JSON.stringify(b[k]) ?? 'unset'} (now)`);
}
