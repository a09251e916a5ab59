// Transport refusals happen before any handler runs: forged Host (DNS rebinding), foreign
// Origin (CSRF / cross-site WebSocket hijacking), missing or wrong token, oversize payloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from './server.js';
import { createApp, type App } from '../handlers/context.js';
import { closeCode, connectWs, rawRequest } from './test-http.js';
import { generateToken } from './guards.js';
import { pruneUploads } from './upload.js';

let base: string;
let workspace: string;
let rendererDir: string;
let open: RunningServer;
let locked: RunningServer;
let app: App;
const token = generateToken();
const limits = { jsonBytes: 64 * 1024, uploadBytes: 256 * 1024, wsMessageBytes: 1024 };

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'gan-server-'));
  workspace = join(base, 'ws');
  rendererDir = join(base, 'renderer');
  await mkdir(join(workspace, 'gallery'), { recursive: true });
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><div data-testid="app-root"></div>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(workspace, 'gallery', 'g.png'), 'png-bytes');
  await writeFile(join(base, 'secret.txt'), 'secret');
  await symlink(join(base, 'secret.txt'), join(workspace, 'gallery', 'link.png'));
  app = await createApp({ workspace, engine: 'inline', transport: 'http' });
  open = await startServer({ app, port: 0, rendererDir, limits });
  locked = await startServer({ app, port: 0, rendererDir, limits, token });
});
afterAll(async () => {
  await open?.close();
  await locked?.close();
  await app?.close();
  await rm(base, { recursive: true, force: true });
});

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Host and Origin', () => {
  it('refuses a Host that is not the bound address or localhost (DNS rebinding)', async () => {
    const r = await rawRequest(open.port, { path: '/', headers: { host: `attacker.example:${open.port}` } });
    expect(r.status).toBe(403);
    expect((await rawRequest(open.port, { path: '/', headers: { host: `localhost:${open.port}` } })).status).toBe(200);
    const ws = await connectWs(`ws://127.0.0.1:${open.port}/api/events`, { host: `attacker.example:${open.port}` });
    expect(ws).toEqual({ refused: 403 });
  });

  it('refuses a WebSocket upgrade from a foreign Origin (cross-site WebSocket hijacking)', async () => {
    expect(await connectWs(`ws://127.0.0.1:${open.port}/api/events`, { origin: 'https://evil.example' })).toEqual({ refused: 403 });
    const ok = await connectWs(`ws://127.0.0.1:${open.port}/api/events`, { origin: `http://127.0.0.1:${open.port}` });
    expect('ws' in ok).toBe(true);
    if ('ws' in ok) ok.ws.close();
  });

  it('refuses API writes from a foreign Origin and non-JSON bodies', async () => {
    const r = await rawRequest(open.port, { ...json({}), path: '/api/datasets:list', headers: { 'content-type': 'application/json', origin: 'https://evil.example' } });
    expect(r.status).toBe(403);
    const plain = await rawRequest(open.port, { method: 'POST', path: '/api/datasets:list', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);
  });

  it('sends the security headers', async () => {
    const r = await rawRequest(open.port, { path: '/' });
    expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
  });
});

describe('token and session', () => {
  it('refuses to listen beyond loopback without a token', async () => {
    await expect(startServer({ app, host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses API calls, files and upgrades without a session, and redirects pages to /login', async () => {
    expect((await rawRequest(locked.port, { ...json({}), path: '/api/datasets:list' })).status).toBe(401);
    expect((await rawRequest(locked.port, { path: '/files/gallery/g.png' })).status).toBe(401);
    expect((await rawRequest(locked.port, { path: `/api/datasets:list?token=${token}`, ...json({}) })).status).toBe(401);
    const page = await rawRequest(locked.port, { path: '/' });
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login');
    expect(await connectWs(`ws://127.0.0.1:${locked.port}/api/events`)).toEqual({ refused: 401 });
    expect(await connectWs(`ws://127.0.0.1:${locked.port}/api/events`, { authorization: 'Bearer wrong' })).toEqual({ refused: 401 });
    expect(await connectWs(`ws://127.0.0.1:${locked.port}/api/events`, { cookie: 'gan_studio_session=forged' })).toEqual({ refused: 401 });
  });

  it('logs in once with the token and then uses an HttpOnly SameSite=Strict cookie', async () => {
    const wrong = await rawRequest(locked.port, { ...json({ token: 'nope' }), path: '/api/login' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const form = await rawRequest(locked.port, {
      method: 'POST', path: '/api/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(token)}`,
    });
    expect(form.status).toBe(303);
    const cookie = String(form.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    const r = await rawRequest(locked.port, { ...json({}), path: '/api/datasets:list', headers: { 'content-type': 'application/json', cookie: session } });
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: [] });
    const ws = await connectWs(`ws://127.0.0.1:${locked.port}/api/events`, { cookie: session, origin: `http://127.0.0.1:${locked.port}` });
    expect('ws' in ws).toBe(true);
    if ('ws' in ws) ws.ws.close();
    const bearer = await connectWs(`ws://127.0.0.1:${locked.port}/api/events`, { authorization: `Bearer ${token}` });
    expect('ws' in bearer).toBe(true);
    if ('ws' in bearer) bearer.ws.close();
  });
});

describe('caps', () => {
  it('answers 413 to an oversize JSON body', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(limits.jsonBytes + 10) });
    const r = await rawRequest(open.port, { method: 'POST', path: '/api/datasets:list', headers: { 'content-type': 'application/json' }, body: big });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('closes a WebSocket with 1009 on an oversize frame', async () => {
    const c = await connectWs(`ws://127.0.0.1:${open.port}/api/events`);
    if (!('ws' in c)) throw new Error('refused');
    const closed = closeCode(c.ws);
    c.ws.send('x'.repeat(limits.wsMessageBytes + 1));
    expect(await closed).toBe(1009);
  });

  it('streams an upload into staging, and refuses an oversize one with 413 leaving nothing behind', async () => {
    const ok = await rawRequest(open.port, {
      method: 'POST', path: '/api/upload', headers: { 'x-file-name': encodeURIComponent('cats/a b.png'), 'x-upload-id': 'drop1' }, body: Buffer.alloc(1000, 7),
    });
    const value = JSON.parse(ok.body).value;
    expect(value.path).toBe(join(workspace, 'staging', 'uploads', 'drop1', 'cats', 'a b.png'));
    expect((await readFile(value.path)).length).toBe(1000);
    const big = await rawRequest(open.port, {
      method: 'POST', path: '/api/upload', headers: { 'x-file-name': 'big.zip', 'x-upload-id': 'drop2' }, body: Buffer.alloc(limits.uploadBytes + 1),
    });
    expect(big.status).toBe(413);
    const streamed = await rawRequest(open.port, {
      method: 'POST', path: '/api/upload', headers: { 'x-file-name': 'big.zip', 'x-upload-id': 'drop2' }, body: Buffer.alloc(limits.uploadBytes * 2), chunked: true,
    });
    expect(streamed.status).toBe(413);
    expect(await readdir(join(workspace, 'staging', 'uploads', 'drop2'))).toEqual([]);
    const evil = await rawRequest(open.port, { method: 'POST', path: '/api/upload', headers: { 'x-file-name': encodeURIComponent('../../x.png') }, body: 'x' });
    expect(JSON.parse(evil.body).error.code).toBe('PATH_NOT_ALLOWED');
  });

  it('prunes upload folders older than a day', async () => {
    await mkdir(join(workspace, 'staging', 'uploads', 'fresh'), { recursive: true });
    expect(await pruneUploads(workspace, 24 * 3600_000, Date.now() + 25 * 3600_000)).toBeGreaterThanOrEqual(1);
    expect(await readdir(join(workspace, 'staging', 'uploads'))).toEqual([]);
    expect(await pruneUploads(join(workspace, 'nowhere'))).toBe(0);
  });

  it('only lets requests name paths inside uploads or --allow folders', async () => {
    const r = await rawRequest(open.port, { ...json({ paths: ['/etc'] }), path: '/api/datasets:import' });
    expect(JSON.parse(r.body).error.code).toBe('PATH_NOT_ALLOWED');
    const up = await rawRequest(open.port, { ...json({ paths: [join(workspace, 'staging', 'uploads', 'drop1')] }), path: '/api/datasets:import' });
    const answer = JSON.parse(up.body) as { ok: boolean; error?: { code: string } };
    expect(answer.ok ? 'ok' : answer.error!.code).not.toBe('PATH_NOT_ALLOWED');
  });
});

describe('files and the UI', () => {
  it('serves workspace files with containment', async () => {
    const ok = await rawRequest(open.port, { path: '/files/gallery/g.png' });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/png');
    expect(ok.headers['content-security-policy']).toMatch(/sandbox/);
    for (const p of ['/files/../secret.txt', '/files/%2e%2e/secret.txt', '/files/gallery%2f..%2f..%2fsecret.txt', '/files/gallery/..\\..\\secret.txt', '/files/gallery/g.png%00', '/files/gallery/link.png']) {
      expect((await rawRequest(open.port, { path: p })).status, p).toBe(403);
    }
    const dl = await rawRequest(open.port, { path: `/api/download?path=${encodeURIComponent('gallery/g.png')}` });
    expect(dl.headers['content-disposition']).toMatch(/attachment/);
    expect((await rawRequest(open.port, { path: `/api/download?path=${encodeURIComponent('../secret.txt')}` })).status).toBe(403);
  });

  it('serves the renderer, with index.html for app routes', async () => {
    expect((await rawRequest(open.port, { path: '/' })).body).toContain('app-root');
    expect((await rawRequest(open.port, { path: '/runs/abc' })).body).toContain('app-root');
    const asset = await rawRequest(open.port, { path: '/assets/app.js' });
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await rawRequest(open.port, { path: '/assets/missing.js' })).status).toBe(404);
    const favicon = await rawRequest(open.port, { path: '/favicon.ico' });
    expect([favicon.status, favicon.headers['content-type']]).toEqual([200, 'image/x-icon']);
  });
});
