import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCatalog, type Catalog } from './catalog.js';
import { decodeGalleryCursor, encodeGalleryCursor, insertGalleryItems, listGallery, setGalleryDeleted, type GalleryQuery, type NewGalleryItem } from './gallery-repo.js';
import { GalleryFilter } from '../contract/gallery.js';

let root: string;
let cat: Catalog;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gs-gallery-'));
  cat = openCatalog(root);
});
afterEach(async () => {
  cat.close();
  await rm(root, { recursive: true, force: true });
});

/** 103 items over 9 timestamps, so most pages start or end inside a run of equal created_at. */
function seed(): NewGalleryItem[] {
  const items: NewGalleryItem[] = [];
  for (let i = 0; i < 103; i++) {
    items.push({
      id: `item-${String(i).padStart(3, '0')}`, kind: i % 2 ? 'sample' : 'generation', task: 'generate', runId: i % 3 ? 'r1' : 'r2',
      model: 'dcgan', path: `gallery/${i}.png`, thumb: null, beforePath: null, width: 32, height: 32,
      createdAt: 1_000_000 + Math.floor(i / 12) * 1000, step: i, seed: i,
    });
  }
  insertGalleryItems(cat, items);
  return items;
}

/** Follows nextCursor to the end; returns every id seen in page order. */
function walk(q: GalleryQuery): { ids: string[]; pages: number; totals: Set<number> } {
  const ids: string[] = [];
  const totals = new Set<number>();
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = listGallery(cat, { ...q, ...(cursor ? { cursor } : {}) });
    pages++;
    totals.add(page.total);
    ids.push(...page.items.map((i) => i.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
    if (pages > 200) throw new Error('cursor paging did not end');
  }
  return { ids, pages, totals };
}

describe('gallery keyset paging', () => {
  it('visits every item once, in offset order, across pages that split equal timestamps', () => {
    seed();
    const everything = listGallery(cat, { limit: 5000 }).items.map((i) => i.id);
    expect(everything).toHaveLength(103);
    for (const limit of [1, 5, 7, 12, 50, 103, 200]) {
      const { ids, pages, totals } = walk({ limit });
      expect(ids).toEqual(everything); // no gaps, no duplicates, same order as OFFSET paging
      expect(pages).toBe(Math.max(1, Math.ceil(103 / limit)));
      expect([...totals]).toEqual([103]); // total is the filter's, not what is left after the cursor
    }
  });

  it('keeps filters and deleted items out of every page', () => {
    seed();
    setGalleryDeleted(cat, ['item-004', 'item-010'], true);
    const filtered = listGallery(cat, { runId: 'r1', kind: 'sample', limit: 5000 }).items.map((i) => i.id);
    const { ids } = walk({ runId: 'r1', kind: 'sample', limit: 4 });
    expect(ids).toEqual(filtered);
    expect(ids).not.toContain('item-010');
    expect(walk({ limit: 9 }).ids).toHaveLength(101);
  });

  it('still pages by offset, and the last page has no cursor', () => {
    seed();
    const first = listGallery(cat, { limit: 100 });
    expect(first.nextCursor).not.toBeNull();
    const rest = listGallery(cat, { limit: 100, offset: 100 });
    expect(rest.items).toHaveLength(3);
    expect(rest.nextCursor).toBeNull();
    expect(listGallery(cat, { limit: 3, cursor: first.nextCursor! }).items.map((i) => i.id)).toEqual(rest.items.map((i) => i.id));
  });

  it('refuses a cursor it did not make, naming the fix', () => {
    seed();
    expect(decodeGalleryCursor(encodeGalleryCursor(-5, 'a.b_c-d'))).toEqual({ createdAt: -5, id: 'a.b_c-d' });
    expect(() => listGallery(cat, { cursor: 'bm9wZQ' })).toThrow(/nextCursor of the previous page/);
    expect(GalleryFilter.safeParse({ cursor: 'has space' }).success).toBe(false);
    expect(GalleryFilter.parse({ cursor: encodeGalleryCursor(1, 'x') }).cursor).toBeTruthy();
  });

  it('seeks with an index rather than scanning the table', () => {
    const plan = cat.db.prepare(
      `EXPLAIN QUERY PLAN SELECT * FROM gallery WHERE deleted = 0 AND created_at <= ? AND (created_at < ? OR id < ?) ORDER BY created_at DESC, id DESC LIMIT 10`,
    ).all(1, 1, 'x') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX gallery_created \(deleted=\? AND created_at<\?\)/);
  });
});
