import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { migrate, openCatalog, scalar } from './catalog.js';
import { MIGRATIONS } from './migrations.js';
import { openWorkspace, assertFreeSpace, diskUsage, cleanWorkspace } from './workspace.js';
import { createDatasetRow, getDataset, listDatasets } from './datasets-repo.js';
import { insertRun, listRuns, updateRun, getRun } from './runs-repo.js';
import { insertGalleryItems, listGallery, setGalleryDeleted } from './gallery-repo.js';
import { insertJob, updateJob, getJob, insertBatchItems, batchItems } from './jobs-repo.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gs-catalog-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('catalog', () => {
  it('applies migrations once and is idempotent on reopen', () => {
    const a = openCatalog(root);
    expect(a.version()).toBe(MIGRATIONS.length);
    expect(scalar(a.db, 'PRAGMA journal_mode')).toBe('wal');
    expect(scalar(a.db, 'PRAGMA foreign_keys')).toBe(1);
    const b = openCatalog(root); // a second process/connection at the same time
    expect(b.version()).toBe(MIGRATIONS.length);
    expect(migrate(b.db, MIGRATIONS)).toBe(MIGRATIONS.length);
    const tables = (a.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[]);
    expect(tables).toEqual(expect.arrayContaining(['datasets', 'images', 'import_items', 'runs', 'gallery', 'jobs', 'batch_items']));
    a.close();
    b.close();
  });

  it('appends a new migration in a transaction and refuses a newer schema', () => {
    const extra = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'x', sql: 'ALTER TABLE runs ADD COLUMN extra TEXT;' }];
    const c = openCatalog(root, extra);
    expect(c.version()).toBe(extra.length);
    c.close();
    expect(() => openCatalog(root)).toThrow(/newer GAN Studio/);
    // a failing migration leaves the version where it was
    const db = new Database(join(root, 'other.sqlite'));
    expect(() => migrate(db, [MIGRATIONS[0]!, { version: 2, name: 'bad', sql: 'CREATE TABLE t(a); SELEC nonsense;' }])).toThrow();
    expect(scalar(db, 'PRAGMA user_version')).toBe(1);
    expect(scalar(db, `SELECT count(*) FROM sqlite_master WHERE name = 't'`)).toBe(0);
    db.close();
  });

  it('repos round-trip runs, gallery, jobs and batch items', () => {
    const c = openCatalog(root);
    insertRun(c, { id: 'r1', name: 'first', spec: { task: 'generate', model: 'dcgan', preset: 'tiny', seed: 0, backend: 'auto' }, totalSteps: 100 });
    updateRun(c, 'r1', { state: 'running', step: 10, lastMetrics: { 'loss/G': 1.5 }, trashed: false });
    expect(getRun(c, 'r1')).toMatchObject({ state: 'running', step: 10, lastMetrics: { 'loss/G': 1.5 }, trashed: false, task: 'generate' });
    updateRun(c, 'r1', { trashed: true });
    expect(listRuns(c)).toHaveLength(0);
    expect(listRuns(c, { includeTrashed: true })).toHaveLength(1);

    const items = Array.from({ length: 50 }, (_, i) => ({
      id: `g${i}`, kind: 'sample' as const, task: 'generate' as const, runId: i % 2 ? 'r1' : 'r2', model: 'dcgan', path: `runs/r1/s${i}.png`,
      thumb: null, beforePath: null, width: 32, height: 32, step: i, seed: null, createdAt: 1000 + i,
    }));
    insertGalleryItems(c, items);
    const page = listGallery(c, { runId: 'r1', limit: 5 });
    expect(page.total).toBe(25);
    expect(page.items.map((i) => i.id)).toEqual(['g49', 'g47', 'g45', 'g43', 'g41']);
    setGalleryDeleted(c, ['g49'], true);
    expect(listGallery(c, { runId: 'r1' }).total).toBe(24);
    const plan = c.db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM gallery WHERE deleted = 0 AND run_id = ? ORDER BY created_at DESC LIMIT 10`).all('r1') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX gallery_run/);

    insertJob(c, { id: 'j1', kind: 'batch', title: 'upscale', payload: { a: 1 } });
    updateJob(c, 'j1', { state: 'running', progress: { done: 1, total: 2, unit: 'image', eta: null } });
    expect(getJob(c, 'j1')).toMatchObject({ state: 'running', progress: { done: 1 }, payload: { a: 1 } });
    insertBatchItems(c, 'j1', 0, [{ input: 'a.png', output: 'b.png', status: 'ok' }, { input: 'c.png', output: null, status: 'failed', code: 'CORRUPT_IMAGE', message: 'bad' }]);
    expect(batchItems(c, 'j1')[1]).toMatchObject({ status: 'failed', code: 'CORRUPT_IMAGE' });
    c.close();
  });
});

describe('workspace', () => {
  it('rolls back an import whose process is gone and keeps a live one', async () => {
    const ws = openWorkspace(root);
    createDatasetRow(ws.catalog, { id: 'dead', name: 'x', source: {}, pid: 2 ** 22 + 12345, host: hostname() });
    createDatasetRow(ws.catalog, { id: 'live', name: 'y', source: {}, pid: process.pid, host: hostname() });
    await mkdir(join(ws.layout.datasets, 'dead', 'images'), { recursive: true });
    await writeFile(join(ws.layout.datasets, 'dead', 'images', 'a.png'), 'x');
    await mkdir(join(ws.layout.datasets, 'orphan'), { recursive: true });
    ws.close();
    const again = openWorkspace(root);
    expect(existsSync(join(again.layout.datasets, 'dead'))).toBe(false);
    expect(existsSync(join(again.layout.datasets, 'orphan'))).toBe(false);
    expect(again.catalog.db.prepare(`SELECT id FROM datasets`).pluck().all()).toEqual(['live']);
    expect(listDatasets(again.catalog)).toEqual([]); // still importing: invisible
    expect(getDataset(again.catalog, 'live')).toBeNull();
    again.close();
  });

  it('checks free space, measures and cleans', async () => {
    const ws = openWorkspace(root);
    expect(() => assertFreeSpace(root, 1e18, 'a test')).toThrow(/DISK_FULL|not enough free disk space for a test/);
    assertFreeSpace(root, 1000, 'a test');
    await writeFile(join(ws.layout.cache, 'x.bin'), Buffer.alloc(5000));
    await mkdir(join(ws.layout.runs, 'r1'));
    await writeFile(join(ws.layout.runs, 'r1', 'w.bin'), Buffer.alloc(3000));
    const du = await diskUsage(ws);
    expect(du.cache).toBe(5000);
    expect(du.runs).toEqual([{ id: 'r1', bytes: 3000 }]);
    expect(await cleanWorkspace(ws, ['cache', 'trash'])).toEqual({ freedBytes: 5000 });
    expect(existsSync(ws.layout.cache)).toBe(true);
    ws.close();
  });
});
