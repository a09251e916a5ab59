// Durable file writes: data is fsynced before the rename that publishes it, and the folder is
// fsynced after, so a power cut or SIGKILL leaves either the old state or the new, never half.
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../contract/errors.js';

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

/** Replaces `path` atomically: temp file, fsync, rename, fsync of the folder. */
export async function writeFileDurable(path: string, data: Buffer | string): Promise<void> {
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

/** Turns an fs failure during a save into the error the user sees. */
export function writeFailure(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('DISK_FULL', `the disk is full while writing ${what}; free some space, then resume the run (${detail})`, { cause: error });
  }
  const hint = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'check that the run folder is writable' : 'check the run folder and the disk';
  return new AppError('CHECKPOINT_WRITE_FAILED', `could not write ${what}: ${detail}; ${hint}, then resume the run`, { cause: error });
}
