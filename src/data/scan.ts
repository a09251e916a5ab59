// Expands what the user dropped (files, folders, zips) into a list of candidate files. Folders
// are walked recursively without following symlinks (reported); hidden and system files are
// skipped silently; unreadable folders are reported.
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ErrorCode } from '../contract/errors.js';

export type ScanItem =
  | { kind: 'file'; path: string; name: string; size: number }
  | { kind: 'zip'; path: string; name: string; size: number }
  | { kind: 'rejected'; name: string; code: ErrorCode; message: string };

export interface ScanResult {
  items: ScanItem[];
  skipped: number;
  bytes: number;
}

const SYSTEM_NAMES = new Set(['thumbs.db', 'desktop.ini', '.ds_store', '__macosx', 'ehthumbs.db', '$recycle.bin', 'system volume information']);

/** Hidden files and OS clutter, skipped without a report. */
export function isSkippedName(name: string): boolean {
  return name.startsWith('.') || SYSTEM_NAMES.has(name.toLowerCase()) || name.startsWith('._');
}

function looksLikeZip(name: string): boolean {
  return /\.zip$/i.test(name);
}

export async function scanInputs(paths: readonly string[], signal?: AbortSignal): Promise<ScanResult> {
  const result: ScanResult = { items: [], skipped: 0, bytes: 0 };
  for (const raw of paths) {
    const path = resolve(raw);
    const name = basename(path) || path;
    let st;
    try {
      // The user named this path themselves, so a symlink here is followed (unlike inside folders).
      st = await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      result.items.push(code === 'ENOENT'
        ? { kind: 'rejected', name: raw, code: 'NOT_FOUND', message: `${raw}: no such file or folder — check the path` }
        : { kind: 'rejected', name: raw, code: 'UNREADABLE_FILE', message: `${raw}: cannot be read (${code}) — check its permissions` });
      continue;
    }
    if (st.isDirectory()) await walk(path, name, result, signal);
    else if (st.isFile()) {
      result.items.push({ kind: looksLikeZip(name) ? 'zip' : 'file', path, name, size: st.size });
      result.bytes += st.size;
    } else {
      result.items.push({ kind: 'rejected', name: raw, code: 'UNREADABLE_FILE', message: `${raw}: is not a regular file or folder — import image files, folders or zips` });
    }
  }
  return result;
}

async function walk(dir: string, display: string, result: ScanResult, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    result.items.push({ kind: 'rejected', name: display, code: 'UNREADABLE_FILE', message: `${display}: the folder cannot be read (${code}) — check its permissions` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: Array<{ path: string; name: string; zip: boolean }> = [];
  const dirs: Array<{ path: string; name: string }> = [];
  for (const e of entries) {
    if (isSkippedName(e.name)) {
      result.skipped++;
      continue;
    }
    const path = join(dir, e.name);
    const name = `${display}/${e.name}`;
    if (e.isSymbolicLink()) {
      result.items.push({ kind: 'rejected', name, code: 'SYMLINK_NOT_FOLLOWED', message: `${name}: is a symbolic link, which is not followed inside folders — import its target directly if you want it` });
    } else if (e.isDirectory()) {
      dirs.push({ path, name });
    } else if (e.isFile()) {
      files.push({ path, name, zip: looksLikeZip(e.name) });
    } else {
      result.items.push({ kind: 'rejected', name, code: 'UNREADABLE_FILE', message: `${name}: is a device, socket or pipe, not a file — skip it` });
    }
  }
  // Sizes for the disk-space check, fetched together (each lstat is a thread-pool round trip).
  const sizes = await Promise.all(files.map((f) => lstat(f.path).then((s) => s.size, () => 0)));
  files.forEach((f, i) => {
    result.items.push({ kind: f.zip ? 'zip' : 'file', path: f.path, name: f.name, size: sizes[i]! });
    result.bytes += sizes[i]!;
  });
  // A folder's own files come before its subfolders' (this order decides which of two
  // identical files is the original and which the duplicate).
  for (const d of dirs) await walk(d.path, d.name, result, signal);
}
