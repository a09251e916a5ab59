import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import type { JobEvent } from '../contract/events.js';
import { JobManager } from './job-manager.js';
import { acquireLock } from './run-lock.js';
import { collectEvents, waitForEvent } from './testing/events.js';

let dir: string;
let ws: Workspace;
let jobs: JobManager | null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-jobs-'));
  ws = openWorkspace(join(dir, 'ws'));
  jobs = null;
});
afterEach(async () => {
  await jobs?.close();
  ws.close();
  await rm(dir, { recursive: true, force: true });
});

function count(total: number, delayMs: number, sub = 'c') {
  return { kind: 'eval' as const, title: `count ${total}`, task: 'diagnostic:count', input: { dir: join(dir, sub), total, delayMs }, pausable: true };
}

const collect = collectEvents;

const until = (events: JobEvent[], pred: (e: JobEvent) => boolean, ms = 20_000) => waitForEvent(events, pred, ms);

describe('job manager with a forked engine', () => {
  it('runs a job with events in order, throttled progress and a final state; late subscribers get a replay', async () => {
    jobs = new JobManager(ws, { engine: 'fork' });
    const events = collect(jobs);
    const job = jobs.submit(count(100, 2));
    const final = await jobs.settled(job.id);
    expect(final.state).toBe('done');
    await until(events, (e) => e.type === 'done');
    const mine = events.filter((e) => e.jobId === job.id);
    const types = mine.map((e) => e.type).filter((t) => t !== 'progress' && t !== 'log');
    expect(types).toEqual(['queued', 'started', 'done']);
    const progress = mine.filter((e) => e.type === 'progress');
    // 100 reports over ~0.3 s throttled to ~10/s, and the last value always arrives
    expect(progress.length).toBeLessThan(30);
    expect(progress.at(-1)).toMatchObject({ progress: { done: 100, total: 100 } });
    const last = mine.findIndex((e) => e.type === 'done');
    expect(mine.findIndex((e) => e.type === 'progress')).toBeLessThan(last);

    const late: JobEvent[] = [];
    jobs.subscribe((e) => late.push(e));
    expect(late.filter((e) => e.jobId === job.id).map((e) => e.type)).toEqual(['queued', 'started', 'progress', 'done']);
  });

  it('queues heavy jobs one at a time, reorders, pauses, resumes and cancels', async () => {
    jobs = new JobManager(ws, { engine: 'fork' });
    const events = collect(jobs);
    const a = jobs.submit(count(300, 5, 'a'));
    await until(events, (e) => e.jobId === a.id && e.type === 'started');
    const b = jobs.submit(count(5, 1, 'b'));
    const c = jobs.submit(count(5, 1, 'c'));
    jobs.reorder(c.id, 0);
    expect(jobs.get(c.id).position).toBe(0);
    expect(jobs.get(b.id).position).toBe(1);
    expect(() => jobs!.reorder(a.id, 1)).toThrow(/only queued/);
    await until(events, (e) => e.jobId === a.id && e.type === 'progress');
    jobs.pause(a.id);
    expect((await jobs.settled(a.id)).state).toBe('paused');
    // the paused job freed the heavy slot: c (moved first) then b run
    await jobs.settled(c.id);
    await jobs.settled(b.id);
    const starts = events.filter((e) => e.type === 'started').map((e) => e.jobId);
    expect(starts).toEqual([a.id, c.id, b.id]);
    const saved = JSON.parse(await readFile(join(dir, 'a', 'count.json'), 'utf8')) as { done: number };
    expect(saved.done).toBeGreaterThan(0);
    jobs.resume(a.id);
    await until(events, (e) => e.jobId === a.id && e.type === 'resumed');
    jobs.cancel(a.id);
    expect((await jobs.settled(a.id)).state).toBe('cancelled');
    expect(() => jobs!.cancel(a.id)).toThrow(/already ended/);
  });

  it('marks a job interrupted when the engine is killed, stays up, and resumes from the saved cursor', async () => {
    jobs = new JobManager(ws, { engine: 'fork' });
    const events = collect(jobs);
    const job = jobs.submit(count(400, 5, 'k'));
    await until(events, (e) => e.jobId === job.id && e.type === 'progress' && e.progress.done >= 30);
    const pid = jobs.enginePid!;
    expect(pid).not.toBe(process.pid);
    jobs.killEngine('SIGKILL');
    const settled = await jobs.settled(job.id);
    expect(settled.state).toBe('interrupted');
    const before = JSON.parse(await readFile(join(dir, 'k', 'count.json'), 'utf8')) as { done: number };
    expect(before.done).toBeGreaterThanOrEqual(20);
    jobs.resume(job.id);
    const log = await until(events, (e) => e.jobId === job.id && e.type === 'log' && /counting from [1-9]/.test(e.message));
    expect(log).toBeTruthy();
    expect((await jobs.settled(job.id)).state).toBe('done');
    expect(jobs.enginePid).not.toBe(pid);
  });

  it('after a host crash, unfinished jobs show as interrupted to the next host', async () => {
    const first = new JobManager(ws, { engine: 'fork' });
    const events = collect(first);
    const job = first.submit(count(1000, 5, 'h'));
    await until(events, (e) => e.jobId === job.id && e.type === 'started');
    // simulate the host dying: forge another owner pid that is not alive
    ws.catalog.db.prepare(`UPDATE jobs SET payload = json_set(payload, '$.owner.pid', 999999) WHERE id = ?`).run(job.id);
    first.killEngine();
    await new Promise((r) => setTimeout(r, 100));
    jobs = new JobManager(ws, { engine: 'fork' });
    expect(jobs.get(job.id).state).toBe('interrupted');
    const replay: JobEvent[] = [];
    jobs.subscribe((e) => replay.push(e));
    expect(replay.filter((e) => e.jobId === job.id).at(-1)?.type).toBe('interrupted');
    await first.close();
  });

  it('refuses a folder another live process holds (RUN_LOCKED) and takes over a stale lock', async () => {
    jobs = new JobManager(ws, { engine: 'fork' });
    const held = acquireLock(join(dir, 'l'), 'test holder');
    const job = jobs.submit(count(5, 1, 'l'));
    const failed = await jobs.settled(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('RUN_LOCKED');
    held.release();
    // a lock left by a dead process is stale
    const { writeFile } = await import('node:fs/promises');
    const { hostname } = await import('node:os');
    await writeFile(join(dir, 'l', '.lock'), JSON.stringify({ pid: 999999, hostname: hostname(), since: 0, purpose: 'dead' }));
    const again = jobs.submit(count(5, 1, 'l'));
    expect((await jobs.settled(again.id)).state).toBe('done');
  });
});
