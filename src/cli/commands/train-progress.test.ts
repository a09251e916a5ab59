// `gan-studio train --resume --run ID` on a paused run that another live process owns (the app
// or `gan-studio serve`, here a second createApp in a child process): the resume goes to the
// owner through the catalog, and the CLI must follow the training to its end — not stop at once
// with the "paused" it read before the owner acted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { JobEvent } from '../../contract/events.js';
import { until } from '../../jobs/testing/events.js';

const exec = promisify(execFile);
const repo = resolve(import.meta.dirname, '../../..');
const dist = (rel: string) => JSON.stringify(pathToFileURL(join(repo, 'dist', 'src', rel)).href);

let dir: string;
let owner: ChildProcess | null = null;

/** The owner: a run row, its training job, a pause after a few steps; every event as a JSON line. */
const OWNER_SCRIPT = `
import { createApp } from ${dist('handlers/context.js')};
import { insertRun } from ${dist('workspace/runs-repo.js')};
const [workspace, data] = process.argv.slice(2);
const app = await createApp({ workspace, transport: 'cli' });
const spec = { task: 'generate', model: 'vanilla', preset: 'tiny', size: 16, channels: 3, steps: 30, batch: 8, checkpointEvery: 10, sampleEvery: 100000, seed: 1, backend: 'wasm' };
insertRun(app.ws.catalog, { id: 'owner-run', name: 'owner run', spec, totalSteps: 30 });
const job = app.jobs.submit({ kind: 'train', title: 'owner run', task: 'train', runId: 'owner-run', pausable: true,
  input: { runId: 'owner-run', runDir: app.ws.layout.runs + '/owner-run', spec, data } });
let pauseAsked = false;
app.events.subscribe((e) => {
  if (e.type === 'metrics') return;
  console.log(JSON.stringify(e));
  if (!pauseAsked && e.type === 'progress' && e.progress.done >= 4) { pauseAsked = true; app.jobs.pause(job.id); }
});
process.on('SIGTERM', async () => { await app.close(); process.exit(0); });
setInterval(() => {}, 1 << 30);
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-train-follow-'));
  await mkdir(join(dir, 'data'));
  for (let i = 0; i < 16; i++) {
    await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: (i * 40) % 256, g: (i * 90) % 256, b: 128 } } }).png().toFile(join(dir, 'data', `${i}.png`));
  }
});
afterAll(async () => {
  if (owner && owner.exitCode === null) owner.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('train --resume --run on a run another process owns', () => {
  it('hands the resume to the owner and follows the training until it is done', async () => {
    const script = join(dir, 'owner.mjs');
    await writeFile(script, OWNER_SCRIPT);
    const events: JobEvent[] = [];
    owner = spawn(process.execPath, [script, join(dir, 'ws'), join(dir, 'data')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    owner.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line) as JobEvent);
    });
    await until(() => events.find((e) => e.type === 'paused'));

    const cli = join(repo, 'bin', 'gan-studio.js');
    const { stdout } = await exec(process.execPath, [cli, 'train', '--resume', '--run', 'owner-run', '--json', '--workspace', join(dir, 'ws')], { timeout: 50_000 });
    const lines = stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string; stopped?: string; step?: number; done?: number });
    expect(lines.at(-1)).toMatchObject({ event: 'done', stopped: 'done', step: 30 });
    // it followed the owner's progress on the way, not just the end
    expect(lines.some((l) => l.event === 'progress' && (l.done ?? 0) > 4)).toBe(true);
    // the owner did the work: it resumed and finished the job itself
    expect(events.some((e) => e.type === 'resumed')).toBe(true);
    expect(events.at(-1)?.type === 'done' || events.some((e) => e.type === 'done')).toBe(true);
  }, 90_000);
});
