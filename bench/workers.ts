// The batch queue (#26): a 200-image ×2 upscale (esrgan-slim, 64-px emoji) sent with
// `batch --queue` to one worker, then to two, on a real redis-server. Each configuration's
// workers start and load the model on a small warm-up batch first, so the timed batch measures
// items, not start-up. Target (issue #26): two workers take ≤ 0.6× one worker's time — on an
// idle machine; a busy one says nothing. `--quick`: 24 images. Prints one JSON line.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/testing/cli-harness.js';
import { startTestRedis } from '../src/jobs/queue/testing/redis-server.js';
import { startTestWorker, type TestWorker } from '../src/jobs/queue/testing/worker-process.js';
import { flag } from './common.js';

const quick = process.argv.includes('--quick');
const images = Number(flag('images') ?? (quick ? 24 : 200));
const repo = fileURLToPath(new URL('../..', import.meta.url));
const emoji = join(repo, 'node_modules', 'emoji-datasource-google', 'img', 'google', '64');
const root = mkdtempSync(join(tmpdir(), 'gan-bench-workers-'));
const redis = await startTestRedis();

async function copyInputs(dir: string, count: number, offset: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const names = readdirSync(emoji).filter((n) => n.endsWith('.png')).slice(offset, offset + count);
  for (const n of names) await copyFile(join(emoji, n), join(dir, n));
  return dir;
}

async function batch(name: string, inputs: string): Promise<number> {
  const started = performance.now();
  const r = await runCli(join(root, 'ws'), ['batch', '--task', 'superres', '--model', 'esrgan-slim', '--scale', '2', inputs, '--out', join(root, 'out', name), '--queue', redis.url]);
  if (r.code !== 0) throw new Error(`batch ${name} failed (${r.code}): ${r.all.slice(-2000)}`);
  return (performance.now() - started) / 1000;
}

async function timeWith(count: number): Promise<{ seconds: number; perWorker: number[] }> {
  const workers: TestWorker[] = Array.from({ length: count }, () => startTestWorker(redis.url));
  try {
    await Promise.all(workers.map((w) => w.waitFor((e) => e.event === 'ready', 180_000)));
    // every worker loads the model before the clock starts: a warm-up batch of a few items each
    await batch(`warm-${count}`, await copyInputs(join(root, `warm-${count}`), 4 * count, 1000));
    const before = workers.map((w) => w.events.filter((e) => e.event === 'item').length);
    const seconds = await batch(`timed-${count}`, await copyInputs(join(root, `in-${count}`), images, 0));
    return { seconds, perWorker: workers.map((w, i) => w.events.filter((e) => e.event === 'item').length - before[i]!) };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

try {
  const one = await timeWith(1);
  const two = await timeWith(2);
  console.log(JSON.stringify({
    images,
    one_worker_s: Number(one.seconds.toFixed(2)),
    two_workers_s: Number(two.seconds.toFixed(2)),
    two_vs_one: Number((two.seconds / one.seconds).toFixed(3)),
    target_two_vs_one: 0.6,
    items_per_worker_with_two: two.perWorker.join('/'),
    one_worker_images_per_s: Number((images / one.seconds).toFixed(1)),
    two_workers_images_per_s: Number((images / two.seconds).toFixed(1)),
  }));
} finally {
  await redis.stop();
  rmSync(root, { recursive: true, force: true });
}
