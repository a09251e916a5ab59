// Online guessing and slow bodies against a real server: wrong logins and wrong Bearer tokens
// are throttled per client and globally (and logged), a signed-in session is not; a body that
// trickles or never comes gets its connection cut, on every route, while slow *handlers* are
// left alone. Short limits are passed in so this runs in seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../handlers/context.js';
import type { Handlers } from '../contract/api.js';
import { generateToken } from './guards.js';
import { startServer, type RunningServer } from './server.js';
import { LoginThrottle } from './throttle.js';
import { connectWs, rawRequest } from './test-http.js';

let base: string;
let app: App;
const token = generateToken();
const servers: RunningServer[] = [];
const logged: string[] = [];

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'gan-abuse-'));
  app = await createApp({ workspace: join(base, 'ws'), engine: 'inline', transport: 'http' });
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await app?.close();
  await rm(base, { recursive: true, force: true });
});

async function serve(extra: Partial<Parameters<typeof startServer>[0]> = {}): Promise<RunningServer> {
  const s = await startServer({ app, port: 0, rendererDir: join(base, 'renderer'), token, log: (l) => logged.push(l), ...extra });
  servers.push(s);
  return s;
}

const login = (port: number, given: string) =>
  rawRequest(port, { method: 'POST', path: '/api/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: given }) });
const list = (port: number, headers: Record<string, string>) =>
  rawRequest(port, { method: 'POST', path: '/api/datasets:list', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

describe('login throttling', () => {
  it('backs off a client after a few wrong tokens, and logs it', async () => {
    const s = await serve({ throttle: { freeFailures: 3, baseDelayMs: 60_000, globalFailures: 1000 } });
    for (let i = 0; i < 3; i++) expect((await login(s.port, 'wrong')).status).toBe(401);
    const blocked = await login(s.port, 'wrong');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // even the right token waits now: a guesser learns nothing from trying
    expect((await login(s.port, token)).status).toBe(429);
    expect(logged.some((l) => /too many wrong tokens from/.test(l))).toBe(true);
    expect(logged.some((l) => /wrong access token on \/api\/login/.test(l))).toBe(true);
  });

  it('throttles wrong Bearer tokens too, but never a signed-in session', async () => {
    const s = await serve({ throttle: { freeFailures: 2, baseDelayMs: 60_000, globalFailures: 1000 } });
    const ok = await login(s.port, token);
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    for (let i = 0; i < 2; i++) expect((await list(s.port, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await list(s.port, { authorization: 'Bearer nope' })).status).toBe(429);
    expect((await list(s.port, { authorization: `Bearer ${token}` })).status).toBe(429);
    expect(await connectWs(`ws://127.0.0.1:${s.port}/api/events`, { authorization: `Bearer ${token}` })).toEqual({ refused: 429 });
    expect(JSON.parse((await list(s.port, { cookie })).body)).toEqual({ ok: true, value: [] });
    expect(logged.some((l) => /wrong Bearer token/.test(l))).toBe(true);
  });

  it('caps wrong tokens from all clients together', () => {
    let now = 0;
    const t = new LoginThrottle({ freeFailures: 100, globalFailures: 5, globalWindowMs: 10_000 }, () => now);
    for (let i = 0; i < 5; i++) t.failure(`10.0.0.${i}`);
    expect(t.check('10.0.0.99')).toMatchObject({ ok: false, reason: 'global' });
    now = 10_001;
    expect(t.check('10.0.0.99')).toEqual({ ok: true });
  });

  it('doubles the wait for every further mistake, and forgets a client that got it right', () => {
    const now = 0;
    const t = new LoginThrottle({ freeFailures: 1, baseDelayMs: 1000, maxDelayMs: 5000, globalFailures: 1000 }, () => now);
    expect(t.check('a')).toEqual({ ok: true });
    t.failure('a');
    expect(t.check('a')).toMatchObject({ ok: false, retryAfterMs: 1000 });
    t.failure('a');
    expect(t.check('a')).toMatchObject({ ok: false, retryAfterMs: 2000 });
    for (let i = 0; i < 10; i++) t.failure('a');
    expect(t.check('a')).toMatchObject({ ok: false, retryAfterMs: 5000 });
    t.success('a');
    expect(t.check('a')).toEqual({ ok: true });
  });
});

/** Sends `head`, then `drip` one byte every `everyMs`; resolves when the server closes the socket. */
function slowClient(port: number, head: string, everyMs: number | null, giveUpMs: number): Promise<{ closed: boolean; ms: number; answer: string }> {
  return new Promise((resolve) => {
    const start = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let drip: NodeJS.Timeout | undefined;
    const done = (closed: boolean) => {
      clearInterval(drip);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closed, ms: Date.now() - start, answer });
    };
    const giveUp = setTimeout(() => done(false), giveUpMs);
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('close', () => done(true));
    socket.on('error', () => {});
    socket.write(head);
    if (everyMs !== null) drip = setInterval(() => socket.write('x'), everyMs);
  });
}

describe('slow bodies', () => {
  const timeouts = { idleMs: 400, bodyMs: 1200, uploadMinBytesPerSec: 1024, uploadGraceMs: 800 };

  it('cuts a login that trickles one byte at a time', async () => {
    const s = await serve({ timeouts });
    const r = await slowClient(s.port, `POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`, 150, 6000);
    expect(r.closed).toBe(true);
    expect(r.ms).toBeLessThan(4000);
    expect(r.answer).toMatch(/^HTTP\/1.1 408/);
  });

  it('cuts an upload that declares 2 GB and sends nothing, and one that trickles', async () => {
    const s = await serve({ timeouts, token: undefined });
    const head = `POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nX-File-Name: big.zip\r\nContent-Length: ${2 * 1024 ** 3}\r\n\r\n`;
    const silent = await slowClient(s.port, head, null, 6000);
    expect(silent.closed).toBe(true);
    expect(silent.ms).toBeLessThan(4000);
    const trickle = await slowClient(s.port, head.replace('big.zip', 'slow.zip'), 100, 6000);
    expect(trickle.closed).toBe(true);
    expect(trickle.ms).toBeLessThan(4000);
  });

  it('cuts an unread body on a route that ignores it, but never a slow handler', async () => {
    const handlers: Handlers = { ...app.handlers, 'datasets:list': async () => (await new Promise((r) => setTimeout(r, 1500)), []) };
    const s = await serve({ timeouts, token: undefined, app: { ...app, handlers } });
    const ignored = await slowClient(s.port, `GET /login HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Length: 1000\r\n\r\n`, null, 6000);
    expect(ignored.closed).toBe(true);
    const slow = await list(s.port, {});
    expect(JSON.parse(slow.body)).toEqual({ ok: true, value: [] });
  });
});
