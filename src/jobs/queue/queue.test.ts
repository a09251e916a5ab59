// The batch queue end to end: a real redis-server, `gan-studio worker` child processes, and
// `gan-studio batch --queue` through the CLI — with a worker killed mid-item, Redis restarted
// mid-batch and a bad input, then a rerun that skips what is done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { BatchReport } from '../../contract/batch.js';
import type { QueueStatus } from '../../contract/queue.js';
import { invoke } from '../../contract/api.js';
import { createApp } from '../../handlers/context.js';
import { runCli, writeSolidPngs } from '../../cli/testing/cli-harness.js';
import { openRedis } from './connection.js';
import { ITEMS_QUEUE, itemJobId } from './keys.js';
import { startTestRedis, type TestRedis } from './testing/redis-server.js';
import { startTestWorker, type TestWorker } from './testing/worker-process.js';

let dir: string;
let redis: TestRedis;
const workers: TestWorker[] = [];
const ws = () => join(dir, 'ws');
const GOOD = 12;

async function report(path: string): Promise<BatchReport> {
  return JSON.parse(await readFile(path, 'utf8')) as BatchReport;
}

/** Every name in the folder, hidden ones included. */
async function listing(out: string): Promise<string[]> {
  return (await readdir(out)).sort();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-queue-'));
  redis = await startTestRedis();
  await writeSolidPngs(join(dir, 'in'), GOOD, 24, 24, (i) => ({ r: (i * 40) % 256, g: 90, b: 255 - ((i * 40) % 256) }));
  const whole = await sharp({ create: { width: 24, height: 24, channels: 3, background: '#808080' } }).png().toBuffer();
  await writeFile(join(dir, 'in', 'truncated.png'), whole.subarray(0, whole.length >> 1));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('batch on workers through Redis', () => {
  it('a worker killed mid-item: the item is redone on the other worker, once, with no partial file', async () => {
    const a = startTestWorker(redis.url, ['--lock-ms', '2000']);
    const b = startTestWorker(redis.url, ['--lock-ms', '2000']);
    workers.push(a, b);
    await Promise.all([a.waitFor((e) => e.event === 'ready'), b.waitFor((e) => e.event === 'ready')]);

    const out = join(dir, 'out-shared');
    const batch = runCli(ws(), ['batch', '--task', 'superres', '--model', 'esrgan-slim', '--scale', '2', join(dir, 'in'), '--out', out,
      '--report', join(dir, 'shared-report'), '--queue', redis.url, '--queue-files', 'shared']);
    const started = await a.waitFor((e) => e.event === 'start');
    a.proc.kill('SIGKILL');

    const result = await batch;
    expect(result.code, result.all).toBe(1); // the truncated input fails; everything else is written
    const r = await report(join(dir, 'shared-report.json'));
    expect(r.total).toBe(GOOD + 1);
    expect(r.ok).toBe(GOOD);
    expect(r.failed).toBe(1);
    const bad = r.items.find((i) => i.status === 'failed')!;
    expect(bad.input).toContain('truncated.png');
    expect(bad.code).toBe('CORRUPT_IMAGE');
    expect(new Set(r.items.map((i) => i.input)).size).toBe(GOOD + 1);

    // the killed item was finished by the other worker
    const redone = await b.waitFor((e) => e.event === 'item' && e.seq === started.seq && e.batch === started.batch);
    expect(redone.outcome).toBe('ok');
    // exactly the outputs and the manifest: no temp or partial file of the killed attempt
    const names = await listing(out);
    expect(names).toEqual(['.gan-studio-batch.jsonl', ...Array.from({ length: GOOD }, (_, i) => `${i}.png`)].sort());
    const manifest = (await readFile(join(out, '.gan-studio-batch.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { output: string });
    expect(manifest.map((m) => m.output).sort()).toEqual(Array.from({ length: GOOD }, (_, i) => `${i}.png`).sort());
    for (let i = 0; i < GOOD; i++) expect((await sharp(join(out, `${i}.png`)).metadata()).width).toBe(48);
  });

  it('Redis restarted mid-batch: workers reconnect and the batch finishes, files through Redis', async () => {
    const c = startTestWorker(redis.url, ['--lock-ms', '2000']);
    workers.push(c);
    await c.waitFor((e) => e.event === 'ready');
    const live = workers.filter((w) => w.proc.exitCode === null && w.proc.signalCode === null);
    const seen = live.map((w) => w.events.length);

    const out = join(dir, 'out-redis');
    const batch = runCli(ws(), ['batch', '--task', 'superres', '--model', 'esrgan-slim', '--scale', '2', join(dir, 'in'), '--out', out,
      '--report', join(dir, 'redis-report'), '--queue', redis.url]);
    await Promise.race(live.map((w, i) => w.waitFor((e) => e.event === 'item' && w.events.indexOf(e) >= seen[i]!)));
    await redis.restart({ downMs: 1000 });
    const doneBefore = live.reduce((n, w, i) => n + w.events.slice(seen[i]).filter((e) => e.event === 'item').length, 0);
    expect(doneBefore).toBeLessThan(GOOD); // the restart really came mid-batch

    const result = await batch;
    expect(result.code, result.all).toBe(1);
    const r = await report(join(dir, 'redis-report.json'));
    expect(r.ok).toBe(GOOD);
    expect(r.failed).toBe(1);
    expect(new Set(r.items.map((i) => i.input)).size).toBe(GOOD + 1);
    expect(await listing(out)).toEqual(['.gan-studio-batch.jsonl', ...Array.from({ length: GOOD }, (_, i) => `${i}.png`)].sort());
  });

  it('a rerun skips what is done, and queue:status counts the live workers', async () => {
    const out = join(dir, 'out-shared');
    const result = await runCli(ws(), ['batch', '--task', 'superres', '--model', 'esrgan-slim', '--scale', '2', join(dir, 'in'), '--out', out,
      '--report', join(dir, 'rerun-report'), '--queue', redis.url, '--queue-files', 'shared']);
    expect(result.code, result.all).toBe(1);
    const r = await report(join(dir, 'rerun-report.json'));
    expect(r.skipped).toBe(GOOD);
    expect(r.ok).toBe(0);
    expect(await listing(out)).toHaveLength(GOOD + 1); // nothing new, nothing renamed

    const app = await createApp({ workspace: ws(), transport: 'cli' });
    try {
      // the killed worker drops out once its heartbeat is stale
      await expect.poll(async () => {
        const s = await invoke(app.handlers, 'queue:status', { url: redis.url });
        return s.ok ? (s.value as QueueStatus).workers : -1;
      }, { timeout: 15_000, interval: 500 }).toBe(2);
      const none = await invoke(app.handlers, 'queue:status', {});
      expect(none).toEqual({ ok: true, value: { url: null, workers: 0 } });
    } finally {
      await app.close();
    }
  });

  it('cancel while items wait for a worker: they leave the queue and the report says so', async () => {
    await Promise.all(workers.map((w) => w.stop())); // nobody to take the items
    const app = await createApp({ workspace: ws(), transport: 'cli' });
    try {
      const out = join(dir, 'out-cancel');
      const started = await invoke(app.handlers, 'batch:start', { spec: { task: 'superres', model: 'esrgan-slim', scale: 2, inputs: [join(dir, 'in')], out, queue: redis.url } });
      if (!started.ok) throw new Error(started.error.message);
      const { jobId } = started.value as { jobId: string };
      const probe = openRedis(redis.url);
      try {
        // the dispatcher has put the items in the queue
        await expect.poll(() => probe.exists(`bull:${ITEMS_QUEUE}:${itemJobId(jobId, 0)}`), { timeout: 60_000, interval: 250 }).toBe(1);
        await invoke(app.handlers, 'jobs:cancel', { id: jobId });
        const job = await app.jobs.settled(jobId);
        expect(job.state).toBe('cancelled');
        expect(await probe.exists(`bull:${ITEMS_QUEUE}:${itemJobId(jobId, 0)}`)).toBe(0);
        expect(await probe.keys(`gan-studio:batch:${jobId}:*`)).toEqual([]);
      } finally {
        probe.disconnect();
      }
      const r = await invoke(app.handlers, 'batch:report', { jobId });
      expect(r.ok && (r.value as BatchReport).items.every((i) => i.code === 'CANCELLED')).toBe(true);
    } finally {
      await app.close();
    }
  });
});
