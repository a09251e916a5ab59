// The workspace: a folder with a fixed layout (paths.ts) and its catalog. Opening one also
// rolls back imports that a crashed process left half-done, so every caller (app, CLI,
// server) sees a consistent catalog.
import { mkdirSync, statfsSync, existsSync } from 'node:fs';
import { lstat, readdir, rm, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { openCatalog, type Catalog } from './catalog.js';
import { resolveWorkspace, workspaceLayout, type WorkspaceLayout } from './paths.js';
import { recoverInterruptedImports } from './recovery.js';

export interface Workspace {
  root: string;
  layout: WorkspaceLayout;
  catalog: Catalog;
  close(): void;
}

/** Opens (creating if needed) the workspace at `root`, else --workspace/$GAN_STUDIO_HOME/~/.gan-studio. */
export function openWorkspace(root?: string): Workspace {
  const dir = resolveWorkspace(root);
  const layout = workspaceLayout(dir);
  for (const d of [layout.root, layout.datasets, layout.runs, layout.gallery, layout.exports, layout.models, layout.cache, layout.trash, layout.staging, layout.logs]) {
    try {
      mkdirSync(d, { recursive: true });
    } catch (error) {
      throw new AppError('PATH_NOT_ALLOWED', `cannot create the workspace folder ${d}: ${(error as Error).message} — pick a writable folder with --workspace DIR or GAN_STUDIO_HOME`, { cause: error });
    }
  }
  const catalog = openCatalog(dir);
  const ws: Workspace = { root: dir, layout, catalog, close: () => catalog.close() };
  recoverInterruptedImports(ws);
  return ws;
}

/** Space kept free beyond what an operation needs, so the OS and the catalog can still write. */
export const FREE_SPACE_RESERVE_BYTES = 50 * 1024 * 1024;

function nearestExisting(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

export function freeBytes(dir: string): number {
  const s = statfsSync(nearestExisting(dir));
  return Number(s.bavail) * Number(s.bsize);
}

/** Throws DISK_FULL (naming what needed the space and how much is missing) unless `bytesNeeded` fits. */
export function assertFreeSpace(dir: string, bytesNeeded: number, what: string): void {
  const free = freeBytes(dir);
  if (free - FREE_SPACE_RESERVE_BYTES < bytesNeeded) {
    throw new AppError(
      'DISK_FULL',
      `not enough free disk space for ${what}: it needs about ${formatBytes(bytesNeeded)} in ${dir} but only ${formatBytes(Math.max(0, free))} is free ` +
        `(${formatBytes(FREE_SPACE_RESERVE_BYTES)} is kept in reserve) — free some space (gan-studio runs/datasets delete, empty the trash) or use another --workspace`,
    );
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** Bytes under `path` (files counted by their size; links not followed). */
export async function folderBytes(path: string): Promise<number> {
  let st;
  try {
    st = await lstat(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.size;
  let total = 0;
  const entries = await readdir(path).catch(() => [] as string[]);
  for (const name of entries) total += await folderBytes(join(path, name));
  return total;
}

export interface DiskUsage {
  root: string;
  freeBytes: number;
  totalBytes: number;
  catalog: number;
  datasets: Array<{ id: string; bytes: number }>;
  runs: Array<{ id: string; bytes: number }>;
  gallery: number;
  cache: number;
  exports: number;
  trash: number;
  staging: number;
  models: number;
}

async function perChild(dir: string): Promise<Array<{ id: string; bytes: number }>> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: Array<{ id: string; bytes: number }> = [];
  for (const id of names.sort()) out.push({ id, bytes: await folderBytes(join(dir, id)) });
  return out;
}

/** What each part of the workspace takes on disk: per dataset, per run, caches, trash. */
export async function diskUsage(ws: Workspace): Promise<DiskUsage> {
  const l = ws.layout;
  const fs = await statfs(l.root);
  return {
    root: l.root,
    freeBytes: Number(fs.bavail) * Number(fs.bsize),
    totalBytes: Number(fs.blocks) * Number(fs.bsize),
    catalog: (await folderBytes(l.catalog)) + (await folderBytes(`${l.catalog}-wal`)),
    datasets: await perChild(l.datasets),
    runs: await perChild(l.runs),
    gallery: await folderBytes(l.gallery),
    cache: await folderBytes(l.cache),
    exports: await folderBytes(l.exports),
    trash: await folderBytes(l.trash),
    staging: await folderBytes(l.staging),
    models: await folderBytes(l.models),
  };
}

export type CleanupTarget = 'trash' | 'cache' | 'exports';

/**
 * Deletes the contents of the given folders (not the folders themselves). The cache is rebuilt
 * on demand (training re-makes its shards); trash and exports are gone for good.
 */
export async function cleanWorkspace(ws: Workspace, targets: readonly CleanupTarget[]): Promise<{ freedBytes: number }> {
  let freed = 0;
  for (const t of targets) {
    const dir = ws.layout[t];
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const p = join(dir, name);
      freed += await folderBytes(p);
      await rm(p, { recursive: true, force: true });
    }
  }
  return { freedBytes: freed };
}
