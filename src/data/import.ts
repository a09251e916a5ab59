// Import files, folders and zips into a new dataset.
//
// Crash consistency: the dataset row is created first in state 'importing' (invisible to
// lists) with this process's pid; each file is written to the dataset folder before its image
// row and journal entry commit together; the dataset turns 'ready' in one last update. A crash
// at any point leaves an 'importing' dataset whose process is gone, which the next
// openWorkspace() rolls back (rows and folder). Cancel and errors roll back the same way.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, rm, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ImportReport, RejectedFile } from '../contract/datasets.js';
import { AppError } from '../contract/errors.js';
import type { TaskContext } from '../common/reporter.js';
import {
  createDatasetRow, datasetImageRecords, finishDataset, markValidation, recordImportBatch, type ImageRecord, type ImportItem,
} from '../workspace/datasets-repo.js';
import { importStagingDir, removeDatasetEverywhere } from '../workspace/recovery.js';
import { assertFreeSpace, type Workspace } from '../workspace/workspace.js';
import { scanInputs, type ScanItem } from './scan.js';
import { chooseValidation, computeStats, DEFAULT_VALIDATION_FRACTION, makeMosaic } from './stats.js';
import { claimOrDuplicate, datasetRel, ensureDatasetDirs, storeImageBytes, storeImageFile, type FileOutcome, type StoreContext } from './store-image.js';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PIXELS } from './validate.js';
import { DEFAULT_ZIP_LIMITS, extractEntry, planZip, type ZipLimits } from './zip.js';

export interface ImportOptions {
  paths: readonly string[];
  name?: string;
  /** import the valid part of an archive that also holds refused entries */
  acceptPartial?: boolean;
  maxPixels?: number;
  maxFileBytes?: number;
  zipLimits?: Partial<ZipLimits>;
  validationFraction?: number;
  /** files in flight at once (I/O and sharp's thread pool overlap) */
  concurrency?: number;
  /** outcomes per catalog transaction (default 256) */
  commitEvery?: number;
}

export function makeDatasetId(name: string): string {
  const slug = name.toLowerCase().replace(/\.zip$/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'dataset';
  return `${slug}-${randomBytes(3).toString('hex')}`;
}

/** Collects outcomes and commits them in batches: each batch is one transaction. */
class Journal {
  private images: ImageRecord[] = [];
  private items: ImportItem[] = [];
  private seq = 0;
  readonly report: { accepted: number; duplicates: ImportReport['duplicates']; rejected: RejectedFile[] } = { accepted: 0, duplicates: [], rejected: [] };
  constructor(private ws: Workspace, private datasetId: string, private commitEvery = 256) {}

  add(o: FileOutcome | { state: 'rejected'; source: string; code: RejectedFile['code']; message: string }): void {
    const seq = this.seq++;
    if (o.state === 'accepted') {
      this.images.push(o.record);
      this.items.push({ seq, source: o.source, state: 'accepted', hash: o.record.hash });
      this.report.accepted++;
    } else if (o.state === 'duplicate') {
      this.items.push({ seq, source: o.source, state: 'duplicate', hash: o.hash, duplicateOf: o.duplicateOf });
      this.report.duplicates.push({ file: o.source, duplicateOf: o.duplicateOf });
    } else {
      this.items.push({ seq, source: o.source, state: 'rejected', code: o.code, message: o.message });
      this.report.rejected.push({ file: o.source, code: o.code, message: o.message });
    }
    if (this.items.length >= this.commitEvery) this.flush();
  }

  flush(): void {
    if (!this.items.length) return;
    recordImportBatch(this.ws.catalog, this.datasetId, this.images, this.items);
    this.images = [];
    this.items = [];
  }
}

class ProgressMeter {
  done = 0;
  total = 0;
  private started = Date.now();
  private last = 0;
  constructor(private ctx: TaskContext) {}
  tick(force = false): void {
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const eta = rate > 0 && this.done > 0 ? Math.max(0, (this.total - this.done) / rate) : null;
    this.ctx.report.progress({ done: this.done, total: this.total, unit: 'file', eta, rate });
  }
}

/**
 * Runs `fn` over `items` with bounded concurrency and hands results to `commit` in item order
 * (results that finish early wait for the ones before them).
 */
async function runOrdered<T, R>(items: readonly T[], concurrency: number, signal: AbortSignal, fn: (item: T, index: number) => Promise<R>, commit: (result: R) => void): Promise<void> {
  const results = new Map<number, R>();
  let next = 0;
  let committed = 0;
  const worker = async () => {
    while (next < items.length) {
      signal.throwIfAborted();
      const index = next++;
      results.set(index, await fn(items[index]!, index));
      while (results.has(committed)) {
        const r = results.get(committed)!;
        results.delete(committed++);
        commit(r);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export async function importIntoWorkspace(ws: Workspace, options: ImportOptions, ctx: TaskContext): Promise<ImportReport> {
  if (!options.paths.length) throw new AppError('INVALID_ARGUMENT', 'nothing to import — give at least one file, folder or .zip');
  const name = options.name?.trim() || basename(options.paths[0]!).replace(/\.zip$/i, '') || 'dataset';
  const datasetId = makeDatasetId(name);
  createDatasetRow(ws.catalog, { id: datasetId, name, source: { paths: options.paths, acceptPartial: options.acceptPartial ?? false }, pid: process.pid, host: hostname() });
  try {
    return await runImport(ws, datasetId, options, ctx);
  } catch (error) {
    removeDatasetEverywhere(ws, datasetId);
    throw error;
  }
}

async function runImport(ws: Workspace, datasetId: string, options: ImportOptions, ctx: TaskContext): Promise<ImportReport> {
  const { signal } = ctx;
  await ensureDatasetDirs(ws, datasetId);
  const scan = await scanInputs(options.paths, signal);
  assertFreeSpace(ws.layout.datasets, Math.ceil(scan.bytes * 1.1), `importing ${scan.items.length} files`);

  const journal = new Journal(ws, datasetId, options.commitEvery);
  const meter = new ProgressMeter(ctx);
  const sc: StoreContext = {
    ws, datasetId, claimed: new Map(),
    maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  };
  const concurrency = options.concurrency ?? 8;
  const files = scan.items.filter((i): i is Extract<ScanItem, { kind: 'file' }> => i.kind === 'file');
  meter.total = files.length + scan.items.filter((i) => i.kind === 'zip').length;
  for (const item of scan.items) if (item.kind === 'rejected') journal.add({ state: 'rejected', source: item.name, code: item.code, message: item.message });
  let skipped = scan.skipped;
  meter.tick(true);

  await runOrdered(files, concurrency, signal, (f) => storeImageFile(sc, f.path, f.name, f.size), (outcome) => {
    journal.add(claimOrDuplicate(sc, outcome));
    meter.done++;
    meter.tick();
  });
  journal.flush();

  // one entry may be as large as a loose file may (the dataset's limit), no larger
  const zipLimits = { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: sc.maxFileBytes, ...options.zipLimits };
  for (const zip of scan.items.filter((i): i is Extract<ScanItem, { kind: 'zip' }> => i.kind === 'zip')) {
    signal.throwIfAborted();
    skipped += await importZip(ws, sc, zip, zipLimits, options.acceptPartial ?? false, journal, meter, concurrency, signal);
    journal.flush();
  }
  meter.tick(true);

  // the user's own names: an upload's server-side staging path never reaches a message
  const what = options.paths.map((p) => basename(p) || p).join(', ');
  return finishImport(ws, datasetId, journal, skipped, what, options.validationFraction, ctx);
}

/** Split, stats and mosaic, then the one update that makes the dataset visible. */
async function finishImport(ws: Workspace, datasetId: string, journal: Journal, skipped: number, what: string, validationFraction: number | undefined, ctx: TaskContext): Promise<ImportReport> {
  const { signal } = ctx;
  const report = journal.report;
  if (report.accepted === 0) throw noUsableImages(report.rejected, report.duplicates.length, skipped, what);
  signal.throwIfAborted();
  const all = datasetImageRecords(ws.catalog, datasetId);
  markValidation(ws.catalog, datasetId, chooseValidation(all.map((r) => r.hash), validationFraction ?? DEFAULT_VALIDATION_FRACTION));
  const train = datasetImageRecords(ws.catalog, datasetId, 'train');
  const mosaic = await makeMosaic(ws.root, join(ws.layout.datasets, datasetId), train.length ? train : all);
  signal.throwIfAborted();
  finishDataset(ws.catalog, datasetId, { stats: computeStats(all), mosaic: mosaic ? datasetRel(datasetId, 'mosaic.png') : null, skipped });
  await rm(importStagingDir(ws.layout, datasetId), { recursive: true, force: true });
  return { datasetId, accepted: report.accepted, duplicates: report.duplicates, rejected: report.rejected, skipped };
}

/**
 * The error for an import that kept nothing. An archive refused as a whole already has one row
 * that names it, its count and its first reasons, so its entries' own rows are left out here:
 * each refusal is told once and the count matches the reasons listed.
 */
function noUsableImages(rejected: readonly RejectedFile[], duplicates: number, skipped: number, what: string): AppError {
  const top = rejected.filter((r) => !rejected.some((archive) => archive !== r && r.file.startsWith(`${archive.file}/`)));
  // the first refusal's own code (ZIP_UNSAFE_PATH, UNSUPPORTED_FORMAT, ...) tells the UI which fix to offer
  const code = top[0]?.code ?? 'INVALID_ARGUMENT';
  if (top.length === 1 && duplicates === 0) return new AppError(code, `no usable images: ${top[0]!.message}`);
  const reasons = top.slice(0, 5).map((r) => `  ${r.message}`).join('\n');
  const more = top.length > 5 ? `\n  ... and ${top.length - 5} more` : '';
  return new AppError(code, `no usable images in ${what} (${top.length} refused, ${duplicates} duplicates, ${skipped} hidden/system files skipped)${reasons ? `:\n${reasons}${more}` : ''}`);
}

/**
 * A dataset from images made in memory (the bundled sample sets): `make(i)` returns the i-th
 * image's display name and encoded bytes. Same validation, dedupe, split and crash safety.
 */
export async function importGenerated(ws: Workspace, o: { name: string; count: number; source: unknown; make: (index: number) => Promise<{ name: string; bytes: Buffer }> }, ctx: TaskContext): Promise<ImportReport> {
  const datasetId = makeDatasetId(o.name);
  createDatasetRow(ws.catalog, { id: datasetId, name: o.name, source: o.source, pid: process.pid, host: hostname() });
  try {
    await ensureDatasetDirs(ws, datasetId);
    const journal = new Journal(ws, datasetId);
    const meter = new ProgressMeter(ctx);
    meter.total = o.count;
    const sc: StoreContext = { ws, datasetId, claimed: new Map(), maxPixels: DEFAULT_MAX_PIXELS, maxFileBytes: DEFAULT_MAX_FILE_BYTES };
    const indices = Array.from({ length: o.count }, (_, i) => i);
    await runOrdered(indices, 8, ctx.signal, async (i) => {
      const item = await o.make(i);
      return storeImageBytes(sc, item.bytes, item.name);
    }, (outcome) => {
      journal.add(claimOrDuplicate(sc, outcome));
      meter.done++;
      meter.tick();
    });
    journal.flush();
    meter.tick(true);
    return await finishImport(ws, datasetId, journal, 0, o.name, undefined, ctx);
  } catch (error) {
    removeDatasetEverywhere(ws, datasetId);
    throw error;
  }
}

/**
 * One archive: judged as a whole, extracted entry by entry into staging, each entry stored like
 * a loose file; the results are committed only when the archive is accepted (no refused entry)
 * or `acceptPartial` is set. Returns the number of entries skipped silently.
 */
async function importZip(
  ws: Workspace, sc: StoreContext, zipItem: { path: string; name: string }, limits: ZipLimits, acceptPartial: boolean,
  journal: Journal, meter: ProgressMeter, concurrency: number, signal: AbortSignal,
): Promise<number> {
  const planned = await planZip(zipItem.path, zipItem.name, limits);
  if (!planned.ok) {
    journal.add({ state: 'rejected', source: zipItem.name, code: planned.code, message: planned.message });
    meter.done++;
    return 0;
  }
  const { plan } = planned;
  try {
    assertFreeSpace(ws.layout.datasets, Math.ceil(plan.totalBytes * 2.1), `unpacking ${zipItem.name}`);
    meter.total += plan.entries.length - 1; // the zip counted as one file until now
    const staging = join(importStagingDir(ws.layout, sc.datasetId), `zip-${randomBytes(4).toString('hex')}`);
    await mkdir(staging, { recursive: true });
    const outcomes: FileOutcome[] = [];
    await runOrdered(plan.entries, Math.min(concurrency, 4), signal, async ({ entry, name }, index): Promise<FileOutcome> => {
      const staged = join(staging, String(index));
      try {
        await extractEntry(plan.zip, entry, staged, signal);
        return await storeImageFile(sc, staged, name, entry.uncompressedSize);
      } catch (error) {
        if (signal.aborted || error instanceof AppError) throw error;
        return { state: 'rejected', source: name, code: 'ZIP_CORRUPT', message: `${name}: the entry cannot be extracted (${(error as Error).message}) — re-create the archive` };
      } finally {
        await rm(staged, { force: true });
      }
    }, (outcome) => {
      outcomes.push(outcome);
      meter.done++;
      meter.tick();
    });
    const refused = [...plan.refused, ...outcomes.filter((o) => o.state === 'rejected').map((o) => ({ name: o.source, code: o.code, message: o.message }))];
    for (const r of plan.refused) journal.add({ state: 'rejected', source: r.name, code: r.code, message: r.message });
    if (refused.length && !acceptPartial) {
      // The archive is refused as a whole: drop what was stored from it.
      for (const o of outcomes) {
        // a file with the same content accepted earlier shares the stored name: keep it
        if (o.state === 'accepted' && !sc.claimed.has(o.record.hash)) {
          for (const rel of o.written) await unlink(join(ws.root, rel)).catch(() => {});
        } else if (o.state === 'rejected') journal.add(o);
      }
      const total = plan.entries.length + plan.refused.length;
      const reasons = refused.slice(0, 3).map((r) => r.message).join('; ');
      const more = refused.length > 3 ? `; and ${refused.length - 3} more` : '';
      journal.add({
        state: 'rejected', source: zipItem.name, code: refused[0]!.code,
        message: `archive ${zipItem.name} was not imported because ${refused.length} of its ${total} ${total === 1 ? 'entry' : 'entries'} ${refused.length === 1 ? 'was' : 'were'} refused (${reasons}${more}) — fix or remove ${refused.length === 1 ? 'that entry' : 'those entries'} and import the archive again, or import its valid part (--accept-partial)`,
      });
    } else {
      for (const o of outcomes) journal.add(claimOrDuplicate(sc, o));
    }
    return plan.skipped;
  } finally {
    plan.zip.close();
  }
}
