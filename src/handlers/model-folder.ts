// Validation of a TF.js model folder before import: model.json (size-capped) parses, has a
// topology and a weights manifest, every weight path is a plain relative path inside the folder,
// every shape is a list of whole non-negative numbers, and each group's files hold exactly the
// bytes its weights declare. Nothing in the tree may be a link — not the weight file, not a
// folder on its way, not model.json — so an import can never read a file from elsewhere; files
// are opened without following links and copied as bytes.
import { constants, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { dirname, join, normalize, isAbsolute, sep } from 'node:path';
import { AppError } from '../contract/errors.js';

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, int16: 2, int8: 1, complex64: 8 };

/** model.json holds the topology and manifest only (weights live in .bin files); real ones are far smaller */
export const MAX_MODEL_JSON_BYTES = 16 * 1024 * 1024;
/** gan-studio.json / sidecar.json */
export const MAX_SIDECAR_BYTES = 256 * 1024;

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}

/** A file to import, relative to the model folder, with the size it was validated at. */
export interface ModelFile {
  rel: string;
  bytes: number;
}

function invalid(message: string): AppError {
  return new AppError('MODEL_INVALID', message);
}

/**
 * Opens `base/rel` for reading, refusing a link at any component of `rel` (checked with lstat,
 * then the file itself is opened with O_NOFOLLOW). `base` must already be a real path.
 * Resolves null when something on the way is missing.
 */
export async function openInTree(base: string, rel: string): Promise<FileHandle | null> {
  const parts = rel.split('/');
  let current = base;
  for (const [i, part] of parts.entries()) {
    current = join(current, part);
    const st = await lstat(current).catch(() => null);
    if (!st) return null;
    if (st.isSymbolicLink()) throw invalid(`${current} is a link; a model folder may not contain links (copy the real file into the folder)`);
    if (i < parts.length - 1 && !st.isDirectory()) return null;
  }
  let handle: FileHandle;
  try {
    handle = await open(current, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw invalid(`${current} is a link; a model folder may not contain links`);
    throw error;
  }
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    throw invalid(`${current} is not a regular file`);
  }
  return handle;
}

/** Reads a small file of the tree (model.json, a sidecar) with a size cap; null when missing. */
export async function readTreeFile(base: string, rel: string, cap: number): Promise<{ text: string; bytes: number } | null> {
  const handle = await openInTree(base, rel);
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    if (size > cap) throw invalid(`${join(base, rel)} is ${size} bytes; at most ${cap} are accepted (weights belong in .bin files, not in ${rel})`);
    return { text: await handle.readFile('utf8'), bytes: size };
  } finally {
    await handle.close();
  }
}

/** Copies a validated file as bytes (never as a link), refusing to overwrite anything. */
export async function copyTreeFile(base: string, file: ModelFile, destRoot: string): Promise<void> {
  const handle = await openInTree(base, file.rel);
  if (!handle) throw invalid(`${join(base, file.rel)} disappeared during the import`);
  const dest = join(destRoot, file.rel);
  try {
    await mkdir(dirname(dest), { recursive: true });
    await pipeline(handle.createReadStream({ autoClose: false }), createWriteStream(dest, { flags: 'wx' }));
    const { size } = await handle.stat();
    if (size !== file.bytes) throw invalid(`${join(base, file.rel)} changed during the import (${file.bytes} → ${size} bytes)`);
  } finally {
    await handle.close();
  }
}

function weightBytes(modelJson: string, w: WeightSpec): number {
  const dtype = w.quantization?.dtype ?? w.dtype;
  const bytes = DTYPE_BYTES[dtype];
  if (!bytes || !Array.isArray(w.shape)) throw invalid(`${modelJson}: weight ${w.name} has an unknown dtype "${dtype}" or no shape`);
  let count = 1;
  for (const d of w.shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw invalid(`${modelJson}: weight ${w.name} has shape [${w.shape.join(', ')}]; every dimension must be a whole number ≥ 0`);
    }
    count *= d;
  }
  if (!Number.isSafeInteger(count * bytes)) throw invalid(`${modelJson}: weight ${w.name} of shape [${w.shape.join(', ')}] is impossibly large`);
  return count * bytes;
}

/**
 * Returns the files to copy, relative to `base` (model.json and every weight file, under `sub`
 * for a CycleGAN direction's subfolder). `base` must be a real path (no links in it).
 */
export async function validateModelFolder(base: string, sub = ''): Promise<ModelFile[]> {
  const prefix = sub ? `${sub}/` : '';
  const modelJson = join(base, prefix, 'model.json');
  let model: { modelTopology?: unknown; weightsManifest?: Array<{ paths: string[]; weights: WeightSpec[] }> };
  let read: { text: string; bytes: number } | null;
  try {
    read = await readTreeFile(base, `${prefix}model.json`, MAX_MODEL_JSON_BYTES);
    model = JSON.parse(read?.text ?? '');
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw invalid(`${modelJson} is missing or not JSON (${(error as Error).message}); pick the folder that holds a TF.js model.json`);
  }
  if (!model || !model.modelTopology || !Array.isArray(model.weightsManifest)) {
    throw invalid(`${modelJson} has no modelTopology or weightsManifest; export the model with tfjs (model.save) or tensorflowjs_converter`);
  }
  const files: ModelFile[] = [{ rel: `${prefix}model.json`, bytes: read?.bytes ?? 0 }];
  for (const [g, group] of model.weightsManifest.entries()) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw invalid(`${modelJson}: weight group ${g} has no paths or weights`);
    let actual = 0;
    for (const p of group.paths) {
      const clean = typeof p === 'string' ? normalize(p) : '';
      if (!clean || isAbsolute(clean) || clean.startsWith('..') || clean.split(sep).includes('..') || clean.includes('\0') || clean.includes('\\')) {
        throw invalid(`${modelJson}: weight path "${p}" points outside the model folder; weight files must sit inside it`);
      }
      const rel = `${prefix}${clean.split(sep).join('/')}`;
      const handle = await openInTree(base, rel);
      if (!handle) throw invalid(`${modelJson}: weight file ${clean} is missing from ${join(base, sub)}`);
      const { size } = await handle.stat().finally(() => handle.close());
      actual += size;
      files.push({ rel, bytes: size });
    }
    const expected = group.weights.reduce((n, w) => n + weightBytes(modelJson, w), 0);
    if (expected !== actual) {
      throw invalid(`${modelJson}: weight group ${g} declares ${expected} bytes but its files hold ${actual}; the download is incomplete or the files do not belong to this model`);
    }
  }
  return files;
}
