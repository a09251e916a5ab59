// Job rows in the workspace catalog, plus what the job layer keeps in a job's payload: the
// engine task and its frozen input, and the host process that owns the job (so a restart can
// tell a job whose process died from one another live process is running).
import { hostname } from 'node:os';
import type { Catalog } from '../workspace/catalog.js';
import { getJob, type JobRecord } from '../workspace/jobs-repo.js';
import { isProcessAlive } from '../common/process-alive.js';

export interface JobPayload {
  /** engine task name, or null for light jobs run in the host */
  task: string | null;
  input: Record<string, unknown>;
  pausable: boolean;
  owner: { pid: number; hostname: string };
}

export function payloadOf(job: JobRecord): JobPayload {
  const p = job.payload as Partial<JobPayload>;
  return { task: p.task ?? null, input: p.input ?? {}, pausable: p.pausable ?? false, owner: p.owner ?? { pid: 0, hostname: '' } };
}

export function currentOwner(): JobPayload['owner'] {
  return { pid: process.pid, hostname: hostname() };
}

/** True when the process that owns `job` is (as far as we can tell) still running. */
export function ownerAlive(job: JobRecord): boolean {
  const { owner } = payloadOf(job);
  if (!owner.pid) return false;
  if (owner.hostname !== hostname()) return true; // another machine sharing the folder: assume alive
  return isProcessAlive(owner.pid);
}

export function isMine(job: JobRecord): boolean {
  const { owner } = payloadOf(job);
  return owner.pid === process.pid && owner.hostname === hostname();
}

export function setPayload(cat: Catalog, id: string, payload: JobPayload): JobRecord | null {
  cat.db.prepare(`UPDATE jobs SET payload = ? WHERE id = ?`).run(JSON.stringify(payload), id);
  return getJob(cat, id);
}
