// Remote-mode sessions: they end on the server at logout (the cookie alone is not trusted), after
// a day unused or three days at most, and using one renews it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../handlers/context.js';
import { generateToken, SessionStore } from './guards.js';
import { startServer, type RunningServer } from './server.js';
import { rawRequest } from './test-http.js';

let base: string;
let app: App;
let server: RunningServer;
const token = generateToken();

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'gan-sessions-'));
  app = await createApp({ workspace: join(base, 'ws'), engine: 'inline', transport: 'http' });
  server = await startServer({ app, port: 0, rendererDir: join(base, 'renderer'), token, publicUrl: 'https://studio.example.com' });
});
afterAll(async () => {
  await server?.close();
  await app?.close();
  await rm(base, { recursive: true, force: true });
});

const list = (cookie: string) =>
  rawRequest(server.port, { method: 'POST', path: '/api/datasets:list', headers: { 'content-type': 'application/json', cookie }, body: '{}' });

describe('sessions', () => {
  it('logout revokes the session on the server, not just the cookie', async () => {
    const login = await rawRequest(server.port, { method: 'POST', path: '/api/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    const setCookie = String(login.headers['set-cookie']);
    // behind https (--public-url) the cookie is Secure; a day unused at most
    expect(setCookie).toMatch(/; Secure/);
    expect(Number(/Max-Age=(\d+)/.exec(setCookie)![1])).toBeLessThan(7 * 24 * 3600);
    const cookie = setCookie.split(';')[0]!;
    expect((await list(cookie)).status).toBe(200);
    const out = await rawRequest(server.port, { method: 'POST', path: '/api/logout', headers: { 'content-type': 'application/json', cookie }, body: '{}' });
    expect(JSON.parse(out.body)).toEqual({ ok: true, value: { loginRequired: true } });
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
    // the same cookie, replayed, is refused
    expect((await list(cookie)).status).toBe(401);
  });

  it('accepts the public host name in Host, as a TLS proxy forwards it', async () => {
    expect((await rawRequest(server.port, { path: '/login', headers: { host: 'studio.example.com' } })).status).toBe(200);
    expect((await rawRequest(server.port, { path: '/login', headers: { host: 'evil.example.com' } })).status).toBe(403);
  });

  it('expires a session unused for a day, any session after three days, and renews one in use', () => {
    let now = 0;
    const hour = 3600_000;
    const store = new SessionStore({}, () => now);
    const idle = store.create();
    now = 25 * hour;
    expect(store.valid(idle)).toBe(false);

    const busy = store.create();
    expect(store.touch(busy)).toBe(false); // just issued: no need to send the cookie again
    for (let i = 0; i < 9; i++) {
      now += 6 * hour;
      expect(store.valid(busy)).toBe(true);
      store.touch(busy);
    }
    expect(store.touch(busy)).toBe(false);
    now += 4 * hour;
    expect(store.touch(busy)).toBe(true); // renewed: a fresh Max-Age goes out
    now = 25 * hour + 3 * 24 * hour;
    expect(store.valid(busy)).toBe(false);
  });
});
