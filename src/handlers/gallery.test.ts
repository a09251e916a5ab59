// gallery:list through the contract (schema + handler): keyset paging with the cursor each page
// hands out, next to offset paging, and a refused cursor as a typed error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoke } from '../contract/api.js';
import type { GalleryPage } from '../contract/gallery.js';
import { insertGalleryItems } from '../workspace/gallery-repo.js';
import { createApp, type App } from './context.js';

let root: string;
let app: App;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gs-gallery-handler-'));
  app = await createApp({ workspace: join(root, 'ws'), transport: 'cli' });
  // 30 items on 3 timestamps: pages of 7 split every run of equal created_at
  insertGalleryItems(app.ws.catalog, Array.from({ length: 30 }, (_, i) => ({
    id: `g${i}`, kind: 'generation' as const, task: 'generate' as const, runId: null, model: 'dcgan', path: `gallery/${i}.png`,
    thumb: null, beforePath: null, width: 8, height: 8, createdAt: 5000 + Math.floor(i / 10), step: null, seed: i,
  })));
});
afterEach(async () => {
  await app.close();
  await rm(root, { recursive: true, force: true });
});

async function list(input: Record<string, unknown>): Promise<GalleryPage> {
  const r = await invoke(app.handlers, 'gallery:list', input);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as GalleryPage;
}

describe('gallery:list', () => {
  it('pages by cursor through the contract: same items as offset paging, none twice', async () => {
    const byOffset = (await list({ limit: 100 })).items.map((i) => i.id);
    const seen: string[] = [];
    let page = await list({ limit: 7 });
    seen.push(...page.items.map((i) => i.id));
    while (page.nextCursor) {
      page = await list({ limit: 7, cursor: page.nextCursor });
      expect(page.total).toBe(30);
      seen.push(...page.items.map((i) => i.id));
    }
    expect(seen).toEqual(byOffset);
    expect((await list({ limit: 7, offset: 28 })).nextCursor).toBeNull();
  });

  it('answers INVALID_ARGUMENT for a cursor it never made', async () => {
    const r = await invoke(app.handlers, 'gallery:list', { cursor: 'Z2FyYmFnZQ' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const bad = await invoke(app.handlers, 'gallery:list', { cursor: '../etc' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });
});
