// Files through Redis in bounded chunks: `<key>:meta` (size, chunk count, sha256) is written
// after every chunk, so a reader sees a whole blob or none; the hash is checked on read.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../../contract/errors.js';

export const CHUNK_BYTES = 1024 * 1024;

interface BlobMeta {
  size: number;
  chunks: number;
  sha256: string;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function putBlob(redis: Redis, key: string, data: Buffer, ttlS: number): Promise<void> {
  const chunks = Math.max(1, Math.ceil(data.length / CHUNK_BYTES));
  for (let i = 0; i < chunks; i++) {
    await redis.set(`${key}:${i}`, data.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES), 'EX', ttlS);
  }
  const meta: BlobMeta = { size: data.length, chunks, sha256: sha256(data) };
  await redis.set(`${key}:meta`, JSON.stringify(meta), 'EX', ttlS);
}

export async function hasBlob(redis: Redis, key: string): Promise<boolean> {
  return (await redis.exists(`${key}:meta`)) === 1;
}

/** The blob, or null when it is not (or no longer) there. */
export async function getBlob(redis: Redis, key: string): Promise<Buffer | null> {
  const raw = await redis.get(`${key}:meta`);
  if (!raw) return null;
  const meta = JSON.parse(raw) as BlobMeta;
  const parts: Buffer[] = [];
  for (let i = 0; i < meta.chunks; i++) {
    const part = await redis.getBuffer(`${key}:${i}`);
    if (!part) return null;
    parts.push(part);
  }
  const data = Buffer.concat(parts);
  if (data.length !== meta.size || sha256(data) !== meta.sha256) {
    throw new AppError('INTERNAL', `the queue's copy of ${key} is damaged (size or hash differs); it is sent again on the next try`);
  }
  return data;
}

export async function deleteBlob(redis: Redis, key: string): Promise<void> {
  const raw = await redis.get(`${key}:meta`);
  const chunks = raw ? (JSON.parse(raw) as BlobMeta).chunks : 0;
  await redis.del(`${key}:meta`, ...Array.from({ length: chunks }, (_, i) => `${key}:${i}`));
}
