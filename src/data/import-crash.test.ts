// Crash consistency and permissions, with the import running in a child process (compiled JS).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scalar } from '../workspace/catalog.js';
import { openWorkspace } from '../workspace/workspace.js';
import { makeImage } from './testing/corpus.js';

const childScript = fileURLToPath(new URL('../../dist/src/data/testing/import-child.js', import.meta.url));
let tmp: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gs-crash-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function run(args: string[], options: { uid?: number; gid?: number } = {}) {
  // small commits, so the kill lands between two of them
  const child = spawn(process.execPath, [childScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COMMIT_EVERY: '40' }, ...options });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, done, output: () => out };
}

describe('import in a child process', () => {
  it('a SIGKILL mid-import leaves a catalog the next open rolls back, and a re-import works', async () => {
    const src = join(tmp, 'many');
    await mkdir(src);
    const count = 300;
    for (let i = 0; i < count; i++) await writeFile(join(src, `${i}.png`), await makeImage('png', 8, 8, { seed: i, channels: i % 2 ? 3 : 4 }));
    const wsDir = join(tmp, 'ws');
    const { child, done } = run([wsDir, src]);

    // Kill once the first batch of images has committed.
    const watcher = openWorkspace(wsDir);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && Number(scalar(watcher.catalog.db, 'SELECT count(*) FROM images')) === 0) await new Promise((r) => setTimeout(r, 10));
    const seen = Number(scalar(watcher.catalog.db, 'SELECT count(*) FROM images'));
    child.kill('SIGKILL');
    await done;
    watcher.close();
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(count);

    const ws = openWorkspace(wsDir); // recovery runs here
    expect(scalar(ws.catalog.db, 'SELECT count(*) FROM datasets')).toBe(0);
    expect(scalar(ws.catalog.db, 'SELECT count(*) FROM images')).toBe(0);
    expect(scalar(ws.catalog.db, 'SELECT count(*) FROM import_items')).toBe(0);
    expect(await readdir(ws.layout.datasets)).toEqual([]);
    ws.close();

    const again = run([wsDir, src]);
    expect(await again.done).toBe(0);
    expect(JSON.parse(again.output().trim().split('\n').at(-1)!).report.accepted).toBe(count);
  });

  it('reports an unreadable file as UNREADABLE_FILE', async () => {
    const src = join(tmp, 'perm');
    await mkdir(src);
    await writeFile(join(src, 'ok.png'), await makeImage('png', 8, 8, { seed: 1 }));
    await writeFile(join(src, 'secret.png'), await makeImage('png', 8, 8, { seed: 2 }));
    await chmod(join(src, 'secret.png'), 0o000);
    const wsDir = join(tmp, 'ws');
    // Root reads mode-000 files anyway: run the import as `nobody` then.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      await chmod(tmp, 0o777);
      await mkdir(wsDir, { mode: 0o777 });
      await chmod(wsDir, 0o777);
    }
    const r = run([wsDir, src], asRoot ? { uid: 65534, gid: 65534 } : {});
    const code = await r.done;
    expect(code, r.output()).toBe(0);
    const report = JSON.parse(r.output().trim().split('\n').at(-1)!).report;
    expect(report.accepted).toBe(1);
    expect(report.rejected).toEqual([expect.objectContaining({ file: 'perm/secret.png', code: 'UNREADABLE_FILE', message: expect.stringMatching(/perm\/secret\.png: .*permissions/) })]);
  });
});
