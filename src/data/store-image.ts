// One file into a dataset: read, hash, validate, dedupe, then copy (or normalise) into
// <dataset>/images/<hash>.<ext> with a thumbnail when the image is large. The original is only
// ever read. Files already stored by another dataset are hard-linked, not copied again.
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import { link, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, type ErrorCode } from '../contract/errors.js';
import type { RawImage } from './image-io.js';
import { findImageByHash, type ImageRecord } from '../workspace/datasets-repo.js';
import type { Workspace } from '../workspace/workspace.js';
import { inspectImage, readImageFile, THUMB_SIZE, type ImageInfo } from './validate.js';

export interface StoreContext {
  ws: Workspace;
  datasetId: string;
  maxPixels: number;
  maxFileBytes: number;
  /** content hash → display name of the file accepted with it (filled in scan order) */
  claimed: Map<string, string>;
}

export type FileOutcome =
  | { state: 'accepted'; source: string; record: ImageRecord; written: string[] }
  | { state: 'duplicate'; source: string; hash: string; duplicateOf: string }
  | { state: 'rejected'; source: string; code: ErrorCode; message: string };

export function datasetRel(datasetId: string, ...parts: string[]): string {
  return ['datasets', datasetId, ...parts].join('/');
}

function rawInput(px: RawImage) {
  const p = sharp(Buffer.from(px.data.buffer, px.data.byteOffset, px.data.length), { raw: { width: px.width, height: px.height, channels: px.channels } });
  return px.channels <= 2 ? p.toColourspace('b-w') : p; // sharp would otherwise widen gray to RGB
}

function asDiskError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('DISK_FULL', `the disk filled up while writing ${path} — free some space and import again`, { cause: error });
  }
  return error;
}

async function write(path: string, data: Uint8Array): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (error) {
    throw asDiskError(error, path);
  }
}

/** Hard-links an already stored copy (same bytes) into this dataset; null when impossible. */
async function linkExisting(sc: StoreContext, hash: string, source: string): Promise<FileOutcome | null> {
  const existing = findImageByHash(sc.ws.catalog, hash);
  if (!existing) return null;
  const ext = existing.path.slice(existing.path.lastIndexOf('.'));
  const rel = datasetRel(sc.datasetId, 'images', `${hash}${ext}`);
  const written: string[] = [];
  try {
    await link(join(sc.ws.root, existing.path), join(sc.ws.root, rel)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error; // EEXIST: an identical file in flight linked it
    });
    written.push(rel);
    let thumb = rel;
    if (existing.thumb !== existing.path) {
      thumb = datasetRel(sc.datasetId, 'thumbs', `${hash}.webp`);
      await link(join(sc.ws.root, existing.thumb), join(sc.ws.root, thumb)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      written.push(thumb);
    }
    return { state: 'accepted', source, written, record: { ...existing, id: `${sc.datasetId}.${hash.slice(0, 24)}`, datasetId: sc.datasetId, split: 'train', path: rel, thumb, originalName: source } };
  } catch {
    return null; // another file system, or the other copy just went: store our own
  }
}

export async function storeImageFile(sc: StoreContext, path: string, source: string, expectedSize?: number): Promise<FileOutcome> {
  const read = await readImageFile(path, sc.maxFileBytes, source, expectedSize);
  if (!read.ok) return { state: 'rejected', source, code: read.code, message: read.message };
  return storeImageBytes(sc, read.bytes, source);
}

/** Stores bytes already in memory (generated sample sets) exactly as a file with them would be. */
export async function storeImageBytes(sc: StoreContext, bytes: Buffer, source: string): Promise<FileOutcome> {
  const hash = createHash('sha256').update(bytes).digest('hex');
  // Claimed hashes come from files earlier in scan order (commits happen in order): skip the work.
  const earlier = sc.claimed.get(hash);
  if (earlier !== undefined) return { state: 'duplicate', source, hash, duplicateOf: earlier };

  const inspected = await inspectImage(bytes, source, { maxPixels: sc.maxPixels });
  if (!inspected.ok) return { state: 'rejected', source, code: inspected.code, message: inspected.message };
  // Not claimed here: the importer claims hashes in scan order when it commits, so which of two
  // identical files counts as the original does not depend on timing. Two identical files in
  // flight write the same bytes to the same name, which is harmless.
  const linked = await linkExisting(sc, hash, source);
  if (linked) return linked;
  return storeNew(sc, hash, bytes, inspected.info, inspected.pixels, source);
}

/** Applies the scan-order claim: an accepted file whose content was already taken is a duplicate. */
export function claimOrDuplicate(sc: StoreContext, o: FileOutcome): FileOutcome {
  if (o.state !== 'accepted') return o;
  const earlier = sc.claimed.get(o.record.hash);
  if (earlier !== undefined) return { state: 'duplicate', source: o.source, hash: o.record.hash, duplicateOf: earlier };
  sc.claimed.set(o.record.hash, o.source);
  return o;
}

async function storeNew(sc: StoreContext, hash: string, bytes: Buffer, info: ImageInfo, pixels: RawImage | undefined, source: string): Promise<FileOutcome> {
  const written: string[] = [];
  let stored: Uint8Array = bytes;
  let format: string = info.format;
  if (info.normalise) {
    // 16-bit, EXIF-rotated, GIF/BMP/TIFF: an 8-bit PNG of exactly what training will see.
    const px = pixels ?? (await decodeForStore(bytes, sc.maxPixels));
    stored = await rawInput(px).png({ compressionLevel: 6 }).toBuffer();
    format = 'png';
  }
  const ext = format === 'jpeg' ? 'jpg' : format;
  const rel = datasetRel(sc.datasetId, 'images', `${hash}.${ext}`);
  await write(join(sc.ws.root, rel), stored);
  written.push(rel);

  let thumb = rel;
  if (Math.max(info.width, info.height) > THUMB_SIZE) {
    thumb = datasetRel(sc.datasetId, 'thumbs', `${hash}.webp`);
    const source = pixels ? rawInput(pixels) : sharp(bytes, { limitInputPixels: sc.maxPixels }).rotate();
    const data = await source.resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside' }).webp({ quality: 80 }).toBuffer();
    await write(join(sc.ws.root, thumb), data);
    written.push(thumb);
  }
  return {
    state: 'accepted',
    source,
    written,
    record: {
      id: `${sc.datasetId}.${hash.slice(0, 24)}`,
      datasetId: sc.datasetId,
      hash,
      split: 'train',
      width: info.width,
      height: info.height,
      format,
      sourceFormat: info.format,
      channels: info.channels,
      bytes: stored.length,
      path: rel,
      thumb,
      originalName: source,
    },
  };
}

async function decodeForStore(bytes: Buffer, maxPixels: number): Promise<RawImage> {
  const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels, pages: 1 }).rotate().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
}

export async function ensureDatasetDirs(ws: Workspace, datasetId: string): Promise<void> {
  await mkdir(join(ws.root, datasetRel(datasetId, 'images')), { recursive: true });
  await mkdir(join(ws.root, datasetRel(datasetId, 'thumbs')), { recursive: true });
}
