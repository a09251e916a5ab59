// Queries on datasets, images and the import journal. Row shapes map 1:1 to src/contract DTOs.
import type { DatasetImage, DatasetStats, DatasetSummary, ImportReport } from '../contract/datasets.js';
import type { ErrorCode } from '../contract/errors.js';
import { fromJson, toJson, one, scalar, type Catalog } from './catalog.js';

export type DatasetState = 'importing' | 'ready' | 'failed';

interface DatasetRow {
  id: string;
  name: string;
  state: DatasetState;
  created_at: number;
  image_count: number;
  validation_count: number;
  bytes: number;
  mosaic: string | null;
  stats: string | null;
  source: string | null;
  import_pid: number | null;
  import_host: string | null;
  skipped: number;
}

export interface ImageRecord {
  id: string;
  datasetId: string;
  hash: string;
  split: 'train' | 'validation';
  width: number;
  height: number;
  format: string;
  sourceFormat: string;
  channels: string;
  bytes: number;
  path: string;
  thumb: string;
  originalName: string;
}

export type ImportItemState = 'accepted' | 'duplicate' | 'rejected' | 'skipped';
export interface ImportItem {
  seq: number;
  source: string;
  state: ImportItemState;
  hash?: string | null;
  duplicateOf?: string | null;
  code?: ErrorCode | null;
  message?: string | null;
}

function toSummary(row: DatasetRow): DatasetSummary {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    imageCount: row.image_count,
    validationCount: row.validation_count,
    bytes: row.bytes,
    mosaic: row.mosaic,
    stats: fromJson<DatasetStats | null>(row.stats, null),
  };
}

export function createDatasetRow(cat: Catalog, d: { id: string; name: string; source: unknown; pid: number; host: string }): void {
  const now = Date.now();
  cat.db.prepare(
    `INSERT INTO datasets (id, name, state, created_at, updated_at, source, import_pid, import_host) VALUES (?, ?, 'importing', ?, ?, ?, ?, ?)`,
  ).run(d.id, d.name, now, now, toJson(d.source), d.pid, d.host);
}

/** Ready datasets, newest first. Datasets still importing are invisible. */
export function listDatasets(cat: Catalog): DatasetSummary[] {
  const rows = cat.db.prepare(`SELECT * FROM datasets WHERE state = 'ready' ORDER BY created_at DESC, id`).all() as DatasetRow[];
  return rows.map(toSummary);
}

export function getDataset(cat: Catalog, id: string): DatasetSummary | null {
  const row = one<DatasetRow>(cat.db, `SELECT * FROM datasets WHERE id = ? AND state = 'ready'`, id);
  return row ? toSummary(row) : null;
}

export function getDatasetRow(cat: Catalog, id: string): DatasetRow | null {
  return one<DatasetRow>(cat.db, `SELECT * FROM datasets WHERE id = ?`, id) ?? null;
}

export function datasetsInState(cat: Catalog, state: DatasetState): DatasetRow[] {
  return cat.db.prepare(`SELECT * FROM datasets WHERE state = ?`).all(state) as DatasetRow[];
}

export function renameDataset(cat: Catalog, id: string, name: string): boolean {
  return cat.db.prepare(`UPDATE datasets SET name = ?, updated_at = ? WHERE id = ?`).run(name, Date.now(), id).changes > 0;
}

/** Removes the dataset's rows (images and journal cascade). Files are the caller's business. */
export function deleteDatasetRows(cat: Catalog, id: string): boolean {
  return cat.db.prepare(`DELETE FROM datasets WHERE id = ?`).run(id).changes > 0;
}

const IMAGE_COLUMNS = `id, dataset_id, hash, split, width, height, format, source_format, channels, bytes, path, thumb, original_name, created_at`;

/** Inserts images and their journal entries in one transaction (crash-consistent batches). */
export function recordImportBatch(cat: Catalog, datasetId: string, images: ImageRecord[], items: ImportItem[]): void {
  const insertImage = cat.stmt(`INSERT INTO images (${IMAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertItem = cat.stmt(
    `INSERT OR REPLACE INTO import_items (dataset_id, seq, source, state, hash, duplicate_of, code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = Date.now();
  cat.transaction(() => {
    for (const im of images) {
      insertImage.run(im.id, datasetId, im.hash, im.split, im.width, im.height, im.format, im.sourceFormat, im.channels, im.bytes, im.path, im.thumb, im.originalName, now);
    }
    for (const it of items) {
      insertItem.run(datasetId, it.seq, it.source, it.state, it.hash ?? null, it.duplicateOf ?? null, it.code ?? null, it.message ?? null);
    }
  });
}

interface ImageRow {
  id: string;
  dataset_id: string;
  hash: string;
  split: 'train' | 'validation';
  width: number;
  height: number;
  format: string;
  source_format: string;
  channels: string;
  bytes: number;
  path: string;
  thumb: string;
  original_name: string;
}

function toImageRecord(r: ImageRow): ImageRecord {
  return {
    id: r.id, datasetId: r.dataset_id, hash: r.hash, split: r.split, width: r.width, height: r.height, format: r.format,
    sourceFormat: r.source_format, channels: r.channels, bytes: r.bytes, path: r.path, thumb: r.thumb, originalName: r.original_name,
  };
}

/** Every image of a dataset in a stable order (by content hash), optionally one split. */
export function datasetImageRecords(cat: Catalog, datasetId: string, split?: 'train' | 'validation'): ImageRecord[] {
  const rows = split
    ? cat.db.prepare(`SELECT * FROM images WHERE dataset_id = ? AND split = ? ORDER BY hash`).all(datasetId, split)
    : cat.db.prepare(`SELECT * FROM images WHERE dataset_id = ? ORDER BY hash`).all(datasetId);
  return (rows as ImageRow[]).map(toImageRecord);
}

/** A page of images for the UI, in a stable order. */
export function datasetImagesPage(cat: Catalog, datasetId: string, offset: number, limit: number): { items: DatasetImage[]; total: number } {
  const total = Number(scalar(cat.db, `SELECT count(*) FROM images WHERE dataset_id = ?`, datasetId));
  const rows = cat.db.prepare(`SELECT * FROM images WHERE dataset_id = ? ORDER BY hash LIMIT ? OFFSET ?`).all(datasetId, limit, offset) as ImageRow[];
  return {
    total,
    items: rows.map((r) => ({
      id: r.id, path: r.path, thumb: r.thumb, width: r.width, height: r.height, format: r.format, split: r.split, originalName: r.original_name,
    })),
  };
}

/** An image with this content in a ready dataset (its stored file can be hard-linked). */
export function findImageByHash(cat: Catalog, hash: string): ImageRecord | null {
  const row = cat.stmt(`SELECT images.* FROM images JOIN datasets ON datasets.id = images.dataset_id WHERE hash = ? AND datasets.state = 'ready' LIMIT 1`).all(hash)[0] as ImageRow | undefined;
  return row ? toImageRecord(row) : null;
}

/** How many images of other datasets share this stored path (hard links make deletes safe either way). */
export function countImagesWithPath(cat: Catalog, path: string): number {
  return Number(scalar(cat.db, `SELECT count(*) FROM images WHERE path = ?`, path));
}

export function markValidation(cat: Catalog, datasetId: string, hashes: string[]): void {
  const stmt = cat.db.prepare(`UPDATE images SET split = 'validation' WHERE dataset_id = ? AND hash = ?`);
  cat.transaction(() => {
    for (const h of hashes) stmt.run(datasetId, h);
  });
}

export function finishDataset(cat: Catalog, id: string, f: { stats: DatasetStats; mosaic: string | null; skipped: number }): void {
  const agg = one<{ n: number; bytes: number; val: number }>(
    cat.db, `SELECT count(*) AS n, coalesce(sum(bytes), 0) AS bytes, coalesce(sum(split = 'validation'), 0) AS val FROM images WHERE dataset_id = ?`, id,
  )!;
  cat.db.prepare(
    `UPDATE datasets SET state = 'ready', image_count = ?, validation_count = ?, bytes = ?, stats = ?, mosaic = ?, skipped = ?,
       import_pid = NULL, import_host = NULL, updated_at = ? WHERE id = ?`,
  ).run(agg.n, agg.val, agg.bytes, toJson(f.stats), f.mosaic, f.skipped, Date.now(), id);
}

export function importItems(cat: Catalog, datasetId: string): ImportItem[] {
  const rows = cat.db.prepare(`SELECT * FROM import_items WHERE dataset_id = ? ORDER BY seq`).all(datasetId) as Array<{
    seq: number; source: string; state: ImportItemState; hash: string | null; duplicate_of: string | null; code: ErrorCode | null; message: string | null;
  }>;
  return rows.map((r) => ({ seq: r.seq, source: r.source, state: r.state, hash: r.hash, duplicateOf: r.duplicate_of, code: r.code, message: r.message }));
}

/** The import report, rebuilt from the journal (datasets:report). */
export function importReportFromJournal(cat: Catalog, datasetId: string): ImportReport {
  const items = importItems(cat, datasetId);
  const row = getDatasetRow(cat, datasetId);
  return {
    datasetId,
    accepted: items.filter((i) => i.state === 'accepted').length,
    duplicates: items.filter((i) => i.state === 'duplicate').map((i) => ({ file: i.source, duplicateOf: i.duplicateOf ?? '' })),
    rejected: items.filter((i) => i.state === 'rejected').map((i) => ({ file: i.source, code: i.code ?? 'INTERNAL', message: i.message ?? '' })),
    skipped: row?.skipped ?? 0,
  };
}
