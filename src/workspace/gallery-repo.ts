// Queries on gallery items (samples, generations, upscales, translations). Indexed for the
// gallery's filters (run, task, kind, date), newest first, over ~100k rows.
import type { GalleryItem, GalleryKind } from '../contract/gallery.js';
import type { Paged, Task } from '../contract/common.js';
import { one, scalar, type Catalog } from './catalog.js';

interface GalleryRow {
  id: string;
  kind: GalleryKind;
  task: Task;
  run_id: string | null;
  model: string | null;
  path: string;
  thumb: string | null;
  before_path: string | null;
  width: number;
  height: number;
  created_at: number;
  step: number | null;
  seed: number | null;
  deleted: number;
}

function toItem(r: GalleryRow): GalleryItem {
  return {
    id: r.id, kind: r.kind, task: r.task, runId: r.run_id, model: r.model, path: r.path, thumb: r.thumb, beforePath: r.before_path,
    width: r.width, height: r.height, createdAt: r.created_at, step: r.step, seed: r.seed, deleted: r.deleted === 1,
  };
}

export type NewGalleryItem = Omit<GalleryItem, 'deleted' | 'createdAt'> & { createdAt?: number };

export function insertGalleryItems(cat: Catalog, items: NewGalleryItem[]): void {
  const stmt = cat.db.prepare(
    `INSERT INTO gallery (id, kind, task, run_id, model, path, thumb, before_path, width, height, created_at, step, seed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = Date.now();
  cat.transaction(() => {
    for (const i of items) {
      stmt.run(i.id, i.kind, i.task, i.runId, i.model, i.path, i.thumb, i.beforePath, i.width, i.height, i.createdAt ?? now, i.step, i.seed);
    }
  });
}

export interface GalleryQuery {
  runId?: string;
  task?: Task;
  kind?: GalleryKind;
  since?: number;
  until?: number;
  includeDeleted?: boolean;
  offset?: number;
  limit?: number;
}

export function listGallery(cat: Catalog, q: GalleryQuery = {}): Paged<GalleryItem> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (!q.includeDeleted) where.push('deleted = 0');
  const filters: Array<[string, unknown]> = [
    ['run_id = ?', q.runId], ['task = ?', q.task], ['kind = ?', q.kind], ['created_at >= ?', q.since], ['created_at < ?', q.until],
  ];
  for (const [sql, value] of filters) {
    if (value === undefined) continue;
    where.push(sql);
    args.push(value);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number(scalar(cat.db, `SELECT count(*) FROM gallery ${clause}`, ...args));
  const rows = cat.db.prepare(`SELECT * FROM gallery ${clause} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...args, q.limit ?? 200, q.offset ?? 0) as GalleryRow[];
  return { items: rows.map(toItem), total };
}

export function getGalleryItem(cat: Catalog, id: string): GalleryItem | null {
  const row = one<GalleryRow>(cat.db, `SELECT * FROM gallery WHERE id = ?`, id);
  return row ? toItem(row) : null;
}

/** Soft delete (deleted = true) or restore (false). Returns how many rows changed. */
export function setGalleryDeleted(cat: Catalog, ids: string[], deleted: boolean): number {
  const stmt = cat.db.prepare(`UPDATE gallery SET deleted = ? WHERE id = ?`);
  return cat.transaction(() => ids.reduce((n, id) => n + stmt.run(deleted ? 1 : 0, id).changes, 0));
}

/** Hard delete, e.g. when a run is removed for good. */
export function deleteGalleryForRun(cat: Catalog, runId: string): number {
  return cat.db.prepare(`DELETE FROM gallery WHERE run_id = ?`).run(runId).changes;
}
