// A batch's model, published once to the queue's store and cached on each worker. The pack is
// one buffer — a JSON table of files, then their bytes — built in a fixed order, so the same
// model always has the same sha256: that hash is its name in Redis and in a worker's cache.
// A run sends only the checkpoint inference loads (`latest`, else the newest); an imported
// model sends its whole folder, a model file itself. Pretrained models ship with the CLI and are never sent.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Redis } from 'ioredis';
import { AppError } from '../../contract/errors.js';
import { CHECKPOINTS_DIR, readPointer, stepDirs } from '../../training/checkpoint-dirs.js';
import type { BatchModel } from '../../tasks/index.js';
import { getBlob, hasBlob, putBlob, sha256 } from './blobs.js';
import { modelKey } from './keys.js';

/** Models above this size are refused (GAN_STUDIO_QUEUE_MAX_MODEL_MB overrides it). */
export function maxModelBytes(): number {
  const mb = Number(process.env['GAN_STUDIO_QUEUE_MAX_MODEL_MB'] ?? 512);
  return (Number.isFinite(mb) && mb > 0 ? mb : 512) * 1024 * 1024;
}

const MODEL_TTL_S = 7 * 24 * 3600;

async function listFiles(dir: string, root = dir, out: string[] = []): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.') || e.name.includes('.tmp-')) continue; // locks, half-written saves
    const full = join(dir, e.name);
    if (e.isDirectory()) await listFiles(full, root, out);
    else if (e.isFile()) out.push(relative(root, full).split(sep).join('/'));
  }
  return out;
}

/** The files to send, relative to the model folder; for a run, also the checkpoint they belong to. */
async function modelFiles(model: BatchModel): Promise<{ files: string[]; checkpoint?: string }> {
  const dir = model.dir!;
  if (model.kind === 'file') return { files: [basename(dir)] }; // one weights file (.safetensors, .onnx)
  if (model.kind !== 'run') return { files: await listFiles(dir) };
  const checkpoint = (await readPointer(dir, 'latest')) ?? (await stepDirs(dir))[0]?.name;
  if (!checkpoint) throw new AppError('NOT_FOUND', `run ${model.id} has no checkpoint to send to the workers; train it first`);
  return { files: await listFiles(join(dir, CHECKPOINTS_DIR, checkpoint), dir), checkpoint };
}

export async function packModel(model: BatchModel): Promise<Buffer> {
  const dir = model.kind === 'file' ? dirname(model.dir!) : model.dir!;
  const { files, checkpoint } = await modelFiles(model);
  const cap = maxModelBytes();
  const table: Array<{ path: string; size: number }> = [];
  const bodies: Buffer[] = [];
  let total = 0;
  const add = (path: string, body: Buffer) => {
    total += body.length;
    if (total > cap) {
      throw new AppError('PAYLOAD_TOO_LARGE', `model ${model.id} is over ${Math.round(cap / 2 ** 20)} MB, the queue's cap for models; raise GAN_STUDIO_QUEUE_MAX_MODEL_MB where you start the batch, or use a smaller model`);
    }
    table.push({ path, size: body.length });
    bodies.push(body);
  };
  // a run's `latest` pointer names the one checkpoint sent, whatever it said on this machine
  if (checkpoint) add(`${CHECKPOINTS_DIR}/latest`, Buffer.from(`${checkpoint}\n`));
  for (const path of files) add(path, await readFile(join(dir, path)));
  const header = Buffer.from(JSON.stringify(table));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([length, header, ...bodies]);
}

/** Packs and publishes the model (once: a pack already there is kept); returns its hash. */
export async function publishModel(redis: Redis, model: BatchModel): Promise<string> {
  const pack = await packModel(model);
  const hash = sha256(pack);
  if (!(await hasBlob(redis, modelKey(hash)))) await putBlob(redis, modelKey(hash), pack, MODEL_TTL_S);
  else await redis.expire(`${modelKey(hash)}:meta`, MODEL_TTL_S);
  return hash;
}

/** `<cacheDir>/models/<hash>`, fetched from the queue on first use; written whole or not at all. */
export async function cachedModel(redis: Redis, hash: string, cacheDir: string): Promise<string> {
  const dest = join(cacheDir, 'models', hash);
  if (await stat(join(dest, '.complete')).then(() => true, () => false)) return dest;
  const pack = await getBlob(redis, modelKey(hash));
  if (!pack) throw new AppError('NOT_FOUND', `model ${hash.slice(0, 12)} is not in the queue's store (expired, or Redis lost its data); the dispatcher publishes it again`);
  const tmp = `${dest}.tmp-${process.pid}-${Date.now()}`;
  await rm(tmp, { recursive: true, force: true });
  const headerLength = pack.readUInt32LE(0);
  const table = JSON.parse(pack.subarray(4, 4 + headerLength).toString('utf8')) as Array<{ path: string; size: number }>;
  let offset = 4 + headerLength;
  for (const { path, size } of table) {
    const target = resolve(tmp, path);
    if (!target.startsWith(resolve(tmp) + sep)) throw new AppError('MODEL_INVALID', `model ${hash.slice(0, 12)} names a file outside its folder (${path})`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, pack.subarray(offset, offset + size));
    offset += size;
  }
  await writeFile(join(tmp, '.complete'), hash);
  await mkdir(dirname(dest), { recursive: true });
  try {
    await rename(tmp, dest);
  } catch {
    await rm(tmp, { recursive: true, force: true }); // another item of this worker got there first
  }
  return dest;
}

/** Where a worker finds the model the batch names, once its pack is in the cache. */
export function modelPathInCache(model: BatchModel, cached: string): string {
  return model.kind === 'file' ? join(cached, basename(model.dir!)) : cached;
}
