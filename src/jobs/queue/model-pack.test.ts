// Models published to the queue's store: content-addressed, sent once, size-capped, cached
// whole on a worker; blobs in bounded chunks; the queue URL's password never shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { invoke } from '../../contract/api.js';
import { createApp } from '../../handlers/context.js';
import { CHUNK_BYTES, getBlob, putBlob } from './blobs.js';
import { openRedis, redactRedisUrl, redisOptions } from './connection.js';
import { modelKey } from './keys.js';
import { cachedModel, modelPathInCache, publishModel } from './model-pack.js';
import { startTestRedis, type TestRedis } from './testing/redis-server.js';

let dir: string;
let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-model-pack-'));
  server = await startTestRedis();
  redis = openRedis(server.url);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A run folder with two checkpoints; `latest` names the older one. */
async function fakeRun(root: string): Promise<string> {
  for (const step of ['step-000010', 'step-000020']) {
    await mkdir(join(root, 'checkpoints', step), { recursive: true });
    await writeFile(join(root, 'checkpoints', step, 'state.json'), JSON.stringify({ step }));
    await writeFile(join(root, 'checkpoints', step, 'G.bin'), Buffer.alloc(3000, step.length));
  }
  await writeFile(join(root, 'checkpoints', 'latest'), 'step-000010\n');
  await writeFile(join(root, 'metrics.jsonl'), '{}\n');
  return root;
}

describe('the queue store', () => {
  it('publishes a run once under its hash, with only the checkpoint inference loads', async () => {
    const run = await fakeRun(join(dir, 'run'));
    const model = { kind: 'run' as const, id: 'r1', dir: run };
    const hash = await publishModel(redis, model);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await publishModel(redis, model)).toBe(hash); // same files, same name: not sent again
    const cached = await cachedModel(redis, hash, join(dir, 'cache'));
    expect(cached).toBe(join(dir, 'cache', 'models', hash));
    expect((await readdir(join(cached, 'checkpoints'))).sort()).toEqual(['latest', 'step-000010']);
    expect(await readFile(join(cached, 'checkpoints', 'step-000010', 'G.bin'))).toEqual(await readFile(join(run, 'checkpoints', 'step-000010', 'G.bin')));
    // a second worker item reads the cache, even with the store gone
    await redis.del(`${modelKey(hash)}:meta`);
    expect(await cachedModel(redis, hash, join(dir, 'cache'))).toBe(cached);
    await expect(cachedModel(redis, hash, join(dir, 'cache-2'))).rejects.toThrow(/not in the queue's store/);
  });

  it('sends a model file (batch --model FILE) as itself, under its own name', async () => {
    const file = join(dir, 'weights', 'RealESRGAN_x2.safetensors');
    await mkdir(join(dir, 'weights'), { recursive: true });
    await writeFile(file, Buffer.alloc(1234, 7));
    await writeFile(join(dir, 'weights', 'other.onnx'), 'not sent');
    const model = { kind: 'file' as const, id: file, dir: file };
    const cached = await cachedModel(redis, await publishModel(redis, model), join(dir, 'cache'));
    expect(await readdir(cached)).toEqual(['.complete', 'RealESRGAN_x2.safetensors']);
    expect(await readFile(modelPathInCache(model, cached))).toEqual(await readFile(file));
  });

  it('refuses a model over the cap, naming the setting that raises it', async () => {
    const big = join(dir, 'imported');
    await mkdir(big, { recursive: true });
    await writeFile(join(big, 'weights.bin'), Buffer.alloc(2 * 1024 * 1024));
    process.env['GAN_STUDIO_QUEUE_MAX_MODEL_MB'] = '1';
    try {
      await expect(publishModel(redis, { kind: 'imported', id: 'big', dir: big })).rejects.toThrow(/GAN_STUDIO_QUEUE_MAX_MODEL_MB/);
    } finally {
      delete process.env['GAN_STUDIO_QUEUE_MAX_MODEL_MB'];
    }
  });

  it('stores files in bounded chunks and checks them on read', async () => {
    const data = Buffer.alloc(CHUNK_BYTES * 2 + 5);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    await putBlob(redis, 'gan-studio:test:blob', data, 60);
    expect(await redis.strlen('gan-studio:test:blob:0')).toBe(CHUNK_BYTES);
    expect(await redis.strlen('gan-studio:test:blob:2')).toBe(5);
    expect((await getBlob(redis, 'gan-studio:test:blob'))!.equals(data)).toBe(true); // (toEqual walks 2 MB byte by byte)
    await redis.set('gan-studio:test:blob:1', 'damaged');
    await expect(getBlob(redis, 'gan-studio:test:blob')).rejects.toThrow(/damaged/);
    expect(await getBlob(redis, 'gan-studio:test:none')).toBeNull();
  });

  it('reads passwords and TLS from the URL, and never shows the password', async () => {
    expect(redactRedisUrl('redis://:s3cret@box:6380/2')).toBe('redis://:***@box:6380/2');
    expect(redactRedisUrl('rediss://studio:s3cret@box:6380')).toBe('rediss://studio:***@box:6380');
    const o = redisOptions('rediss://studio:p%40ss@box:6380/2');
    expect(o).toMatchObject({ host: 'box', port: 6380, username: 'studio', password: 'p@ss', db: 2, tls: { servername: 'box' } });
    expect(() => redisOptions('http://box')).toThrow(/redis:\/\//);

    const app = await createApp({ workspace: join(dir, 'ws'), transport: 'cli' });
    try {
      const set = await invoke(app.handlers, 'settings:set', { queueUrl: 'redis://:s3cret@127.0.0.1:6399', queueFiles: 'shared' });
      expect(set).toEqual({ ok: true, value: { language: 'auto', queueUrl: 'redis://:***@127.0.0.1:6399', queueFiles: 'shared' } });
      expect(await readFile(join(dir, 'ws', 'settings.json'), 'utf8')).toContain('s3cret');
      const status = await invoke(app.handlers, 'queue:status', {});
      expect(status.ok && status.value).toMatchObject({ url: 'redis://:***@127.0.0.1:6399', workers: 0, error: expect.stringContaining('cannot reach the queue at redis://:***@127.0.0.1:6399') });
      expect(JSON.stringify(status)).not.toContain('s3cret');
      expect(await invoke(app.handlers, 'settings:set', { queueUrl: '' })).toEqual({ ok: true, value: { language: 'auto', queueFiles: 'shared' } });
    } finally {
      await app.close();
    }
  });
});
