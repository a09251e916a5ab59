import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile, chmod, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { invoke } from '../contract/api.js';
import type { BatchReport } from '../contract/batch.js';
import type { GalleryPage } from '../contract/gallery.js';
import type { JobEvent } from '../contract/events.js';
import { createApp, type App } from './context.js';

let dir: string;
let app: App;
const input = () => join(dir, 'in');

async function png(path: string, size: number, shade: number): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await sharp({ create: { width: size, height: size, channels: 3, background: { r: shade, g: 255 - shade, b: (shade * 7) % 255 } } }).png().toFile(path);
}

async function hashTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out[relative(root, p)] = createHash('sha256').update(await readFile(p)).digest('hex');
    }
  };
  await walk(root);
  return out;
}

async function call<T>(method: string, args: unknown): Promise<T> {
  const r = await invoke(app.handlers, method, args);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-batch-'));
  app = await createApp({ workspace: join(dir, 'ws'), transport: 'cli' });
  for (let i = 0; i < 94; i++) await png(join(input(), `set${i % 3}`, `img${String(i).padStart(3, '0')}.png`), 16, (i * 37) % 256);
  // a.png and a.jpg in one folder must not collide
  await sharp({ create: { width: 16, height: 16, channels: 3, background: '#336699' } }).jpeg().toFile(join(input(), 'set0', 'img000.jpg'));
  const bad = join(input(), 'bad');
  await mkdir(bad, { recursive: true });
  await writeFile(join(bad, 'empty.png'), Buffer.alloc(0));
  const whole = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } }).png().toBuffer();
  await writeFile(join(bad, 'truncated.png'), whole.subarray(0, Math.floor(whole.length / 2)));
  await writeFile(join(bad, 'wrong-magic.png'), 'this is not an image at all, just text pretending');
  await png(join(bad, 'huge.png'), 32, 10); // over the 400-pixel cap set below
  await png(join(input(), 'zz', 'unreadable.png'), 16, 99);
});

afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('batch through the handlers and a forked engine', () => {
  it('processes 100 inputs with 5 bad ones: 95 outputs, a report naming exactly the 5, inputs untouched; a rerun skips', async () => {
    const before = await hashTree(input());
    const out = join(dir, 'out');
    const events: JobEvent[] = [];
    app.events.subscribe((e) => events.push(e));
    const spec = { task: 'superres', model: 'esrgan-slim', scale: 2, inputs: [input()], out, maxPixels: 400, report: join(dir, 'report') };
    const { jobId } = await call<{ jobId: string }>('batch:start', { spec });
    const unreadable = join(input(), 'zz', 'unreadable.png');
    if (process.getuid?.() === 0) await unlink(unreadable); // root reads anything: make it vanish between scan and processing
    else await chmod(unreadable, 0);
    const final = await app.jobs.settled(jobId);
    expect(final.state).toBe('done');
    expect(final.errors).toBe(5);
    expect(final.title).toBe('Upscale ×2 with esrgan-slim: 100 files');

    const report = await call<BatchReport>('batch:report', { jobId });
    expect(report.total).toBe(100);
    expect(report.ok).toBe(95);
    const failed = report.items.filter((i) => i.status === 'failed');
    expect(failed.map((f) => [relative(input(), f.input), f.code]).sort()).toEqual([
      ['bad/empty.png', 'EMPTY_FILE'],
      ['bad/huge.png', 'IMAGE_TOO_LARGE'],
      ['bad/truncated.png', 'CORRUPT_IMAGE'],
      ['bad/wrong-magic.png', 'UNSUPPORTED_FORMAT'],
      ['zz/unreadable.png', 'UNREADABLE_FILE'],
    ].sort());
    for (const f of failed) expect(f.message).toBeTruthy();
    // each processed item carries its own time (compare uses it); failed ones have none to give
    const ok = report.items.filter((i) => i.status === 'ok');
    expect(ok.every((i) => typeof i.ms === 'number' && i.ms > 0)).toBe(true);
    expect(failed.every((i) => i.ms === undefined)).toBe(true);
    const csv = await readFile(join(dir, 'report.csv'), 'utf8');
    expect(csv.trim().split('\n')).toHaveLength(101);

    const outputs = Object.keys(await hashTree(out)).filter((p) => !p.startsWith('.'));
    expect(outputs).toHaveLength(95);
    expect(outputs).toContain('set0/img000.png');
    expect(outputs).toContain('set0/img000.jpg.png');
    const meta = await sharp(join(out, 'set1', 'img001.png')).metadata();
    expect([meta.width, meta.height]).toEqual([32, 32]);

    // events in order, ending in a final state
    const mine = events.filter((e) => e.jobId === jobId).map((e) => e.type).filter((t) => t !== 'progress' && t !== 'log');
    expect(mine).toEqual(['queued', 'started', 'done']);
    const progress = events.filter((e): e is Extract<JobEvent, { type: 'progress' }> => e.jobId === jobId && e.type === 'progress');
    expect(progress.at(-1)!.progress).toMatchObject({ done: 100, total: 100, unit: 'file' });

    if (process.getuid?.() !== 0) await chmod(unreadable, 0o644);
    else await png(unreadable, 16, 99);
    delete before['zz/unreadable.png'];
    const after = await hashTree(input());
    delete after['zz/unreadable.png'];
    expect(after).toEqual(before);

    // a rerun into the same folder skips the 95 finished outputs and overwrites nothing
    const again = await call<{ jobId: string }>('batch:start', { spec });
    expect((await app.jobs.settled(again.jobId)).state).toBe('done');
    const second = await call<BatchReport>('batch:report', { jobId: again.jobId });
    expect(second.skipped).toBe(95);
    expect(second.ok).toBe(1); // the unreadable file is readable now
    expect(second.failed).toBe(4);
    expect(second.items.filter((i) => i.status === 'skipped').every((i) => i.ms === undefined)).toBe(true);
  }, 120_000);

  it('keeps a copy of inputs from outside the workspace, so gallery items show before/after', async () => {
    const elsewhere = join(dir, 'elsewhere');
    for (let i = 0; i < 3; i++) await png(join(elsewhere, `p${i}.png`), 12, 40 * i);
    const spec = { task: 'superres', model: 'esrgan-slim', scale: 2, inputs: [elsewhere] }; // no out: the workspace's exports
    const { jobId } = await call<{ jobId: string }>('batch:start', { spec });
    expect((await app.jobs.settled(jobId)).state).toBe('done');
    const page = await call<GalleryPage>('gallery:list', { kind: 'upscale', limit: 10 });
    expect(page.items).toHaveLength(3);
    const inputs = await hashTree(elsewhere);
    for (const item of page.items) {
      expect(item.beforePath).toMatch(/^gallery\/before\/.+\.png$/);
      const copy = createHash('sha256').update(await readFile(join(app.ws.root, item.beforePath!))).digest('hex');
      expect(Object.values(inputs)).toContain(copy);
    }
    // the user's files can go away: the gallery's copies stay
    await rm(elsewhere, { recursive: true });
    for (const item of page.items) await expect(readFile(join(app.ws.root, item.beforePath!))).resolves.toBeTruthy();
  }, 60_000);

  it('rejects malformed arguments with INVALID_ARGUMENT and changes nothing', async () => {
    const jobsBefore = app.jobs.list().length;
    for (const [method, args] of [
      ['batch:start', { spec: { task: 'superres', model: 'esrgan-slim', inputs: [input()], out: join(dir, 'x'), format: 'gif' } }],
      ['batch:start', { spec: { task: 'nope', model: 'm', inputs: [] } }],
      ['runs:start', { spec: { task: 'generate', model: 'dcgan', steps: -1 } }],
      ['jobs:cancel', { id: '../etc' }],
      ['gallery:delete', { ids: [] }],
      ['models:import', { path: 'a\0b' }],
      ['runs:list', { includeTrashed: 'yes' }],
      ['no:such', {}],
    ] as const) {
      const r = await invoke(app.handlers, method, args);
      expect(r.ok, method).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('INVALID_ARGUMENT');
    }
    expect(app.jobs.list().length).toBe(jobsBefore);
    expect(await readdir(dir)).not.toContain('x');
  });
});
