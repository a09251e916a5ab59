// Collects what the user dropped: files, whole folders (walked with the entries API so sub-folders
// keep their relative paths) and zips (kept as files; the server unpacks them safely).
import type { DroppedFile } from './api.js';

interface FsEntry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?: (ok: (f: File) => void, fail: (e: unknown) => void) => void;
  createReader?: () => { readEntries: (ok: (entries: FsEntry[]) => void, fail: (e: unknown) => void) => void };
}

async function walk(entry: FsEntry, prefix: string, out: DroppedFile[]): Promise<void> {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((resolve, reject) => entry.file!(resolve, reject));
    out.push({ file, relativePath: prefix + entry.name });
  } else if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries returns at most ~100 entries per call: keep reading until it returns none.
    for (;;) {
      const batch = await new Promise<FsEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out);
    }
  }
}

export async function collectDropped(dt: DataTransfer): Promise<{ files: DroppedFile[]; topLevel: File[] }> {
  const topLevel = Array.from(dt.files ?? []);
  const entries: FsEntry[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    const getEntry = (item as DataTransferItem & { webkitGetAsEntry?: () => FsEntry | null }).webkitGetAsEntry;
    const entry = item.kind === 'file' && typeof getEntry === 'function' ? getEntry.call(item) : null;
    if (entry) entries.push(entry);
  }
  if (entries.length === 0) {
    return { files: topLevel.map((file) => ({ file, relativePath: file.name })), topLevel };
  }
  const files: DroppedFile[] = [];
  for (const entry of entries) await walk(entry, '', files);
  return { files, topLevel };
}

/** Files from an <input type=file> (with webkitdirectory the browser supplies relative paths). */
export function filesFromInput(list: FileList | null): DroppedFile[] {
  return Array.from(list ?? []).map((file) => ({
    file,
    relativePath: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
  }));
}
