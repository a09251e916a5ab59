import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { JobEvent } from '../contract/events.js';
import { listCheckpoints } from '../training/checkpoint.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import { JobManager } from './job-manager.js';
import { LOCK_FILE } from './run-lock.js';
import { waitForEvent } from './testing/events.js';

let dir: string;
let ws: Workspace;
let jobs: JobManager | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-train-crash-'));
  ws = openWorkspace(join(dir, 'ws'));
  await mkdir(join(dir, 'data'));
  for (let i = 0; i < 24; i++) {
    await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: (i * 40) % 256, g: (i * 90) % 256, b: 128 } } }).png().toFile(join(dir, 'data', `${i}.png`));
  }
});
afterEach(async () => {
  await jobs?.close();
  ws.close();
  await rm(dir, { recursive: true, force: true });
});

const until = (events: JobEvent[], pred: (e: JobEvent) => boolean, ms = 45_000) => waitForEvent(events, pred, ms);

describe('training in the engine process', () => {
  it('survives a SIGKILL of the engine mid-training and resumes from the latest checkpoint', async () => {
    jobs = new JobManager(ws, { engine: 'fork' });
    const events: JobEvent[] = [];
    jobs.subscribe((e) => events.push(e));
    const runDir = join(ws.layout.runs, 'crash-run');
    const spec = { task: 'generate', model: 'vanilla', preset: 'tiny', size: 16, channels: 3, steps: 60, batch: 8, checkpointEvery: 10, sampleEvery: 1000, seed: 1, backend: 'wasm' };
    const job = jobs.submit({ kind: 'train', title: 'train crash-run', task: 'train', runId: 'crash-run', pausable: true, input: { runId: 'crash-run', runDir, spec, data: join(dir, 'data') } });
    await until(events, (e) => e.jobId === job.id && e.type === 'progress' && e.progress.unit === 'step' && e.progress.done >= 25);
    expect(existsSync(join(runDir, LOCK_FILE))).toBe(true);
    jobs.killEngine('SIGKILL');
    const killed = await jobs.settled(job.id);
    expect(killed.state).toBe('interrupted');
    const checkpoints = await listCheckpoints(runDir);
    const latest = checkpoints.find((c) => c.latest);
    expect(latest?.step).toBeGreaterThanOrEqual(10);

    const mark = events.length;
    jobs.resume(job.id);
    const first = await until(events, (e) => events.indexOf(e) >= mark && e.jobId === job.id && e.type === 'progress' && e.progress.unit === 'step');
    // it continued from the checkpoint, not from step 0
    expect((first as Extract<JobEvent, { type: 'progress' }>).progress.done).toBeGreaterThan(latest!.step);
    const done = await jobs.settled(job.id);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({ step: 60 });
    expect(existsSync(join(runDir, LOCK_FILE))).toBe(false);
    const after = events.slice(mark).filter((e) => e.jobId === job.id).map((e) => e.type).filter((t) => !['progress', 'log', 'metrics', 'sample'].includes(t));
    expect(after).toEqual(['queued', 'resumed', 'done']);
  }, 120_000);
});
