// What to do about each error code, in words a person can act on. The message from the core says
// what happened and names the file; this says the general fix.
import type { ErrorCode } from '../../src/contract/index.js';

const FIXES: Partial<Record<ErrorCode, string>> = {
  INVALID_ARGUMENT: 'Check the values you entered and try again.',
  NOT_FOUND: 'It may have been deleted or moved — refresh the list.',
  ALREADY_EXISTS: 'Pick another name.',
  PATH_NOT_ALLOWED: 'Choose a location inside your workspace or one you opened in this session.',
  UNAUTHORIZED: 'Open the login link printed by `gan-studio serve` again.',
  PAYLOAD_TOO_LARGE: 'Split the upload into smaller parts, or import from the server machine with the CLI.',
  EMPTY_FILE: 'Remove the empty file and import again.',
  UNSUPPORTED_FORMAT: 'Convert it to PNG, JPEG or WebP.',
  CORRUPT_IMAGE: 'Re-export the image from its source; it cannot be decoded.',
  IMAGE_TOO_LARGE: 'Resize it below the pixel limit before importing.',
  UNREADABLE_FILE: 'Check the file permissions.',
  SYMLINK_NOT_FOLLOWED: 'Copy the real file into the folder instead of a link.',
  DUPLICATE_IMAGE: 'Nothing to do: the first copy was kept.',
  ZIP_UNSAFE_PATH: 'The archive tries to write outside its folder. Re-create it from a plain folder.',
  ZIP_SYMLINK: 'Re-create the archive without symbolic links.',
  ZIP_TOO_MANY_ENTRIES: 'Split the archive into smaller ones.',
  ZIP_TOO_LARGE: 'Unpack it yourself and drop the folder instead.',
  ZIP_RATIO_TOO_HIGH: 'This looks like a zip bomb; unpack it yourself if you trust it.',
  ZIP_CORRUPT: 'Download or re-create the archive.',
  DISK_FULL: 'Free space in System → Storage (empty the trash, clear the cache) and retry.',
  OUT_OF_MEMORY: 'Use a smaller batch, preset or tile size.',
  BACKEND_UNAVAILABLE: 'Choose another backend in Advanced settings, or use auto.',
  CONFIG_MISMATCH: 'Start a new run: the settings differ from the checkpoint.',
  CHECKPOINT_CORRUPT: 'Resume from an earlier checkpoint.',
  CHECKPOINT_WRITE_FAILED: 'Check free disk space and permissions, then resume.',
  RUN_LOCKED: 'Another job is using this run; wait for it or stop it first.',
  MODEL_INVALID: 'Import a TF.js layers-model folder (model.json plus its weight shards).',
  JOB_STATE: 'The job is not in a state that allows this; refresh and try again.',
  CANCELLED: 'You stopped it; start it again when ready.',
  ENGINE_CRASHED: 'Resume the run: it continues from the last checkpoint.',
  INTERNAL: 'Copy the diagnostics from the run page and report it.',
};

export function fixFor(code: ErrorCode): string | undefined {
  return FIXES[code];
}
