// Browser drag-and-drop uploads: one file per request, streamed (never buffered) into
// <workspace>/staging/uploads/<upload-id>/<relative name>, capped, then handed to the same
// handlers a local import uses — so uploaded files get exactly the same validation.
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../contract/errors.js';
import { checkRelativePath } from './safe-path.js';

export function uploadsRoot(workspaceRoot: string): string {
  return join(workspaceRoot, 'staging', 'uploads');
}

/**
 * Upload folders are copied into datasets by the import they feed; leftovers (abandoned drops,
 * imports that failed) are removed after a day so staging does not grow without bound.
 */
export async function pruneUploads(workspaceRoot: string, maxAgeMs = 24 * 3600_000, now = Date.now()): Promise<number> {
  const dir = uploadsRoot(workspaceRoot);
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    try {
      const info = await stat(join(dir, name));
      if (now - info.mtimeMs > maxAgeMs) {
        await rm(join(dir, name), { recursive: true, force: true });
        removed++;
      }
    } catch {
      // raced with another cleaner: fine
    }
  }
  return removed;
}

const UPLOAD_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Thrown (as a plain marker) when a body passes the cap: the caller answers 413. */
export class TooLargeError extends Error {}

class ByteCap extends Transform {
  seen = 0;
  constructor(private readonly cap: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.cap) done(new TooLargeError(`upload exceeds ${this.cap} bytes`));
    else done(null, chunk);
  }
}

/** Parses and checks the x-file-name header (a percent-encoded relative name such as `cats/a.png`). */
export function uploadTarget(workspaceRoot: string, fileNameHeader: string | undefined, uploadIdHeader: string | undefined) {
  if (!fileNameHeader) throw new AppError('INVALID_ARGUMENT', 'upload: the x-file-name header is missing');
  let name: string;
  try {
    name = decodeURIComponent(fileNameHeader);
  } catch {
    throw new AppError('INVALID_ARGUMENT', 'upload: x-file-name is not valid percent-encoding (use encodeURIComponent)');
  }
  const decision = checkRelativePath(name);
  if (!decision.ok) throw new AppError('PATH_NOT_ALLOWED', `upload: refused file name "${name}": ${decision.reason}`);
  if (decision.segments.length === 0 || decision.segments.length > 32 || decision.segments.some((s) => Buffer.byteLength(s) > 255)) {
    throw new AppError('INVALID_ARGUMENT', `upload: file name "${name}" is empty, too deep or too long`);
  }
  const uploadId = uploadIdHeader ?? `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
  if (!UPLOAD_ID.test(uploadId)) throw new AppError('INVALID_ARGUMENT', 'upload: x-upload-id uses letters, digits, _ and - only (at most 64)');
  const root = join(uploadsRoot(workspaceRoot), uploadId);
  return { uploadId, root, file: join(root, ...decision.segments) };
}

export interface UploadResult {
  /** the stored file: a server-side path the handlers accept (e.g. datasets:import paths) */
  path: string;
  /** the folder holding every file of this upload id (import it to keep sub-folders) */
  root: string;
  uploadId: string;
  bytes: number;
}

/** Streams the request body to its staging path. Throws TooLargeError past `capBytes`. */
export async function receiveUpload(req: IncomingMessage, workspaceRoot: string, capBytes: number): Promise<UploadResult> {
  const target = uploadTarget(workspaceRoot, header(req, 'x-file-name'), header(req, 'x-upload-id'));
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > capBytes) throw new TooLargeError(`upload of ${declared} bytes exceeds ${capBytes}`);
  await mkdir(dirname(target.file), { recursive: true });
  if (Number.isFinite(declared)) {
    const fs = await statfs(dirname(target.file));
    const free = fs.bavail * fs.bsize;
    if (free < declared + 64 * 1024 * 1024) {
      throw new AppError('DISK_FULL', `upload: ${declared} bytes will not fit in ${dirname(target.file)} (${free} bytes free); free some space or clean up with \`gan-studio datasets delete\``);
    }
  }
  const partial = `${target.file}.part-${randomBytes(4).toString('hex')}`;
  const cap = new ByteCap(capBytes);
  try {
    await pipeline(req, cap, createWriteStream(partial, { flags: 'wx' }));
    await rename(partial, target.file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { path: target.file, root: target.root, uploadId: target.uploadId, bytes: cap.seen };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
