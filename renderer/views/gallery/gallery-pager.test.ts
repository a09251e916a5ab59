import { describe, expect, it } from 'vitest';
import type { GalleryItem, GalleryPage } from '../../../src/contract/index.js';
import { GalleryPager } from './gallery-pager.svelte.js';

const item = (n: number): GalleryItem => ({
  id: `g${n}`, kind: n % 2 ? 'sample' : 'generation', task: 'generate', runId: 'r1', model: null, path: `gallery/${n}.png`, thumb: null,
  beforePath: null, width: 32, height: 32, createdAt: 1_000_000 - n, step: null, seed: null, deleted: false,
});

/** A catalog of `count` items answered in keyset pages: the cursor is the last id the client saw. */
function catalog(count: number, limit: number) {
  const all = Array.from({ length: count }, (_, n) => item(n));
  const cursors: Array<string | undefined> = [];
  const fetchPage = async (cursor: string | undefined): Promise<GalleryPage> => {
    cursors.push(cursor);
    const start = cursor === undefined ? 0 : all.findIndex((i) => i.id === cursor) + 1;
    const items = all.slice(start, start + limit);
    const more = start + limit < all.length;
    return { items, total: all.length, nextCursor: more ? items[items.length - 1]!.id : null };
  };
  return { all, cursors, fetchPage };
}

describe('GalleryPager', () => {
  it('follows nextCursor page after page and stops at the last page', async () => {
    const cat = catalog(25, 10);
    const pager = new GalleryPager(cat.fetchPage, (e) => { throw e; });
    await pager.more(); // before the first page: nothing to continue from
    expect(cat.cursors).toEqual([]);
    await pager.restart();
    expect(pager.items).toHaveLength(10);
    expect(pager.total).toBe(25);
    expect(pager.gridTotal).toBe(25);
    await pager.more();
    await pager.more();
    expect(pager.items.map((i) => i.id)).toEqual(cat.all.map((i) => i.id));
    expect(pager.done).toBe(true);
    await pager.more(); // at the end: no further request
    expect(cat.cursors).toEqual([undefined, 'g9', 'g19']);
  });

  it('asks once while a page is in flight, and restarting drops pages of the old filter', async () => {
    const cat = catalog(30, 10);
    let release = () => {};
    let hold = false;
    const pager = new GalleryPager(async (cursor) => {
      if (hold) await new Promise<void>((r) => (release = r));
      return cat.fetchPage(cursor);
    }, (e) => { throw e; });
    await pager.restart();
    hold = true;
    const first = pager.more();
    const second = pager.more(); // the grid asks again while scrolling: one request only
    expect(cat.cursors).toEqual([undefined]);
    hold = false;
    const restarted = pager.restart(); // the filter changed while the old page was loading
    release();
    await Promise.all([first, second, restarted]);
    expect(cat.cursors).toEqual([undefined, undefined, 'g9']);
    expect(pager.items.map((i) => i.id)).toEqual(cat.all.slice(0, 10).map((i) => i.id));
    await pager.more();
    expect(cat.cursors[cat.cursors.length - 1]).toBe('g9');
    expect(pager.items).toHaveLength(20);
  });

  it('lays out only what loaded once the last page is in, even if the count grew meanwhile', async () => {
    const cat = catalog(12, 10);
    const pager = new GalleryPager(async (cursor) => {
      const page = await cat.fetchPage(cursor);
      return cursor ? { ...page, total: page.total + 3 } : page; // three new outputs landed in between
    }, (e) => { throw e; });
    await pager.restart();
    await pager.more();
    expect(pager.total).toBe(15);
    expect(pager.gridTotal).toBe(12);
  });

  it('reports a failed page and lets the grid ask again', async () => {
    const cat = catalog(20, 10);
    const errors: unknown[] = [];
    let fail = false;
    const pager = new GalleryPager(async (cursor) => {
      if (fail) throw new Error('server gone');
      return cat.fetchPage(cursor);
    }, (e) => errors.push(e));
    await pager.restart();
    fail = true;
    await pager.more();
    expect(errors).toHaveLength(1);
    fail = false;
    await pager.more();
    expect(pager.items).toHaveLength(20);
  });
});
