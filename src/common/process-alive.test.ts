// Issue #27: resuming within ~1.3 s of a kill -9 failed with RUN_LOCKED naming the dead engine,
// because a killed process that its parent has not reaped yet (a zombie) answers signal 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock, isLocked, LOCK_FILE } from '../jobs/run-lock.js';
import { isProcessAlive } from './process-alive.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-alive-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * A zombie: `sh` starts a short `sleep` in the background, prints its pid and execs into a
 * longer sleep that never waits for it, so the short one stays unreaped after it ends.
 */
async function zombie(): Promise<{ pid: number; stop: () => void }> {
  const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 20'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  await new Promise((r) => setTimeout(r, 400));
  return { pid, stop: () => parent.kill('SIGKILL') };
}

describe('isProcessAlive', () => {
  it('is true for this process and false for pids that cannot be a running process', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(0)).toBe(false); // kill(0, 0) signals our own group: never "alive"
    expect(isProcessAlive(-1)).toBe(false);
    expect(isProcessAlive(2 ** 22 + 12345)).toBe(false);
  });

  // /proc is how a zombie is told apart; other platforms trust signal 0 alone
  it.skipIf(process.platform !== 'linux')('treats a killed but unreaped process (a zombie) as dead, so its run lock is taken over', async () => {
    const z = await zombie();
    try {
      expect(process.kill(z.pid, 0)).toBe(true); // the pid still answers: what fooled the old check
      expect(isProcessAlive(z.pid)).toBe(false);
      const runDir = join(dir, 'run');
      await rm(runDir, { recursive: true, force: true });
      const held = acquireLock(runDir, 'probe');
      held.release();
      await writeFile(join(runDir, LOCK_FILE), JSON.stringify({ pid: z.pid, hostname: hostname(), since: Date.now() - 1000, purpose: 'train (killed)' }));
      expect(isLocked(runDir)).toBeNull();
      const lock = acquireLock(runDir, 'resume');
      expect(lock.owner.pid).toBe(process.pid);
      lock.release();
    } finally {
      z.stop();
    }
  });
});
