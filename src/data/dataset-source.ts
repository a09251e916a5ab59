// The training pipeline for a dataset: every image decoded once to the model's size and colour
// (centre crop or pad, alpha flattened onto white) into a binary shard of 8-bit pixels under
// <workspace>/cache/, so epochs never decode again. Batches come in a seeded order per epoch
// with seeded horizontal flips; the cursor (epoch, position) alone fixes every batch, so a
// resumed run sees exactly the data the uninterrupted one would have. The next batch is
// prepared while the caller's training step runs.
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { silentReporter, type TaskContext } from '../common/reporter.js';
import type { TrainBatch } from '../models/types.js';
import { datasetImageRecords, getDataset, type ImageRecord } from '../workspace/datasets-repo.js';
import { assertFreeSpace, type Workspace } from '../workspace/workspace.js';
import type { BatchSource } from './types.js';
import { mulberry32 as prng } from '../common/prng.js';

export interface DatasetSourceOptions {
  size: number;
  channels: 1 | 3;
  seed: number;
  flip?: boolean;
  /** 'crop' (default): centre-crop to a square; 'pad': fit inside and pad with white */
  fit?: 'crop' | 'pad';
}

const SHARD_VERSION = 1;
/** Shards up to this size are held in memory; larger ones are read per image from disk. */
const IN_MEMORY_BYTES = 1024 ** 3;

/** Absolute paths of a dataset's stored images, in a stable order. */
export async function loadDatasetImages(ws: Workspace, datasetId: string, options: { split: 'train' | 'validation' | 'all' }): Promise<string[]> {
  requireDataset(ws, datasetId);
  const records = datasetImageRecords(ws.catalog, datasetId, options.split === 'all' ? undefined : options.split);
  return records.map((r) => join(ws.root, r.path));
}

function requireDataset(ws: Workspace, datasetId: string) {
  const ds = getDataset(ws.catalog, datasetId);
  if (!ds) throw new AppError('NOT_FOUND', `no dataset "${datasetId}" in ${ws.root} — list them with \`gan-studio datasets\` or import one with \`gan-studio import\``);
  return ds;
}

/** Decodes one stored image to size×size×channels 8-bit pixels. */
export async function decodeToShape(path: string, size: number, channels: 1 | 3, fit: 'crop' | 'pad'): Promise<Buffer> {
  let p = sharp(path, { failOn: 'none', pages: 1 }).rotate().flatten({ background: '#ffffff' })
    .resize(size, size, { fit: fit === 'crop' ? 'cover' : 'contain', background: '#ffffff', kernel: 'lanczos3' });
  p = channels === 1 ? p.toColourspace('b-w') : p.toColourspace('srgb');
  const data = await p.raw({ depth: 'uchar' }).toBuffer();
  if (data.length !== size * size * channels) throw new AppError('CORRUPT_IMAGE', `${path}: decoded to ${data.length} bytes instead of ${size * size * channels} — delete and re-import the dataset`);
  return data;
}

interface Shard {
  count: number;
  read(index: number, into: Uint8Array): void;
  close(): void;
}

function openShard(file: string, count: number, recordBytes: number): Shard {
  if (count * recordBytes <= IN_MEMORY_BYTES) {
    const all = readFileSync(file);
    return { count, read: (i, into) => into.set(all.subarray(i * recordBytes, (i + 1) * recordBytes)), close: () => {} };
  }
  const fd = openSync(file, 'r');
  return { count, read: (i, into) => void readSync(fd, into, 0, recordBytes, i * recordBytes), close: () => closeSync(fd) };
}

async function buildShard(ws: Workspace, records: ImageRecord[], file: string, o: Required<Pick<DatasetSourceOptions, 'size' | 'channels' | 'fit'>>, ctx: TaskContext, progress: { done: number; total: number }): Promise<void> {
  const handle = await open(file, 'w');
  try {
    // Decode a few at a time (sharp's thread pool), write in order.
    const window = 8;
    for (let start = 0; start < records.length; start += window) {
      ctx.signal.throwIfAborted();
      const chunk = records.slice(start, start + window);
      const pixels = await Promise.all(chunk.map((r) => decodeToShape(join(ws.root, r.path), o.size, o.channels, o.fit)));
      for (const px of pixels) await handle.write(px);
      progress.done += chunk.length;
      ctx.report.progress({ done: progress.done, total: progress.total, unit: 'image' });
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes (or reuses) the shard folder for these options; returns its path. */
async function ensureShards(ws: Workspace, datasetId: string, train: ImageRecord[], validation: ImageRecord[], o: Required<Pick<DatasetSourceOptions, 'size' | 'channels' | 'fit'>>, ctx: TaskContext): Promise<string> {
  const digest = createHash('sha256').update(JSON.stringify([SHARD_VERSION, train.map((r) => r.hash), validation.map((r) => r.hash)])).digest('hex').slice(0, 12);
  const dir = join(ws.layout.cache, datasetId, `${o.size}px-c${o.channels}-${o.fit}-${digest}`);
  if (existsSync(join(dir, 'meta.json'))) return dir;
  const recordBytes = o.size * o.size * o.channels;
  assertFreeSpace(ws.layout.cache, recordBytes * (train.length + validation.length), `the training cache of dataset ${datasetId}`);
  const tmp = `${dir}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const progress = { done: 0, total: train.length + validation.length };
  await buildShard(ws, train, join(tmp, 'train.u8'), o, ctx, progress);
  await buildShard(ws, validation, join(tmp, 'validation.u8'), o, ctx, progress);
  await writeFile(join(tmp, 'meta.json'), JSON.stringify({ version: SHARD_VERSION, datasetId, ...o, train: train.length, validation: validation.length }));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir); // appears whole or not at all
  return dir;
}


function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) h = Math.imul(h ^ (p >>> 0), 0x01000193) ^ (h >>> 13);
  return h >>> 0;
}

/** The order of epoch `epoch`: a Fisher–Yates shuffle seeded by (seed, epoch). */
export function epochOrder(count: number, seed: number, epoch: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const rand = prng(mix(seed, epoch, 0x5eed));
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

export async function openDatasetSource(ws: Workspace, datasetId: string, options: DatasetSourceOptions, ctx: TaskContext = { signal: new AbortController().signal, report: silentReporter }): Promise<BatchSource> {
  requireDataset(ws, datasetId);
  const fit = options.fit ?? 'crop';
  const { size, channels, seed } = options;
  const flip = options.flip ?? true;
  const train = datasetImageRecords(ws.catalog, datasetId, 'train');
  const validation = datasetImageRecords(ws.catalog, datasetId, 'validation');
  if (!train.length) throw new AppError('INVALID_ARGUMENT', `dataset ${datasetId} has no training images — import more images`);
  const dir = await ensureShards(ws, datasetId, train, validation, { size, channels, fit }, ctx);
  const recordBytes = size * size * channels;
  const trainShard = openShard(join(dir, 'train.u8'), train.length, recordBytes);
  const valShard = validation.length && statSync(join(dir, 'validation.u8')).size ? openShard(join(dir, 'validation.u8'), validation.length, recordBytes) : null;

  let epoch = 0;
  let position = 0;
  let order = epochOrder(train.length, seed, epoch);
  const orderFor = (e: number) => (e === epoch ? order : epochOrder(train.length, seed, e));
  const scratch = new Uint8Array(recordBytes);

  /** Fills a float batch for the cursor (e, p); returns the cursor after it. */
  const fill = (e: number, p: number, batchSize: number, out: Float32Array): [number, number] => {
    let ord = orderFor(e);
    const row = size * channels;
    for (let b = 0; b < batchSize; b++) {
      if (p >= train.length) {
        e++;
        p = 0;
        ord = orderFor(e);
      }
      trainShard.read(ord[p]!, scratch);
      const mirrored = flip && (mix(seed, e, p, 0xf11b) & 1) === 1;
      const base = b * recordBytes;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const src = y * row + (mirrored ? size - 1 - x : x) * channels;
          const dst = base + y * row + x * channels;
          for (let c = 0; c < channels; c++) out[dst + c] = scratch[src + c]! / 127.5 - 1;
        }
      }
      p++;
    }
    return [e, p];
  };

  let prepared: { e: number; p: number; batchSize: number; data: Float32Array; after: [number, number] } | null = null;
  let pending: NodeJS.Immediate | null = null;
  const prepare = (batchSize: number) => {
    const e = epoch;
    const p = position;
    pending = setImmediate(() => {
      pending = null;
      const data = new Float32Array(batchSize * recordBytes);
      prepared = { e, p, batchSize, data, after: fill(e, p, batchSize, data) };
    });
  };

  const source: BatchSource = {
    keys: ['real'],
    size: train.length,
    next(batchSize: number): TrainBatch {
      let data: Float32Array;
      let after: [number, number];
      if (prepared && prepared.e === epoch && prepared.p === position && prepared.batchSize === batchSize) {
        ({ data, after } = prepared);
      } else {
        data = new Float32Array(batchSize * recordBytes);
        after = fill(epoch, position, batchSize, data);
      }
      prepared = null;
      if (after[0] !== epoch) order = epochOrder(train.length, seed, after[0]);
      [epoch, position] = after;
      if (pending) clearImmediate(pending);
      prepare(batchSize); // runs while the caller's step awaits
      return { real: tf.tensor4d(data, [batchSize, size, size, channels]) };
    },
    getCursor: () => ({ epoch, position, seed, datasetId, size, channels }),
    setCursor(cursor: Record<string, unknown>) {
      const e = Number(cursor.epoch);
      const p = Number(cursor.position);
      if (!Number.isInteger(e) || !Number.isInteger(p) || e < 0 || p < 0 || p > train.length) {
        throw new AppError('CHECKPOINT_CORRUPT', `the data cursor ${JSON.stringify(cursor)} does not fit dataset ${datasetId} (${train.length} images) — resume from another checkpoint`);
      }
      epoch = e;
      position = p;
      order = epochOrder(train.length, seed, epoch);
      prepared = null;
    },
    heldOut(count: number): TrainBatch {
      // The validation split; a set too small to have one previews its first training images.
      const shard = valShard ?? trainShard;
      const n = Math.max(1, Math.min(count, shard.count));
      const data = new Float32Array(n * recordBytes);
      for (let i = 0; i < n; i++) {
        shard.read(i, scratch);
        for (let j = 0; j < recordBytes; j++) data[i * recordBytes + j] = scratch[j]! / 127.5 - 1;
      }
      return { real: tf.tensor4d(data, [n, size, size, channels]) };
    },
    dispose() {
      if (pending) clearImmediate(pending);
      prepared = null;
      trainShard.close();
      valShard?.close();
    },
  };
  return source;
}
