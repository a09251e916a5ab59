// One writer per run folder: an exclusive lock file created with O_EXCL holding the owner's pid
// and hostname. A lock whose process is gone (same host, pid dead) is stale and taken over; any
// other lock is refused with RUN_LOCKED, so a second engine never touches a run another holds.
import { openSync, writeSync, closeSync, readFileSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../common/process-alive.js';
import { AppError } from '../contract/errors.js';

export const LOCK_FILE = '.lock';

export interface LockOwner {
  pid: number;
  hostname: string;
  since: number;
  purpose: string;
}

export interface HeldLock {
  path: string;
  owner: LockOwner;
  release(): void;
}

export function readLock(dir: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/** True when the lock exists and its owner may still be running. */
export function isLocked(dir: string): LockOwner | null {
  const owner = readLock(dir);
  if (!owner) return null;
  if (owner.hostname === hostname() && !isProcessAlive(owner.pid)) return null;
  return owner;
}

export function acquireLock(dir: string, purpose: string): HeldLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), since: Date.now(), purpose };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, JSON.stringify(owner));
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        path,
        owner,
        release() {
          if (released) return;
          released = true;
          const current = readLock(dir);
          if (current && current.pid === owner.pid && current.since === owner.since) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(dir);
      if (holder && holder.pid === process.pid && holder.hostname === owner.hostname) {
        throw new AppError('RUN_LOCKED', `${dir} is already open in this process (${holder.purpose}); wait for that job to stop`);
      }
      if (holder && (holder.hostname !== owner.hostname || isProcessAlive(holder.pid))) {
        throw new AppError('RUN_LOCKED', `${dir} is in use by another gan-studio engine (pid ${holder.pid} on ${holder.hostname}, ${holder.purpose}); stop that job first, or delete ${path} if that process is gone`);
      }
      if (!holder && isFresh(path)) {
        // another process is between creating and writing its lock
        throw new AppError('RUN_LOCKED', `${dir} is being opened by another gan-studio engine; try again in a moment`);
      }
      // stale (owner dead) or an old unreadable lock: remove and retry
      rmSync(path, { force: true });
    }
  }
  throw new AppError('RUN_LOCKED', `could not lock ${dir}; delete ${path} if no gan-studio process is using it`);
}

function isFresh(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 2000;
  } catch {
    return false;
  }
}
