// The one answer to "which files in this folder are images": one extension list and one walker,
// shared by batches (and the CLI's upscale / stylize, which run as batches), training from a
// plain folder, and the paired / unpaired training sets. Dataset import (data/scan.ts) looks at
// every file instead: it reports what it refuses, file by file.
import { readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { AppError } from '../contract/errors.js';

/** Extensions of the formats sharp (and our BMP reader) decode; compared lower-cased. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff', '.avif']);

export function isImageFileName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

export interface ImageFile {
  /** absolute path */
  path: string;
  /** path below the listed folder, '/'-separated */
  rel: string;
}

/**
 * Image files under `dir`, recursively, sorted by their path below it (code-unit order: the
 * same on every OS, so a seeded run or a batch numbers them the same everywhere). Hidden files
 * and folders (.DS_Store, ._x.png, a batch's own manifest) and links are left out.
 * `fix` ends the NOT_FOUND message of a folder that cannot be read.
 */
export async function listImageTree(dir: string, fix = 'pass an existing folder'): Promise<ImageFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    throw new AppError('NOT_FOUND', `cannot read the image folder ${dir}: ${(error as Error).message}; ${fix}`);
  }
  const files: ImageFile[] = [];
  for (const e of entries) {
    if (!e.isFile() || !isImageFileName(e.name)) continue;
    const path = join(e.parentPath, e.name);
    const rel = relative(dir, path).split(sep).join('/');
    if (rel.split('/').some((part) => part.startsWith('.'))) continue;
    files.push({ path, rel });
  }
  return files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** listImageTree's absolute paths, in its order. */
export async function listImageFiles(dir: string, fix?: string): Promise<string[]> {
  return (await listImageTree(dir, fix)).map((f) => f.path);
}
