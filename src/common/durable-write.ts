// The one way we replace a file: data written to a temp name and fsynced, renamed over the final
// name, then the folder fsynced — so a cancelled job, a SIGKILL or a power cut leaves either the
// old file or the new one, never half of one. No tfjs or sharp here: code that only writes
// files (batch plans and reports, the CLI's listings) stays fast to start.
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeFileSynced(path: string, data: Buffer | string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function fsyncDir(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there
  } finally {
    await handle?.close();
  }
}

/**
 * Replaces `path` atomically and durably (temp file, fsync, rename, fsync of the folder),
 * creating its folder first. The temp name `<name>.tmp-<pid>-<ms>` is what checkpoint cleanup
 * recognises as a leftover.
 */
export async function writeFileDurable(path: string, data: Buffer | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFileSynced(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDir(dirname(path));
}
