// One resolver for every "give me the file at this URL path" request: the server's /files/ and
// /api/download, and Electron's app://studio/ and app://workspace/ protocols. It refuses the
// traversal spellings attackers use (`../`, `%2e%2e`, encoded slashes, backslashes, NUL, drive
// letters) before touching the disk, then follows symlinks and checks the REAL path is still
// inside the root, so a link that points outside is refused too.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { AppError } from '../contract/errors.js';

/** Why a raw URL path was refused, or the clean segments it names. */
export type PathDecision = { ok: true; segments: string[] } | { ok: false; reason: string };

// Encoded separators and NUL are refused while still encoded: after decoding they would be
// indistinguishable from real separators, which is exactly how `..%2f` tricks work.
const ENCODED_FORBIDDEN = /%(2f|5c|00)/i;

/**
 * Checks a raw (still percent-encoded) URL path relative to a root, e.g. `images/a%20b.png`.
 * Pure: no disk access. Empty segments (`a//b`, a leading `/`) are ignored.
 */
export function checkUrlPath(rawPath: string): PathDecision {
  if (ENCODED_FORBIDDEN.test(rawPath)) return { ok: false, reason: 'encoded slash, backslash or NUL' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, reason: 'malformed percent-encoding' };
  }
  return checkRelativePath(decoded);
}

/** The same checks on an already-decoded relative path (upload names, workspace-relative ids). */
export function checkRelativePath(decoded: string): PathDecision {
  if (decoded.includes('\0')) return { ok: false, reason: 'NUL in path' };
  if (decoded.includes('\\')) return { ok: false, reason: 'backslash in path' };
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return { ok: false, reason: 'control character in path' };
  const segments = decoded.split('/').filter((s) => s !== '');
  for (const s of segments) {
    if (s === '..' || s === '.') return { ok: false, reason: `"${s}" segment` };
    // `C:` would make path.join on Windows leave the root; no legitimate workspace name has one.
    if (s.includes(':')) return { ok: false, reason: 'colon in path segment' };
  }
  return { ok: true, segments };
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

export interface ResolveOptions {
  /** the path is already decoded (not a URL path) */
  decoded?: boolean;
  /** allow the root itself (an empty path); off by default */
  allowRoot?: boolean;
}

/**
 * Resolves `rawPath` inside `root` to the real path of an existing regular file (or the root
 * directory when allowRoot). Throws PATH_NOT_ALLOWED for anything outside, NOT_FOUND when missing.
 */
export async function resolveContainedFile(root: string, rawPath: string, options: ResolveOptions = {}): Promise<string> {
  const decision = options.decoded ? checkRelativePath(rawPath) : checkUrlPath(rawPath);
  if (!decision.ok) throw new AppError('PATH_NOT_ALLOWED', `refused path "${rawPath}": ${decision.reason}`);
  if (decision.segments.length === 0 && !options.allowRoot) throw new AppError('NOT_FOUND', 'no file named');
  const candidate = join(root, ...decision.segments);
  if (!inside(root, candidate)) throw new AppError('PATH_NOT_ALLOWED', `refused path "${rawPath}": outside the served folder`);
  let realRoot: string;
  let realTarget: string;
  try {
    realRoot = await realpath(root);
    realTarget = await realpath(candidate);
  } catch {
    throw new AppError('NOT_FOUND', `no such file: ${decision.segments.join('/')}`);
  }
  if (!inside(realRoot, realTarget)) {
    throw new AppError('PATH_NOT_ALLOWED', `refused path "${rawPath}": a link that points outside the served folder`);
  }
  const info = await stat(realTarget);
  if (!info.isFile() && !(options.allowRoot && realTarget === realRoot)) {
    throw new AppError('NOT_FOUND', `not a file: ${decision.segments.join('/')}`);
  }
  return realTarget;
}

/** True when `target` (absolute) lies inside `root` after both are resolved through symlinks. */
export async function isInsideReal(root: string, target: string): Promise<boolean> {
  try {
    const [r, t] = await Promise.all([realpath(root), realpathOfExistingPrefix(target)]);
    return inside(r, t);
  } catch {
    return false;
  }
}

/** realpath of the longest existing prefix, with the missing tail appended (for outputs not yet made). */
async function realpathOfExistingPrefix(target: string): Promise<string> {
  const tail: string[] = [];
  let current = target;
  for (;;) {
    try {
      return join(await realpath(current), ...tail.reverse());
    } catch {
      const parent = join(current, '..');
      if (parent === current) throw new Error('no existing prefix');
      tail.push(relative(parent, current));
      current = parent;
    }
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.zip': 'application/zip',
  '.bin': 'application/octet-stream',
};

export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf('.');
  const ext = dot >= 0 ? path.slice(dot).toLowerCase() : '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}
