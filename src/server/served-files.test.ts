// /files/ and /api/download serve what the UI shows and downloads — gallery pictures, run
// samples, dataset images and thumbnails, uploaded pictures, exports — and never the catalog
// (reading catalog.sqlite in the serving process drops its own SQLite locks), lock files or run
// internals. And no route answers a request another site made (Sec-Fetch-Site: cross-site).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../handlers/context.js';
import { startServer, type RunningServer } from './server.js';
import { whyNotServed } from './served-files.js';
import { connectWs, rawRequest } from './test-http.js';

let base: string;
let workspace: string;
let app: App;
let server: RunningServer;

const SERVED = [
  'gallery/r1/generate-1/0001.png', 'gallery/compare/cmp-1/a/in.png', 'gallery/before/g-1.jpg',
  'runs/r1/samples/step-000010.png', 'datasets/d1/images/ab12.webp', 'datasets/d1/thumbs/ab12.webp', 'datasets/d1/mosaic.png',
  'staging/uploads/drop1/cats/a.png', 'exports/model-r1/model.json', 'exports/job-1.zip',
];
const REFUSED = [
  'catalog.sqlite', 'catalog.sqlite-wal', 'catalog.sqlite-shm', 'runs/r1/.lock', 'runs/r1/train.log', 'runs/r1/metrics.jsonl',
  'runs/r1/checkpoints/step-000010/weights.bin', 'runs/r1/checkpoints/latest', 'jobs/batch-1/plan.json', 'models/m1/model.json',
  'logs/engine.log', 'gallery/compare/cmp-1/record.json', 'exports/.hidden.png', 'exports/a.png.partial-12-34', 'datasets/d1/images/x.txt',
];

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'gan-served-'));
  workspace = join(base, 'ws');
  app = await createApp({ workspace, engine: 'inline', transport: 'http' });
  for (const rel of [...SERVED, ...REFUSED.filter((r) => !r.startsWith('catalog'))]) {
    await mkdir(join(workspace, rel, '..'), { recursive: true });
    await writeFile(join(workspace, rel), 'bytes');
  }
  // a link inside the served areas that leads to the catalog is judged by where it leads
  await symlink(join(workspace, 'catalog.sqlite'), join(workspace, 'gallery', 'catalog.png'));
  server = await startServer({ app, port: 0, rendererDir: join(base, 'renderer') });
});

afterAll(async () => {
  await server?.close();
  await app?.close();
  await rm(base, { recursive: true, force: true });
});

describe('the served-files rule', () => {
  it('serves pictures and exports only', () => {
    for (const rel of SERVED) expect(whyNotServed(rel.split('/')), rel).toBeNull();
    for (const rel of REFUSED) expect(whyNotServed(rel.split('/')), rel).not.toBeNull();
  });

  it('never serves the catalog, locks or run internals over /files or /api/download', async () => {
    for (const rel of [...REFUSED, 'gallery/catalog.png']) {
      const files = await rawRequest(server.port, { path: `/files/${rel}` });
      expect(files.status, rel).toBe(403);
      expect(files.body).not.toContain(workspace);
      expect((await rawRequest(server.port, { path: `/api/download?path=${encodeURIComponent(rel)}` })).status, rel).toBe(403);
    }
    for (const rel of SERVED) expect((await rawRequest(server.port, { path: `/files/${rel}` })).status, rel).toBe(200);
    // the catalog still works for the server itself
    const list = await rawRequest(server.port, { method: 'POST', path: '/api/datasets:list', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(JSON.parse(list.body)).toEqual({ ok: true, value: [] });
  });
});

describe('Sec-Fetch-Site', () => {
  const img = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' };

  it('refuses cross-site requests on every route', async () => {
    for (const path of ['/', '/login', '/files/gallery/r1/generate-1/0001.png', `/api/download?path=${encodeURIComponent('exports/job-1.zip')}`, '/runs/x']) {
      expect((await rawRequest(server.port, { path, headers: img })).status, path).toBe(403);
      expect((await rawRequest(server.port, { path, headers: { ...img, 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } })).status, path).toBe(403);
    }
    for (const path of ['/api/login', '/api/datasets:list', '/api/upload']) {
      const r = await rawRequest(server.port, { method: 'POST', path, headers: { ...img, 'content-type': 'application/json' }, body: '{}' });
      expect(r.status, path).toBe(403);
    }
    expect(await connectWs(`ws://127.0.0.1:${server.port}/api/events`, { 'sec-fetch-site': 'cross-site' })).toEqual({ refused: 403 });
  });

  it('lets same-site pages only navigate, and answers the UI itself', async () => {
    const file = '/files/gallery/r1/generate-1/0001.png';
    expect((await rawRequest(server.port, { path: file, headers: { ...img, 'sec-fetch-site': 'same-site' } })).status).toBe(403);
    expect((await rawRequest(server.port, { path: '/login', headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' } })).status).toBe(200);
    expect((await rawRequest(server.port, { path: file, headers: { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'no-cors' } })).status).toBe(200);
    expect((await rawRequest(server.port, { path: '/login', headers: { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' } })).status).toBe(200);
  });
});
