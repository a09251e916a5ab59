// Remembers the backend chooser's answer between processes. Choosing forks a probe child per
// native backend and times matmuls (about 13 s on a loaded machine), yet the answer only changes
// when what lies under it changes: the key below names those things (runtime, installed tfjs
// packages, GPU driver, the environment variables that steer adapter discovery), and an entry
// also expires after a week. `gan-studio doctor` (selectBackend) always probes and rewrites it.
// GAN_STUDIO_BACKEND_CACHE=FILE moves the cache (tests), =off disables it.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BackendName, BackendPref, BackendRow } from './backend-types.js';

export const BACKEND_CACHE_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const FORMAT = 1;
/** Packages whose presence or version changes what can be chosen. */
const KEY_PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'];
/** Environment that changes which GPU (if any) a probe finds. */
const KEY_ENV = ['CUDA_VISIBLE_DEVICES', 'VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'EGL_PLATFORM', 'LD_LIBRARY_PATH'];

export interface BackendCacheKey {
  format: number;
  pref: BackendPref;
  app: string | null;
  node: string;
  electron: string | null;
  platform: string;
  arch: string;
  packages: Record<string, string | null>;
  env: Record<string, string | null>;
  gpuDriver: string | null;
}

export interface CachedChoice {
  key: BackendCacheKey;
  savedAt: number;
  chosen: BackendName;
  table: BackendRow[];
  /** webgpu: the Dawn options whose adapter the probe found, reused when activating */
  dawnOptions?: string[];
}

export function backendCachePath(): string | null {
  const override = process.env.GAN_STUDIO_BACKEND_CACHE;
  if (override === 'off') return null;
  if (override) return override;
  const base = process.platform === 'win32' ? (process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
    : process.platform === 'darwin' ? join(homedir(), 'Library', 'Caches')
    : (process.env.XDG_CACHE_HOME || join(homedir(), '.cache'));
  return join(base, 'gan-studio', 'backend-choice.json');
}

function readJson(path: string | URL): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The installed version of a package, found the way Node resolves it from here (null: absent). */
function packageVersion(name: string): string | null {
  for (const dir of createRequire(import.meta.url).resolve.paths(name) ?? []) {
    const pkg = readJson(join(dir, name, 'package.json'));
    if (pkg) return String(pkg.version ?? 'unknown');
  }
  return null;
}

/** Our own version: a new release may change the probes or the order. */
function appVersion(): string | null {
  for (const up of ['../../../package.json', '../../package.json']) {
    const pkg = readJson(new URL(up, import.meta.url));
    if (pkg?.name === 'gan-studio') return String(pkg.version);
  }
  return null;
}

/** The NVIDIA kernel driver line on Linux: a cheap stand-in for the adapter (probing it is not). */
function gpuDriver(): string | null {
  if (process.platform !== 'linux') return null;
  try {
    return readFileSync('/proc/driver/nvidia/version', 'utf8').split('\n')[0]!.trim() || null;
  } catch {
    return null;
  }
}

export function backendCacheKey(pref: BackendPref): BackendCacheKey {
  return {
    format: FORMAT,
    pref,
    app: appVersion(),
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    platform: process.platform,
    arch: process.arch,
    packages: Object.fromEntries(KEY_PACKAGES.map((p) => [p, packageVersion(p)])),
    env: Object.fromEntries(KEY_ENV.map((v) => [v, process.env[v] ?? null])),
    gpuDriver: gpuDriver(),
  };
}

type CacheFile = { entries?: Partial<Record<BackendPref, CachedChoice>> };

/** The remembered choice for `pref`, or null when there is none, it is stale, or anything in its key changed. */
export function readCachedChoice(pref: BackendPref, now = Date.now()): CachedChoice | null {
  const path = backendCachePath();
  if (!path) return null;
  const entry = (readJson(path) as CacheFile | null)?.entries?.[pref];
  if (!entry || typeof entry.savedAt !== 'number' || !entry.chosen || !Array.isArray(entry.table)) return null;
  if (now - entry.savedAt > BACKEND_CACHE_MAX_AGE_MS || entry.savedAt > now + 60_000) return null;
  return JSON.stringify(entry.key) === JSON.stringify(backendCacheKey(pref)) ? entry : null;
}

/**
 * A probe that timed out says the machine was busy, not what it can do: such a choice is not
 * remembered. (A probe that crashed loading an addon is remembered: it will crash again.)
 */
export function isCacheable(table: readonly BackendRow[]): boolean {
  return !table.some((r) => /^probe did not answer|^probe script not built|^probe could not start/.test(r.reason));
}

/** Remembers a fresh choice; never throws (a read-only home only costs the next probe). */
export function writeCachedChoice(pref: BackendPref, choice: { chosen: BackendName; table: BackendRow[] }, dawnOptions?: string[]): void {
  const path = backendCachePath();
  if (!path || !isCacheable(choice.table)) return;
  try {
    const file = (readJson(path) as CacheFile | null) ?? {};
    const entry: CachedChoice = { key: backendCacheKey(pref), savedAt: Date.now(), chosen: choice.chosen, table: choice.table, ...(dawnOptions ? { dawnOptions } : {}) };
    const next: CacheFile = { entries: { ...(file.entries ?? {}), [pref]: entry } };
    mkdirSync(dirname(path), { recursive: true });
    // temp file + rename: a concurrent reader sees the old file or the new one, never half of one
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n');
    renameSync(tmp, path);
  } catch {
    // the cache is an optimisation only
  }
}
