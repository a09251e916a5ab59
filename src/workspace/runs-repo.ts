// Queries on training runs. The run folder (<workspace>/runs/<id>/) holds the files; this table
// holds what lists and filters need.
import type { RunState, RunSummary, TrainSpec } from '../contract/runs.js';
import type { Task } from '../contract/common.js';
import { fromJson, toJson, one, type Catalog } from './catalog.js';

interface RunRow {
  id: string;
  name: string;
  notes: string;
  task: Task;
  model: string;
  state: RunState;
  spec: string;
  created_at: number;
  updated_at: number;
  step: number;
  total_steps: number;
  last_metrics: string;
  backend: string | null;
  job_id: string | null;
  trashed: number;
}

/** `bytes` is disk use, measured by the caller (diskUsage) — not stored. */
export function toRunSummary(row: RunRow, bytes = 0): RunSummary {
  return {
    id: row.id,
    name: row.name,
    notes: row.notes,
    task: row.task,
    model: row.model,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    step: row.step,
    totalSteps: row.total_steps,
    spec: fromJson<TrainSpec>(row.spec, {} as TrainSpec),
    lastMetrics: fromJson<Record<string, number>>(row.last_metrics, {}),
    backend: row.backend,
    jobId: row.job_id,
    bytes,
    trashed: row.trashed === 1,
  };
}

export function insertRun(cat: Catalog, r: { id: string; name: string; spec: TrainSpec; totalSteps: number; state?: RunState; jobId?: string | null; notes?: string }): RunSummary {
  const now = Date.now();
  cat.db.prepare(
    `INSERT INTO runs (id, name, notes, task, model, state, spec, created_at, updated_at, total_steps, job_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.id, r.name, r.notes ?? '', r.spec.task, r.spec.model, r.state ?? 'queued', toJson(r.spec), now, now, r.totalSteps, r.jobId ?? null);
  return getRun(cat, r.id)!;
}

export function getRun(cat: Catalog, id: string): RunSummary | null {
  const row = one<RunRow>(cat.db, `SELECT * FROM runs WHERE id = ?`, id);
  return row ? toRunSummary(row) : null;
}

export function listRuns(cat: Catalog, opts: { includeTrashed?: boolean } = {}): RunSummary[] {
  const rows = (opts.includeTrashed
    ? cat.db.prepare(`SELECT * FROM runs ORDER BY created_at DESC, id`).all()
    : cat.db.prepare(`SELECT * FROM runs WHERE trashed = 0 ORDER BY created_at DESC, id`).all()) as RunRow[];
  return rows.map((r) => toRunSummary(r));
}

export interface RunPatch {
  name?: string;
  notes?: string;
  state?: RunState;
  step?: number;
  totalSteps?: number;
  lastMetrics?: Record<string, number>;
  backend?: string | null;
  jobId?: string | null;
  trashed?: boolean;
}

const RUN_COLUMNS: Record<keyof RunPatch, string> = {
  name: 'name', notes: 'notes', state: 'state', step: 'step', totalSteps: 'total_steps', lastMetrics: 'last_metrics',
  backend: 'backend', jobId: 'job_id', trashed: 'trashed',
};

/** Updates the given fields (and updated_at). Returns false when the run does not exist. */
export function updateRun(cat: Catalog, id: string, patch: RunPatch): boolean {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(patch) as Array<[keyof RunPatch, unknown]>) {
    if (value === undefined) continue;
    sets.push(`${RUN_COLUMNS[key]} = ?`);
    values.push(key === 'lastMetrics' ? toJson(value) : key === 'trashed' ? (value ? 1 : 0) : value);
  }
  sets.push('updated_at = ?');
  values.push(Date.now());
  return cat.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id).changes > 0;
}

export function deleteRunRow(cat: Catalog, id: string): boolean {
  return cat.db.prepare(`DELETE FROM runs WHERE id = ?`).run(id).changes > 0;
}

/** Runs (not in the trash) with exactly this name, newest first: a name is unique only by habit. */
export function findRunsByName(cat: Catalog, name: string): RunSummary[] {
  const rows = cat.db.prepare(`SELECT * FROM runs WHERE name = ? AND trashed = 0 ORDER BY created_at DESC, id`).all(name) as RunRow[];
  return rows.map((r) => toRunSummary(r));
}
