// Cross-process job control, with real processes: an owner (a second createApp in a child
// process, like the app or a server) trains a tiny run; the real CLI pauses, resumes and cancels
// it through the catalog. Also: an owner that never answers, and one that dies while asked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { JobEvent } from '../contract/events.js';
import { listCheckpoints } from '../training/checkpoint.js';
import { getJob, getJobRequest, insertJob } from '../workspace/jobs-repo.js';
import { insertRun } from '../workspace/runs-repo.js';
import { TrainSpec } from '../contract/runs.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import { JobManager } from './job-manager.js';
import { until } from './testing/events.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const cli = join(repo, 'bin', 'gan-studio.js');

let dir: string;
let ws: Workspace;
let jobs: JobManager | null = null;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-remote-'));
  ws = openWorkspace(join(dir, 'ws'));
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await jobs?.close();
  jobs = null;
  ws.close();
  await rm(dir, { recursive: true, force: true });
});

/** The owner: createApp on the workspace, one training job, every event as a JSON line. */
const OWNER_SCRIPT = (contextUrl: string) => `
import { createApp } from ${JSON.stringify(contextUrl)};
const [workspace, data, runDir] = process.argv.slice(2);
const app = await createApp({ workspace, transport: 'cli' });
app.events.subscribe((e) => { if (e.type !== 'metrics') console.log(JSON.stringify(e)); });
const spec = { task: 'generate', model: 'vanilla', preset: 'tiny', size: 16, channels: 3, steps: 100000, batch: 8, checkpointEvery: 10, sampleEvery: 100000, seed: 1, backend: 'wasm' };
const job = app.jobs.submit({ kind: 'train', title: 'owner run', task: 'train', runId: 'owner-run', pausable: true, input: { runId: 'owner-run', runDir, spec, data } });
console.log(JSON.stringify({ type: 'submitted', jobId: job.id }));
process.on('SIGTERM', async () => { await app.close(); process.exit(0); });
setInterval(() => {}, 1 << 30);
`;

async function startOwner(runDir: string): Promise<{ events: JobEvent[]; child: ChildProcess }> {
  const events: JobEvent[] = [];
  const script = join(dir, 'owner.mjs');
  await writeFile(script, OWNER_SCRIPT(pathToFileURL(join(repo, 'dist', 'src', 'handlers', 'context.js')).href));
  const child = spawn(process.execPath, [script, join(dir, 'ws'), join(dir, 'data'), runDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line) as JobEvent);
  });
  return { events, child };
}

async function gan(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args, '--workspace', join(dir, 'ws')], { timeout: 40_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

describe('job control from another process', () => {
  /** 16 small PNGs for the owner's tiny run to train on. */
  async function trainingData(): Promise<void> {
    await mkdir(join(dir, 'data'));
    for (let i = 0; i < 16; i++) {
      await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: (i * 40) % 256, g: (i * 90) % 256, b: 128 } } }).png().toFile(join(dir, 'data', `${i}.png`));
    }
  }

  it('pauses (with a checkpoint), resumes and cancels a training job another process owns, from the CLI', async () => {
    await trainingData();
    const runDir = join(dir, 'ws', 'runs', 'owner-run');
    const { events, child } = await startOwner(runDir);
    const jobId = (await until(() => events.find((e) => (e.type as string) === 'submitted'))).jobId;
    await until(() => events.find((e) => e.type === 'progress' && e.progress.unit === 'step' && e.progress.done >= 3));

    const paused = await gan('jobs', 'pause', jobId, '--json');
    expect(paused.code, paused.err).toBe(0);
    const answer = JSON.parse(paused.out.trim().split('\n').at(-1)!) as { requestId: number; owner: { pid: number }; job: { state: string } };
    expect(answer.owner.pid).toBe(child.pid);
    expect(answer.job.state).toBe('paused');
    expect(events.some((e) => e.jobId === jobId && e.type === 'paused')).toBe(true);
    const checkpoint = (await listCheckpoints(runDir)).find((c) => c.latest);
    expect(checkpoint?.step).toBeGreaterThan(0);
    expect(getJobRequest(ws.catalog, answer.requestId)?.outcome).toEqual({ ok: true });

    const mark = events.length;
    const resumed = await gan('jobs', 'resume', jobId);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(new RegExp(`resume: ${jobId} is (queued|running)`));
    const next = await until(() => events.slice(mark).find((e) => e.jobId === jobId && e.type === 'progress' && e.progress.unit === 'step'));
    // the owner requeued it and it went on from its checkpoint, not from step 0
    expect((next as Extract<JobEvent, { type: 'progress' }>).progress.done).toBeGreaterThanOrEqual(checkpoint!.step);
    expect(events.slice(mark).some((e) => e.jobId === jobId && e.type === 'resumed')).toBe(true);

    const cancelled = await gan('jobs', 'cancel', jobId);
    expect(cancelled.code, cancelled.err).toBe(0);
    expect(cancelled.out).toMatch(/cancel: .* is cancelled/);
    expect(events.some((e) => e.jobId === jobId && e.type === 'cancelled')).toBe(true);
    expect(getJob(ws.catalog, jobId)?.state).toBe('cancelled');
  }, 90_000);

  it('`runs pause` and `runs stop` on a run another process trains wait until that owner has acted', async () => {
    await trainingData();
    const { events, child } = await startOwner(join(dir, 'ws', 'runs', 'owner-run'));
    const jobId = (await until(() => events.find((e) => (e.type as string) === 'submitted'))).jobId;
    // the run row the app's runs:start would have written for this job
    insertRun(ws.catalog, { id: 'owner-run', name: 'owner run', spec: TrainSpec.parse({ task: 'generate', model: 'vanilla', preset: 'tiny' }), totalSteps: 100000, state: 'running', jobId });
    await until(() => events.find((e) => e.type === 'progress' && e.progress.unit === 'step' && e.progress.done >= 2));

    const paused = await gan('runs', 'pause', 'owner-run', '--json');
    expect(paused.code, paused.err).toBe(0);
    const answer = JSON.parse(paused.out.trim().split('\n').at(-1)!) as { jobId: string; owner: { pid: number }; job: { state: string } };
    expect(answer).toMatchObject({ jobId, owner: { pid: child.pid }, job: { state: 'paused' } });
    expect(events.some((e) => e.jobId === jobId && e.type === 'paused')).toBe(true);

    const stopped = await gan('runs', 'stop', 'owner-run');
    expect(stopped.code, stopped.err).toBe(0);
    expect(stopped.out).toMatch(new RegExp(`stop: ${jobId} is cancelled`));
    expect(getJob(ws.catalog, jobId)?.state).toBe('cancelled');
  }, 90_000);

  /** A job row owned by a live process that is not a gan-studio (so it never answers). */
  function foreignJob(pid: number): string {
    const id = `eval-foreign-${pid}`;
    insertJob(ws.catalog, { id, kind: 'eval', title: 'foreign', state: 'running', payload: { task: 'diagnostic:count', input: {}, pausable: true, owner: { pid, hostname: hostname() } } });
    return id;
  }

  function sleeper(): ChildProcess {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(child);
    return child;
  }

  it('answers a clear error naming the owner when the owner does not act, and withdraws the request', async () => {
    const owner = sleeper();
    const id = foreignJob(owner.pid!);
    jobs = new JobManager(ws, { engine: 'inline' });
    const answer = jobs.pause(id);
    expect(answer.requestId).toBeGreaterThan(0);
    await expect(jobs.awaitRequest(answer, { timeoutMs: 600 })).rejects.toThrow(new RegExp(`pid ${owner.pid} .*did not take the pause request`));
    expect(getJobRequest(ws.catalog, answer.requestId!)?.handledAt).not.toBeNull();
    expect(getJob(ws.catalog, id)?.state).toBe('running');
  });

  it('does not hang when the owner dies while asked: the job is interrupted, then handled here', async () => {
    const owner = sleeper();
    const id = foreignJob(owner.pid!);
    jobs = new JobManager(ws, { engine: 'inline' });
    const answer = jobs.cancel(id);
    expect(answer.owner?.pid).toBe(owner.pid);
    const waiting = jobs.awaitRequest(answer, { timeoutMs: 20_000 });
    owner.kill('SIGKILL');
    const { job, handledHere } = await waiting;
    expect(handledHere).toBe(true);
    expect(job.state).toBe('cancelled');
    // a dead owner from the start: no request at all, handled here at once
    const gone = foreignJob(999_999);
    expect(jobs.cancel(gone).requestId).toBeUndefined();
    expect(jobs.get(gone).state).toBe('cancelled');
  });

  it('drops what was asked of a dead owner when this process takes the job over', async () => {
    const owner = sleeper();
    const id = `eval-paused-${owner.pid}`;
    insertJob(ws.catalog, { id, kind: 'eval', title: 'paused', state: 'paused', payload: { task: 'diagnostic:count', input: { dir: join(dir, 'c'), total: 1, delayMs: 0 }, pausable: true, owner: { pid: owner.pid!, hostname: hostname() } } });
    jobs = new JobManager(ws, { engine: 'inline' });
    const stale = jobs.cancel(id); // the requester gives up without waiting; the owner then dies
    owner.kill('SIGKILL');
    await until(() => owner.exitCode !== null || owner.signalCode !== null);
    expect(jobs.resume(id).requestId).toBeUndefined();
    expect(getJobRequest(ws.catalog, stale.requestId!)?.outcome).toMatchObject({ code: 'JOB_STATE', message: expect.stringMatching(/superseded/) });
    expect((await jobs.settled(id)).state).toBe('done');
  });
});
