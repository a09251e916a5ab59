// Queries on jobs and batch items. The job layer (src/jobs/) owns the state machine; this file
// only persists it, so a restart can list what was running (and mark it interrupted).
import type { JobSummary } from '../contract/jobs.js';
import type { JobKind, JobState, Progress } from '../contract/events.js';
import type { BatchItemReport } from '../contract/batch.js';
import type { ErrorCode } from '../contract/errors.js';
import { fromJson, toJson, one, type Catalog } from './catalog.js';

interface JobRow {
  id: string;
  kind: JobKind;
  title: string;
  state: JobState;
  payload: string;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  progress: string | null;
  run_id: string | null;
  errors: number;
  error: string | null;
  position: number | null;
  result: string | null;
}

export interface JobRecord extends JobSummary {
  payload: Record<string, unknown>;
}

function toJob(r: JobRow): JobRecord {
  return {
    id: r.id, kind: r.kind, title: r.title, state: r.state, createdAt: r.created_at, startedAt: r.started_at, endedAt: r.ended_at,
    progress: fromJson<Progress | null>(r.progress, null), runId: r.run_id, errors: r.errors,
    error: fromJson<{ code: ErrorCode; message: string } | null>(r.error, null), position: r.position,
    result: fromJson<Record<string, unknown> | null>(r.result, null), payload: fromJson<Record<string, unknown>>(r.payload, {}),
  };
}

export function insertJob(cat: Catalog, j: { id: string; kind: JobKind; title: string; payload: Record<string, unknown>; runId?: string | null; position?: number | null; state?: JobState }): JobRecord {
  cat.db.prepare(`INSERT INTO jobs (id, kind, title, state, payload, created_at, run_id, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(j.id, j.kind, j.title, j.state ?? 'queued', toJson(j.payload) ?? '{}', Date.now(), j.runId ?? null, j.position ?? null);
  return getJob(cat, j.id)!;
}

export function getJob(cat: Catalog, id: string): JobRecord | null {
  const row = one<JobRow>(cat.db, `SELECT * FROM jobs WHERE id = ?`, id);
  return row ? toJob(row) : null;
}

/** Every job, newest first; or only those in the given states. */
export function listJobs(cat: Catalog, states?: readonly JobState[]): JobRecord[] {
  const rows = (states && states.length
    ? cat.db.prepare(`SELECT * FROM jobs WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY created_at DESC, id`).all(...states)
    : cat.db.prepare(`SELECT * FROM jobs ORDER BY created_at DESC, id`).all()) as JobRow[];
  return rows.map(toJob);
}

export interface JobPatch {
  state?: JobState;
  startedAt?: number | null;
  endedAt?: number | null;
  progress?: Progress | null;
  errors?: number;
  error?: { code: ErrorCode; message: string } | null;
  position?: number | null;
  result?: Record<string, unknown> | null;
  title?: string;
}

const JOB_COLUMNS: Record<keyof JobPatch, string> = {
  state: 'state', startedAt: 'started_at', endedAt: 'ended_at', progress: 'progress', errors: 'errors', error: 'error',
  position: 'position', result: 'result', title: 'title',
};
const JSON_FIELDS = new Set<keyof JobPatch>(['progress', 'error', 'result']);

export function updateJob(cat: Catalog, id: string, patch: JobPatch): boolean {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(patch) as Array<[keyof JobPatch, unknown]>) {
    if (value === undefined) continue;
    sets.push(`${JOB_COLUMNS[key]} = ?`);
    values.push(JSON_FIELDS.has(key) ? toJson(value) : value);
  }
  if (!sets.length) return getJob(cat, id) !== null;
  return cat.db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id).changes > 0;
}

export function deleteJob(cat: Catalog, id: string): boolean {
  return cat.db.prepare(`DELETE FROM jobs WHERE id = ?`).run(id).changes > 0;
}

export function insertBatchItems(cat: Catalog, jobId: string, firstSeq: number, items: BatchItemReport[]): void {
  const stmt = cat.db.prepare(`INSERT OR REPLACE INTO batch_items (job_id, seq, input, output, status, code, message, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  cat.transaction(() => {
    items.forEach((it, i) => stmt.run(jobId, firstSeq + i, it.input, it.output, it.status, it.code ?? null, it.message ?? null, it.ms ?? null));
  });
}

export function batchItems(cat: Catalog, jobId: string): BatchItemReport[] {
  const rows = cat.db.prepare(`SELECT * FROM batch_items WHERE job_id = ? ORDER BY seq`).all(jobId) as Array<{
    input: string; output: string | null; status: BatchItemReport['status']; code: string | null; message: string | null; ms: number | null;
  }>;
  return rows.map((r) => ({
    input: r.input, output: r.output, status: r.status,
    ...(r.code ? { code: r.code } : {}), ...(r.message ? { message: r.message } : {}), ...(r.ms != null ? { ms: r.ms } : {}),
  }));
}

// ---- control requests (job_requests): a non-owner asks, the owning process applies ----

export type JobAction = 'pause' | 'resume' | 'cancel' | 'reorder';
export type RequestOutcome = { ok: true } | { code: ErrorCode; message: string };

export interface JobRequest {
  id: number;
  jobId: string;
  action: JobAction;
  position: number | null;
  requestedBy: { pid: number; hostname: string };
  requestedAt: number;
  handledAt: number | null;
  outcome: RequestOutcome | null;
}

interface JobRequestRow {
  id: number; job_id: string; action: JobAction; position: number | null; requested_by: string;
  requested_at: number; handled_at: number | null; outcome: string | null;
}

function toRequest(r: JobRequestRow): JobRequest {
  return {
    id: Number(r.id), jobId: r.job_id, action: r.action, position: r.position, requestedBy: fromJson(r.requested_by, { pid: 0, hostname: '' }),
    requestedAt: r.requested_at, handledAt: r.handled_at, outcome: fromJson<RequestOutcome | null>(r.outcome, null),
  };
}

export function insertJobRequest(cat: Catalog, r: { jobId: string; action: JobAction; position?: number | null; requestedBy: { pid: number; hostname: string } }): JobRequest {
  const info = cat.db.prepare(`INSERT INTO job_requests (job_id, action, position, requested_by, requested_at) VALUES (?, ?, ?, ?, ?)`)
    .run(r.jobId, r.action, r.position ?? null, JSON.stringify(r.requestedBy), Date.now());
  return getJobRequest(cat, Number(info.lastInsertRowid))!;
}

export function getJobRequest(cat: Catalog, id: number): JobRequest | null {
  const row = one<JobRequestRow>(cat.db, `SELECT * FROM job_requests WHERE id = ?`, id);
  return row ? toRequest(row) : null;
}

/** Pending requests for jobs whose payload names this owner, oldest first (the owner's poll). */
export function pendingRequestsFor(cat: Catalog, owner: { pid: number; hostname: string }): JobRequest[] {
  const rows = cat.stmt(`SELECT r.* FROM job_requests r JOIN jobs j ON j.id = r.job_id
    WHERE r.handled_at IS NULL AND json_extract(j.payload, '$.owner.pid') = ? AND json_extract(j.payload, '$.owner.hostname') = ?
    ORDER BY r.id`).all(owner.pid, owner.hostname) as JobRequestRow[];
  return rows.map(toRequest);
}

/**
 * Takes a pending request (the owner, before applying it) or withdraws it (a requester that gave
 * up, with `outcome`). Only one side wins: false when the request was no longer pending.
 */
export function claimJobRequest(cat: Catalog, id: number, outcome: RequestOutcome | null = null): boolean {
  return cat.db.prepare(`UPDATE job_requests SET handled_at = ?, outcome = ? WHERE id = ? AND handled_at IS NULL`)
    .run(Date.now(), outcome ? JSON.stringify(outcome) : null, id).changes > 0;
}

/** The owner's answer to a request it claimed. */
export function setRequestOutcome(cat: Catalog, id: number, outcome: RequestOutcome): void {
  cat.db.prepare(`UPDATE job_requests SET outcome = ? WHERE id = ?`).run(JSON.stringify(outcome), id);
}

/** Closes a job's pending requests unapplied (it changed owner: they were meant for the old one). */
export function withdrawPendingRequests(cat: Catalog, jobId: string, message: string): number {
  return cat.db.prepare(`UPDATE job_requests SET handled_at = ?, outcome = ? WHERE job_id = ? AND handled_at IS NULL`)
    .run(Date.now(), JSON.stringify({ code: 'JOB_STATE', message }), jobId).changes;
}

/** Forgets answered requests older than `ms` (nobody waits that long). */
export function pruneJobRequests(cat: Catalog, olderThanMs: number): void {
  cat.db.prepare(`DELETE FROM job_requests WHERE handled_at IS NOT NULL AND handled_at < ?`).run(Date.now() - olderThanMs);
}

/** How many unfinished jobs this owner holds (the owner polls only while it has some). */
export function countOwnedUnfinished(cat: Catalog, owner: { pid: number; hostname: string }): number {
  const row = cat.stmt(`SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running', 'paused')
    AND json_extract(payload, '$.owner.pid') = ? AND json_extract(payload, '$.owner.hostname') = ?`).all(owner.pid, owner.hostname)[0] as { n: number } | undefined;
  return Number(row?.n ?? 0);
}
