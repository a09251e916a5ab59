// Durable writes for runs and checkpoints (the one implementation lives in common/) and the
// error a failed save becomes.
import { AppError } from '../contract/errors.js';

export { fsyncDir, writeFileDurable, writeFileSynced } from '../common/durable-write.js';

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
