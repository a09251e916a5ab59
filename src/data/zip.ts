// Reading user zips safely. The central directory is judged before a byte is extracted: entry
// count, total size, the compression ratio of every entry and of the whole archive (zip bombs:
// one huge entry, or many entries each just under a per-entry floor), traversal names (`../`, absolute,
// drive letters, backslashes) and symlink entries. Entries are extracted under flat generated
// names in a staging folder, so no entry name ever becomes a path.
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { ErrorCode } from '../contract/errors.js';
import { DEFAULT_MAX_FILE_BYTES, refusal, type Refusal } from './validate.js';
import { isSkippedName } from './scan.js';

export interface ZipLimits {
  maxEntries: number;
  /** the most an archive may unpack to, all entries together */
  maxTotalBytes: number;
  /** the most one entry may unpack to: the dataset's limit for a loose file (validate.ts) */
  maxEntryBytes: number;
  /**
   * uncompressed/compressed above this is treated as a bomb: for every entry over
   * RATIO_FLOOR_BYTES, and for the archive as a whole (its entries' total over the zip's size)
   */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 8 * 1024 ** 3,
  maxEntryBytes: DEFAULT_MAX_FILE_BYTES,
  maxRatio: 100,
};

/**
 * Entries smaller than this are not judged alone (a small solid-colour BMP legitimately
 * compresses several hundred times); thousands of them together are caught by the archive's ratio.
 */
export const RATIO_FLOOR_BYTES = 64 * 1024;

/** The entry's expansion ratio when it is a bomb by itself (over the floor, over maxRatio), else null. */
export function entryBombRatio(uncompressed: number, compressed: number, maxRatio = DEFAULT_ZIP_LIMITS.maxRatio): number | null {
  const ratio = uncompressed / Math.max(1, compressed);
  return uncompressed > RATIO_FLOOR_BYTES && ratio > maxRatio ? ratio : null;
}

/** The archive's expansion ratio (its entries' total over the zip file's size) when over maxRatio, else null. */
export function archiveBombRatio(totalUncompressed: number, archiveBytes: number, maxRatio = DEFAULT_ZIP_LIMITS.maxRatio): number | null {
  const ratio = totalUncompressed / Math.max(1, archiveBytes);
  return ratio > maxRatio ? ratio : null;
}

export interface ZipPlan {
  zip: ZipFile;
  /** entries to extract, with their display names ("archive.zip/dir/a.png") */
  entries: Array<{ entry: Entry; name: string }>;
  refused: Array<{ name: string; code: ErrorCode; message: string }>;
  skipped: number;
  totalBytes: number;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Why an entry name is unsafe to use as a path, or null. */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\0')) return 'contains a NUL character';
  if (name.includes('\\')) return 'uses backslashes, which can escape the folder on Windows';
  if (/^[a-zA-Z]:/.test(name)) return 'starts with a drive letter (an absolute path)';
  if (name.startsWith('/')) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'climbs out of the archive with ".."';
  return null;
}

const mb = (n: number) => `${(n / 1024 ** 2).toFixed(n < 1024 ** 2 ? 2 : 0)} MB`;

function entryRefusal(code: ErrorCode, name: string, text: string) {
  return { name, code, message: `${name}: ${text}` };
}

/** Opens a zip and judges its central directory. The caller closes `plan.zip`. */
export async function planZip(path: string, display: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<{ ok: true; plan: ZipPlan } | Refusal> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (error) {
    return refusal('ZIP_CORRUPT', display, `the archive cannot be opened (${(error as Error).message}) — re-create or re-download the zip`);
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    return refusal('ZIP_TOO_MANY_ENTRIES', display, `the archive has ${zip.entryCount} entries, over the limit of ${limits.maxEntries} — split it into smaller zips or import the unpacked folder`);
  }
  const plan: ZipPlan = { zip, entries: [], refused: [], skipped: 0, totalBytes: 0 };
  try {
    for await (const entry of zip.eachEntry()) {
      const raw = entry.fileName as unknown as Buffer;
      const inner = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
      const name = `${display}/${inner.replace(/[\0-\x1f]/g, '?')}`;
      const unsafe = unsafeEntryName(inner);
      if (unsafe) {
        plan.refused.push(entryRefusal('ZIP_UNSAFE_PATH', name, `the entry name ${unsafe}; it was not extracted — re-create the archive from a plain folder`));
        continue;
      }
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (mode === S_IFLNK) {
        plan.refused.push(entryRefusal('ZIP_SYMLINK', name, 'is a symbolic link, which is never followed; it was not extracted — put the real file in the archive'));
        continue;
      }
      if (inner.endsWith('/')) continue; // a folder
      if (inner.split('/').some(isSkippedName)) {
        plan.skipped++;
        continue;
      }
      if (entry.isEncrypted()) {
        plan.refused.push(entryRefusal('UNSUPPORTED_FORMAT', name, 'is encrypted — re-create the archive without a password'));
        continue;
      }
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        plan.refused.push(entryRefusal('ZIP_TOO_LARGE', name, `unpacks to ${mb(entry.uncompressedSize)}, over the ${mb(limits.maxEntryBytes)} limit for one file; it was not extracted — shrink the image or raise the file size limit`));
        continue;
      }
      const ratio = entryBombRatio(entry.uncompressedSize, entry.compressedSize, limits.maxRatio);
      if (ratio !== null) {
        plan.refused.push(entryRefusal('ZIP_RATIO_TOO_HIGH', name, `expands ${Math.round(ratio)}× (over the ${limits.maxRatio}× limit), the mark of a zip bomb; it was not extracted — unpack it yourself if you trust it`));
        continue;
      }
      plan.totalBytes += entry.uncompressedSize;
      plan.entries.push({ entry, name });
    }
  } catch (error) {
    zip.close();
    return refusal('ZIP_CORRUPT', display, `the archive's directory is damaged (${(error as Error).message}) — re-create or re-download the zip`);
  }
  if (plan.totalBytes > limits.maxTotalBytes) {
    zip.close();
    const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;
    return refusal('ZIP_TOO_LARGE', display, `the archive unpacks to ${gb(plan.totalBytes)}, over the ${gb(limits.maxTotalBytes)} limit — split it, or import the unpacked folder`);
  }
  const archiveBytes = await stat(path).then((s) => s.size, () => 0);
  const archiveRatio = archiveBombRatio(plan.totalBytes, archiveBytes, limits.maxRatio);
  if (archiveRatio !== null) {
    zip.close();
    return refusal('ZIP_RATIO_TOO_HIGH', display, `the archive (${mb(archiveBytes)}) unpacks to ${mb(plan.totalBytes)}, ${Math.round(archiveRatio)}× its size (over the ${limits.maxRatio}× limit), the mark of a zip bomb; nothing was extracted — unpack it yourself if you trust it`);
  }
  return { ok: true, plan };
}

/** Extracts one entry to `dest` (yauzl checks the actual size against the declared one). */
export async function extractEntry(zip: ZipFile, entry: Entry, dest: string, signal?: AbortSignal): Promise<void> {
  const stream = await zip.openReadStreamPromise(entry);
  await pipeline(stream, createWriteStream(dest), { signal });
}
