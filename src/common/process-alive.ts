// Is the process that wrote a lock, owns a job or runs an import still there? Signal 0 answers
// "the pid exists", which stays true for a zombie: a process killed (kill -9) but not yet reaped
// by its parent. A resume right after killing an engine met exactly that and was refused with
// RUN_LOCKED naming the dead engine, so on Linux the process state is read as well.
import { readFileSync } from 'node:fs';

/** True while `pid` names a running process (one of another user counts; a zombie does not). */
export function isProcessAlive(pid: number): boolean {
  // 0 and negative pids address process groups: kill(0, 0) would always "succeed"
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

/** Linux: /proc/PID/stat's state field is Z (zombie) or X (dead). Elsewhere signal 0 must do. */
function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // "pid (comm) S ...": comm may hold spaces and parentheses, so read after the last ')'
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false; // gone between the signal and the read, or no /proc: trust the signal
  }
}
