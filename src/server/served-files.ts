// Which workspace files a UI may fetch: the one rule behind the server's /files/ and
// /api/download and Electron's app://workspace/. The UI shows pictures (gallery items, run
// samples, dataset images and thumbnails, uploaded inputs) and downloads exports; nothing else
// is ever served. In particular never catalog.sqlite or its -wal/-shm (a read of the database
// file in the serving process drops that process's own SQLite locks — POSIX locks are per
// process — and corrupts the catalog), lock files, checkpoints, logs or job plans.
import { realpath } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { AppError } from '../contract/errors.js';
import { checkRelativePath, checkUrlPath, resolveContainedFile, type ResolveOptions } from './safe-path.js';

const PICTURE = /\.(png|jpe?g|webp|gif|avif)$/i;
/** half-written outputs (write-file-atomic, batch runner, zip writer) are not files yet */
const PARTIAL = /\.(partial|part)-/;

/** Why a workspace-relative path (clean segments) is not served, or null when it is. */
export function whyNotServed(segments: readonly string[]): string | null {
  if (segments.length === 0) return 'no file named';
  if (segments.some((s) => s.startsWith('.'))) return 'hidden and lock files are never served';
  const name = segments[segments.length - 1]!;
  if (PARTIAL.test(name)) return 'the file is still being written';
  const [area, id, sub] = segments;
  const picture = PICTURE.test(name);
  switch (area) {
    case 'gallery':
      return segments.length >= 2 && picture ? null : 'only pictures are served from the gallery';
    case 'runs':
      return segments.length === 4 && sub === 'samples' && picture ? null : "only a run's sample pictures are served";
    case 'datasets':
      if (segments.length === 3 && name === 'mosaic.png') return null;
      return segments.length === 4 && (sub === 'images' || sub === 'thumbs') && picture ? null : "only a dataset's images and thumbnails are served";
    case 'staging':
      return segments.length >= 4 && id === 'uploads' && picture ? null : 'only uploaded pictures are served from staging';
    case 'exports':
      return segments.length >= 2 ? null : 'name a file inside exports';
    default:
      return 'only gallery pictures, run samples, dataset images and exports are served';
  }
}

function refused(shown: string, why: string): AppError {
  return new AppError('PATH_NOT_ALLOWED', `refused "${shown.slice(0, 200)}": ${why}`);
}

/**
 * Resolves a (URL-encoded unless `decoded`) workspace-relative path to the real file, refusing
 * whatever the UI has no business reading — judged on the path as asked AND on where it really
 * leads, so a link inside the workspace cannot reach the catalog either.
 */
export async function resolveServedWorkspaceFile(root: string, rawPath: string, options: ResolveOptions = {}): Promise<string> {
  const asked = options.decoded ? checkRelativePath(rawPath) : checkUrlPath(rawPath);
  if (asked.ok) {
    const why = whyNotServed(asked.segments);
    if (why) throw refused(asked.segments.join('/'), why);
  }
  const file = await resolveContainedFile(root, rawPath, { ...options, allowRoot: false });
  const real = relative(await realpath(root), file).split(sep);
  const why = whyNotServed(real);
  if (why) throw refused(asked.ok ? asked.segments.join('/') : rawPath, `it leads to ${real.join('/')}: ${why}`);
  return file;
}
