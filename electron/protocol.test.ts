// app:// against traversal strings, symlinks out of the root, and the headers it sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveAppRequest, type ProtocolRoots } from './protocol.js';

let base: string;
let roots: ProtocolRoots;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'gan-protocol-'));
  roots = { renderer: join(base, 'renderer'), workspace: join(base, 'ws') };
  await mkdir(join(roots.renderer, 'assets'), { recursive: true });
  await mkdir(join(roots.workspace, 'runs', 'r1', 'samples'), { recursive: true });
  await writeFile(join(roots.renderer, 'index.html'), '<!doctype html>');
  await writeFile(join(roots.renderer, 'assets', 'app.js'), '');
  await writeFile(join(roots.workspace, 'runs', 'r1', 'samples', 'sample 1.png'), 'png');
  for (const f of ['catalog.sqlite', 'catalog.sqlite-wal', 'catalog.sqlite-shm', 'runs/r1/.lock', 'runs/r1/train.log']) await writeFile(join(roots.workspace, f), 'internal');
  await symlink(join(roots.workspace, 'catalog.sqlite'), join(roots.workspace, 'runs', 'r1', 'samples', 'db.png'));
  await writeFile(join(base, 'secret.txt'), 'secret');
  await symlink(join(base, 'secret.txt'), join(roots.workspace, 'runs', 'r1', 'samples', 'out.png'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('app:// protocol', () => {
  it('serves the UI with a strict CSP, and index.html for routes', async () => {
    const entry = await resolveAppRequest('app://studio/index.html', roots);
    expect(entry.ok && entry.headers['Content-Security-Policy']).toMatch(/script-src 'self' 'wasm-unsafe-eval'; /);
    expect(entry.ok && entry.headers['Content-Security-Policy']).toMatch(/frame-ancestors 'none'/);
    expect(entry.ok && entry.headers['Content-Security-Policy']).not.toMatch(/'unsafe-eval'/);
    const route = await resolveAppRequest('app://studio/runs/r1?tab=metrics', roots);
    expect(route.ok && route.file).toMatch(/index\.html$/);
    expect((await resolveAppRequest('app://studio/assets/app.js', roots)).ok).toBe(true);
  });

  it('serves workspace files as sandboxed data', async () => {
    const r = await resolveAppRequest('app://workspace/runs/r1/samples/sample%201.png', roots);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.headers['Content-Type']).toBe('image/png');
      expect(r.headers['Content-Security-Policy']).toMatch(/sandbox/);
    }
  });

  it.each([
    'app://workspace/../secret.txt',
    'app://workspace/runs/../../secret.txt',
    'app://workspace/%2e%2e/secret.txt',
    'app://workspace/runs/%2E%2E/%2e%2e/secret.txt',
    'app://workspace/runs%2f..%2f..%2fsecret.txt',
    'app://workspace/..%2Fsecret.txt',
    'app://workspace/..\\secret.txt',
    'app://workspace/runs/..%5c..%5csecret.txt',
    'app://workspace/runs/r1/sample%201.png%00.txt',
    'app://studio/../ws/runs/r1/sample%201.png',
    'app://studio/%2e%2e/secret.txt',
  ])('refuses %s', async (url) => {
    expect(await resolveAppRequest(url, roots)).toMatchObject({ ok: false, status: 403 });
  });

  it.each([
    'app://workspace/catalog.sqlite', 'app://workspace/catalog.sqlite-wal', 'app://workspace/catalog.sqlite-shm',
    'app://workspace/runs/r1/.lock', 'app://workspace/runs/r1/train.log', 'app://workspace/runs/r1/samples/db.png',
  ])('refuses %s: the same allow-rule as the server', async (url) => {
    expect(await resolveAppRequest(url, roots)).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses a symlink that points out of the workspace', async () => {
    expect(await resolveAppRequest('app://workspace/runs/r1/samples/out.png', roots)).toMatchObject({ ok: false, status: 403 });
  });

  it('answers 404 for other hosts and missing files', async () => {
    expect(await resolveAppRequest('app://evil/index.html', roots)).toMatchObject({ ok: false, status: 404 });
    expect(await resolveAppRequest('app://workspace/runs/r1/samples/none.png', roots)).toMatchObject({ ok: false, status: 404 });
    expect(await resolveAppRequest('file:///etc/passwd', roots)).toMatchObject({ ok: false, status: 404 });
  });
});
