// ONE contract suite, run against both transports: the in-process call every transport wraps
// (`invoke(app.handlers, ...)`, which is what Electron IPC runs) and HTTP + WebSocket. Results
// and `{code, message}` errors must be identical.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { invoke, type Result } from '../contract/api.js';
import type { JobEvent } from '../contract/events.js';
import { startServer, type RunningServer } from './server.js';
import { createApp, type App } from '../handlers/context.js';
import { uploadsRoot } from './upload.js';

type Call = (name: string, input: unknown) => Promise<Result<unknown>>;
interface Transport {
  call: Call;
  /** resolves with every event of `jobId` up to and including its final one */
  jobEvents(jobId: string): Promise<JobEvent[]>;
}

let root: string;
let app: App;
let server: RunningServer;
const sockets: WebSocket[] = [];

const FINAL = new Set(['done', 'failed', 'cancelled', 'interrupted']);

function collect(subscribe: (cb: (e: JobEvent) => void) => () => void, jobId: string): Promise<JobEvent[]> {
  return new Promise((resolve) => {
    const seen: JobEvent[] = [];
    const off = subscribe((e) => {
      if (e.jobId !== jobId) return;
      seen.push(e);
      if (FINAL.has(e.type)) {
        queueMicrotask(() => off());
        resolve(seen);
      }
    });
  });
}

const inProcess: Transport = {
  call: (name, input) => invoke(app.handlers, name, input),
  jobEvents: (jobId) => collect((cb) => app.events.subscribe(cb), jobId),
};

const overHttp: Transport = {
  async call(name, input) {
    const res = await fetch(`${server.url}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    expect(res.status).toBe(200);
    return (await res.json()) as Result<unknown>;
  },
  jobEvents: (jobId) =>
    collect((cb) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/events`);
      sockets.push(ws);
      ws.on('message', (data) => cb(JSON.parse(String(data)) as JobEvent));
      return () => ws.close();
    }, jobId),
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-contract-'));
  // a small folder "uploaded" earlier: importing it is a real job with real events
  const drop = join(uploadsRoot(root), 'drop-1');
  await mkdir(drop, { recursive: true });
  for (let i = 0; i < 3; i++) {
    await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 40 * i, g: 90, b: 200 - 50 * i } } }).png().toFile(join(drop, `img-${i}.png`));
  }
  app = await createApp({ workspace: root, engine: 'inline', transport: 'http', allow: [uploadsRoot(root)] });
  server = await startServer({ app, port: 0 });
});
afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await server?.close();
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

describe.each([
  ['in-process', () => inProcess],
  ['http+ws', () => overHttp],
])('contract over %s', (_name, transport) => {
  it('system:info works', async () => {
    const r = await transport().call('system:info', {});
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toMatchObject({ node: process.versions.node, workspace: root });
  });

  it('datasets:list starts empty', async () => {
    expect(await transport().call('datasets:list', {})).toEqual({ ok: true, value: [] });
  });

  it('an unknown id is NOT_FOUND', async () => {
    const r = await transport().call('datasets:get', { id: 'no-such-dataset' });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it.each([
    ['datasets:get', { id: '../etc' }],
    ['datasets:get', {}],
    ['datasets:list', { unexpected: 1 }],
    ['datasets:delete', { id: 42 }],
    ['datasets:rename', { id: 'x', name: '' }],
    ['no:such-method', {}],
  ])('%s %j is INVALID_ARGUMENT and changes nothing', async (name, input) => {
    const r = await transport().call(name, input);
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await transport().call('datasets:list', {})).toEqual({ ok: true, value: [] });
  });
});

// After the suites above: importing creates datasets, so "starts empty" would no longer hold.
describe.each([
  ['in-process', () => inProcess],
  ['http+ws', () => overHttp],
])('job events over %s', (_name, transport) => {

  it("a job's events arrive on the event channel", async () => {
    const started = await transport().call('datasets:import', { paths: [join(uploadsRoot(root), 'drop-1')], name: `drop ${_name}` });
    expect(started.ok).toBe(true);
    const { jobId } = (started as { value: { jobId: string } }).value;
    const events = await transport().jobEvents(jobId);
    expect(events[0]!.type).toBe('queued');
    expect(events.map((e) => e.type)).toContain('started');
    expect(events.at(-1)).toMatchObject({ type: 'done' });
  });
});

describe('both transports agree', () => {
  it('returns identical results and identical {code, message} errors', async () => {
    const cases: Array<[string, unknown]> = [
      ['datasets:list', {}],
      ['datasets:get', { id: 'missing' }],
      ['datasets:get', { id: '../etc' }],
      ['datasets:list', { unexpected: 1 }],
      ['runs:get', { id: 'nope' }],
      ['jobs:get', { id: 'nope' }],
      ['datasets:import', { paths: ['/etc'] }],
      ['system:info', {}],
      ['nope', {}],
    ];
    // free memory is a live reading: it differs between any two calls, whatever the transport
    const steady = (r: unknown) => JSON.parse(JSON.stringify(r), (k, v) => (k === 'freeMemoryBytes' ? 0 : v)) as unknown;
    for (const [name, input] of cases) {
      expect(steady(await overHttp.call(name, input)), name).toEqual(steady(await inProcess.call(name, input)));
    }
  });
});
