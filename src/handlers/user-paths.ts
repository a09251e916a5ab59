// Paths a client names (server mode: `serve --allow DIR`). A path is judged by where it REALLY
// leads, never by its spelling: the deepest part that exists is resolved through every link, and
// a missing tail (an output folder still to be made) is created one component at a time without
// following links, then resolved and checked again. So `A/lnk/out`, with `A/lnk` a link to a
// folder outside A, is refused before anything is written, and a link planted in the tail while
// we create it is refused too.
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AppError } from '../contract/errors.js';

/**
 * What the path is for: `read` (an input that must exist), `dir` (an output folder, created here
 * when missing) or `file` (an output file: its folder is created here, the file is not).
 */
export type UserPathUse = 'read' | 'dir' | 'file';

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function refuse(path: string, why = 'is outside the folders this server may use'): AppError {
  return new AppError('PATH_NOT_ALLOWED', `${path} ${why}; upload the files, or start the server with --allow DIR`);
}

async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The real path `abs` leads to: realpath of its deepest existing ancestor plus the missing tail.
 * An existing component that cannot be resolved (a dangling link, a loop) is refused: writing
 * through a dangling link would create its target wherever it points.
 */
export async function realPathOf(abs: string, shown = abs): Promise<{ real: string; existing: string; missing: string[] }> {
  const missing: string[] = [];
  let current = abs;
  for (;;) {
    if (await lstatOrNull(current)) {
      try {
        const existing = await realpath(current);
        return { real: join(existing, ...missing), existing, missing };
      } catch {
        throw refuse(shown, 'passes through a link that leads nowhere');
      }
    }
    const parent = dirname(current);
    if (parent === current) return { real: abs, existing: parent, missing };
    missing.unshift(basename(current));
    current = parent;
  }
}

async function realRoots(allow: string[]): Promise<string[]> {
  return Promise.all(allow.map(async (root) => (await realPathOf(resolve(root))).real));
}

/**
 * Resolves a client path. Without an allow-list (the desktop app, the CLI) it is the user's own
 * choice and only made absolute. With one, the returned path is the real one (no links left in
 * the part that exists), inside an allowed root; outputs get their folders made here, safely.
 */
export async function checkUserPath(path: string, allow: string[] | undefined, use: UserPathUse = 'read'): Promise<string> {
  const abs = resolve(path);
  if (!allow) return abs;
  if (!isAbsolute(path)) throw new AppError('PATH_NOT_ALLOWED', `"${path}" is not an absolute path on this machine`);
  const roots = await realRoots(allow);
  const { real, existing, missing } = await realPathOf(abs, path);
  if (!roots.some((root) => inside(root, real))) throw refuse(path);
  const folderTail = use === 'dir' ? missing : use === 'file' ? missing.slice(0, -1) : [];
  if (folderTail.length === 0) return real;
  // create the missing folders one by one: mkdir never follows a link at its own name, and a
  // component that appeared meanwhile must be a real folder, not a link
  let current = existing;
  for (const name of folderTail) {
    current = join(current, name);
    try {
      await mkdir(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const st = await lstat(current);
      if (!st.isDirectory()) throw refuse(path, st.isSymbolicLink() ? 'passes through a link' : 'passes through a file, not a folder');
    }
  }
  // and again: what was made must still really lie where it was judged to be
  const made = await realpath(current);
  if (made !== current || !roots.some((root) => inside(root, made))) throw refuse(path, 'changed while its folders were made');
  return real;
}
