// Queries on gallery items (samples, generations, upscales, translations). Indexed for the
// gallery's filters (run, task, kind, date), newest first, over ~100k rows.
import type { GalleryItem, GalleryKind, GalleryPage } from '../contract/gallery.js';
import type { Task } from '../contract/common.js';
import { AppError } from '../contract/errors.js';
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
  /** skipped rows; with a cursor, counted from the cursor */
  offset?: number;
  limit?: number;
  /** `nextCursor` of the previous page: continue after its last item */
  cursor?: string;
}

/**
 * Where a page ended, as (created_at, id): the list's sort key. Deep OFFSET pages make SQLite
 * walk and discard every skipped row (~130 ms at 90k rows); a cursor seeks straight to the key.
 * Opaque to clients (base64url) so the key can change without breaking them.
 */
export function encodeGalleryCursor(createdAt: number, id: string): string {
  return Buffer.from(`${createdAt}:${id}`, 'utf8').toString('base64url');
}

export function decodeGalleryCursor(cursor: string): { createdAt: number; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(-?\d+):([A-Za-z0-9._-]+)$/.exec(text);
  if (!m) throw new AppError('INVALID_ARGUMENT', `gallery cursor "${cursor.slice(0, 40)}" is not one this catalog made — pass the nextCursor of the previous page, or omit it to start from the newest item`);
  return { createdAt: Number(m[1]), id: m[2]! };
}

export function listGallery(cat: Catalog, q: GalleryQuery = {}): GalleryPage {
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
  // total counts the whole filter, not what is left after the cursor, so "N items" stays put
  const total = Number(scalar(cat.db, `SELECT count(*) FROM gallery ${clause}`, ...args));
  const pageWhere = [...where];
  const pageArgs = [...args];
  if (q.cursor !== undefined) {
    const after = decodeGalleryCursor(q.cursor);
    // `created_at <= ?` is a range on the created_at indexes; the OR breaks ties on id
    pageWhere.push('created_at <= ? AND (created_at < ? OR id < ?)');
    pageArgs.push(after.createdAt, after.createdAt, after.id);
  }
  const pageClause = pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : '';
  const limit = q.limit ?? 200;
  // one row more than asked tells whether another page exists without a second query
  const rows = cat.db.prepare(`SELECT * FROM gallery ${pageClause} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...pageArgs, limit + 1, q.offset ?? 0) as GalleryRow[];
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(toItem);
  const last = items[items.length - 1];
  return { items, total, nextCursor: more && last ? encodeGalleryCursor(last.createdAt, last.id) : null };
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
