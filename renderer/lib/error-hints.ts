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
  ZIP_UNSAFE_PATH: 'Re-create the archive from a plain folder (its entry names point outside it).',
  ZIP_SYMLINK: 'Put the real files in the archive instead of links.',
  ZIP_TOO_MANY_ENTRIES: 'Split it into smaller zips, or drop the unpacked folder.',
  ZIP_TOO_LARGE: 'Split it into smaller zips, or drop the unpacked folder.',
  ZIP_RATIO_TOO_HIGH: 'If you trust where it came from, unpack it yourself and drop the folder.',
  ZIP_CORRUPT: 'Re-download or re-create the archive.',
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

/**
 * Splits a core message into what happened and what to do. Core messages often end in their own
 * specific fix after a dash ("… over the limit — split it …"); that one wins over the general
 * hint, so the advice reads once instead of twice in different words.
 */
export function explain(code: ErrorCode, message: string): { what: string; fix: string | undefined } {
  const at = message.lastIndexOf(' — ');
  if (at > 0) {
    // the CLI's flag means nothing in the window: the import flow offers a button instead
    const fix = message.slice(at + 3).replace(/\s*\(--accept-partial\)/, '').trim();
    return { what: message.slice(0, at).trim(), fix: fix ? `${fix[0]!.toUpperCase()}${fix.slice(1)}${/[.!?]$/.test(fix) ? '' : '.'}` : FIXES[code] };
  }
  return { what: message, fix: FIXES[code] };
}
