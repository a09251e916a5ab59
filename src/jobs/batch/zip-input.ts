// Zip inputs of a batch: entries are listed when the batch is planned and extracted one at a
// time when processed, refusing unsafe names (absolute, `..`), links, oversized entries and zip
// bombs (the same ratio rules as a dataset import, src/data/zip.ts; an input zip is refused whole).
import yauzl from 'yauzl';
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../contract/errors.js';
import { archiveBombRatio, entryBombRatio } from '../../data/zip.js';

export interface ZipEntryInfo {
  name: string;
  size: number;
  crc32: number;
}

const MAX_ENTRY_BYTES = 512 * 1024 * 1024;

function isLink(entry: yauzl.Entry): boolean {
  return ((entry.externalFileAttributes >>> 16) & 0o170000) === 0o120000;
}

export async function listZipEntries(zipPath: string): Promise<ZipEntryInfo[]> {
  let zip: yauzl.ZipFile;
  try {
    // yauzl's promise API always opens with lazyEntries: entries come from eachEntry()
    zip = await yauzl.openPromise(zipPath, { strictFileNames: false });
  } catch (error) {
    throw new AppError('ZIP_CORRUPT', `cannot read the zip ${zipPath}: ${(error as Error).message}`);
  }
  const out: ZipEntryInfo[] = [];
  let total = 0;
  try {
    for await (const e of zip.eachEntry()) {
      const ratio = entryBombRatio(e.uncompressedSize, e.compressedSize);
      if (ratio !== null) throw bomb(zipPath, `its entry "${e.fileName}" expands ${Math.round(ratio)}×`);
      total += e.uncompressedSize;
      if (!e.fileName.endsWith('/') && !e.fileName.split('/').some((p) => p.startsWith('.') || p === '__MACOSX')) {
        out.push({ name: e.fileName, size: e.uncompressedSize, crc32: e.crc32 });
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('ZIP_CORRUPT', `cannot read the zip ${zipPath}: ${(error as Error).message}`);
  } finally {
    zip.close();
  }
  const ratio = archiveBombRatio(total, (await stat(zipPath)).size);
  if (ratio !== null) throw bomb(zipPath, `it unpacks to ${Math.round(ratio)}× its size`);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function bomb(zipPath: string, why: string): AppError {
  return new AppError('ZIP_RATIO_TOO_HIGH', `the zip ${zipPath} was refused: ${why}, the mark of a zip bomb — unpack it yourself if you trust it and give the folder instead`);
}

/** The entry's name as a relative output path; unsafe names (refused when processed) are flattened. */
export function safeEntryRel(name: string): string {
  return yauzl.validateFileName(name) ? name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'entry' : name;
}

/** Extracts one entry into `destDir`, returning the extracted file's path. */
export async function extractZipEntry(zipPath: string, entryName: string, destDir: string): Promise<string> {
  const unsafe = yauzl.validateFileName(entryName);
  if (unsafe) throw new AppError('ZIP_UNSAFE_PATH', `${zipPath}: entry "${entryName}" was refused (${unsafe})`);
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== entryName) return zip.readEntry();
        if (isLink(e)) return reject(new AppError('ZIP_SYMLINK', `${zipPath}: entry "${entryName}" is a link; links are not followed`));
        if (e.uncompressedSize > MAX_ENTRY_BYTES) return reject(new AppError('ZIP_TOO_LARGE', `${zipPath}: entry "${entryName}" is larger than 512 MB`));
        const dest = join(destDir, entryName);
        void (async () => {
          await mkdir(dirname(dest), { recursive: true });
          await pipeline(await zip.openReadStreamPromise(e), createWriteStream(dest));
          resolve(dest);
        })().catch((error) => reject(new AppError('ZIP_CORRUPT', `${zipPath}: cannot extract "${entryName}": ${(error as Error).message}`)));
      });
      zip.on('end', () => reject(new AppError('NOT_FOUND', `${zipPath}: entry "${entryName}" is gone`)));
      zip.on('error', reject);
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
