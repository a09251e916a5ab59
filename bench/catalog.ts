// Gallery query latency at 100,000 items: the grid's first page, a filtered page, and a deep
// page (item 90,000) both by OFFSET and by keyset cursor, on a fresh catalog. Every page
// includes the filter's count. Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCatalog } from '../src/workspace/catalog.js';
import { encodeGalleryCursor, insertGalleryItems, listGallery, type GalleryQuery, type NewGalleryItem } from '../src/workspace/gallery-repo.js';
import { GALLERY_KINDS } from '../src/contract/gallery.js';
import { TASKS } from '../src/contract/common.js';

const quick = process.argv.includes('--quick');
const ITEMS = 100_000;
const RUNS = 50;
const root = mkdtempSync(join(tmpdir(), 'gan-bench-catalog-'));
try {
  const cat = openCatalog(root);
  const t0 = performance.now();
  const start = Date.now() - ITEMS * 1000;
  for (let chunk = 0; chunk < ITEMS; chunk += 10_000) {
    const items: NewGalleryItem[] = [];
    for (let i = chunk; i < chunk + 10_000; i++) {
      items.push({
        id: `g${i}`, kind: GALLERY_KINDS[i % GALLERY_KINDS.length]!, task: TASKS[i % TASKS.length]!, runId: `run${i % RUNS}`,
        model: 'dcgan', path: `gallery/${i}.png`, thumb: null, beforePath: null, width: 64, height: 64,
        createdAt: start + i * 1000, step: i, seed: i,
      });
    }
    insertGalleryItems(cat, items);
  }
  const insertSeconds = (performance.now() - t0) / 1000;

  const time = (q: GalleryQuery) => {
    const samples: number[] = [];
    for (let i = 0; i < (quick ? 5 : 20); i++) {
      const t = performance.now();
      listGallery(cat, q);
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    return Number(samples[Math.floor(samples.length / 2)]!.toFixed(2));
  };
  // the cursor a client holds after scrolling to item 90,000 (the last item of the page before)
  const before = listGallery(cat, { offset: 90_000 - 1, limit: 1 }).items[0]!;
  const deepCursor = encodeGalleryCursor(before.createdAt, before.id);
  const sameRows = JSON.stringify(listGallery(cat, { cursor: deepCursor, limit: 200 }).items) === JSON.stringify(listGallery(cat, { offset: 90_000, limit: 200 }).items);
  if (!sameRows) throw new Error('cursor and offset pages differ at item 90,000');
  // every page also counts its filter; this is that share of each figure
  const timeCount = () => {
    const samples: number[] = [];
    for (let i = 0; i < (quick ? 5 : 20); i++) {
      const t = performance.now();
      cat.db.prepare('SELECT count(*) FROM gallery WHERE deleted = 0').pluck().get();
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    return Number(samples[Math.floor(samples.length / 2)]!.toFixed(2));
  };
  const result = {
    items: ITEMS,
    insert_per_s: Math.round(ITEMS / insertSeconds),
    first_page_ms: time({ limit: 200 }),
    by_run_ms: time({ runId: 'run7', limit: 200 }),
    by_task_and_date_ms: time({ task: 'superres', since: start + 30_000_000, until: start + 60_000_000, limit: 200 }),
    deep_page_ms: time({ offset: 90_000, limit: 200 }),
    deep_page_cursor_ms: time({ cursor: deepCursor, limit: 200 }),
    count_ms: timeCount(),
  };
  cat.close();
  console.log(JSON.stringify(result));
} finally {
  rmSync(root, { recursive: true, force: true });
}
