// One way to name a trained run everywhere — CLI flags (--model, train --run, positional RUNs), the HTTP
// API and the UI: the run's id, its name when no other run has it, or its folder. Every command
// and handler that takes a run resolves it here, so they all accept (and refuse) the same.
import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { RunSummary } from '../contract/runs.js';
import type { Catalog } from './catalog.js';
import type { WorkspaceLayout } from './paths.js';
import { findRunsByName, getRun } from './runs-repo.js';

import { RUN_REF_HELP } from '../contract/common.js';

/** What `--help` and error messages say a run argument takes. */
export { RUN_REF_HELP };

export type RunTarget =
  /** a workspace run: the catalog knows it */
  | { kind: 'run'; run: RunSummary; dir: string }
  /** a folder the catalog does not list: a run trained with `train --out`, or an imported model */
  | { kind: 'folder'; dir: string };

export interface RunRefOptions {
  /**
   * Accept folders the catalog does not list (a run trained with --out, models/<id>). The CLI
   * does; the server does not (it answers only for its workspace's runs, and never probes
   * arbitrary paths for a caller).
   */
  folders?: boolean;
}

export interface RunRefWorkspace {
  /** null when the workspace has no catalog yet (then only folders resolve) */
  catalog: Catalog | null;
  layout: WorkspaceLayout;
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** `./x`, `../x`, `/x`, `a/b`, `C:\x`: the user meant a folder, not an id or a name. */
function looksLikePath(ref: string): boolean {
  return isAbsolute(ref) || /[\\/]/.test(ref) || ref === '.' || ref === '..';
}

function ambiguous(ref: string, runs: RunSummary[]): AppError {
  const list = runs.map((r) => `${r.id} (${r.task}/${r.model}, ${new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' ')})`).join(', ');
  return new AppError('INVALID_ARGUMENT', `${runs.length} runs are named "${ref}": ${list} — give the run's id instead (or rename one with \`gan-studio runs rename ID NAME\`)`);
}

/**
 * Resolves `ref` in this order: a run id; a path (the workspace's own runs/<id> folder is that
 * run); a run name, unique among runs not in the trash (several → an error listing them); then,
 * with `folders`, a folder by that relative name, runs/<ref> without a catalog row, models/<ref>.
 */
export function resolveRunRef(ws: RunRefWorkspace, ref: string, opts: RunRefOptions = {}): RunTarget {
  const trimmed = ref.trim();
  if (!trimmed) throw new AppError('INVALID_ARGUMENT', `an empty run reference: give ${RUN_REF_HELP}`);
  const asRun = (run: RunSummary): RunTarget => ({ kind: 'run', run, dir: join(ws.layout.runs, run.id) });
  const byId = ws.catalog ? getRun(ws.catalog, trimmed) : null;
  if (byId) return asRun(byId);
  if (looksLikePath(trimmed)) {
    const dir = resolve(trimmed);
    const inWorkspace = dirname(dir) === resolve(ws.layout.runs) && ws.catalog ? getRun(ws.catalog, basename(dir)) : null;
    if (inWorkspace) return asRun(inWorkspace);
    if (opts.folders && isDir(dir)) return { kind: 'folder', dir };
    throw new AppError('NOT_FOUND', opts.folders
      ? `run folder ${dir} does not exist: give ${RUN_REF_HELP} (\`gan-studio runs\` lists them)`
      : `${trimmed} is not a run folder of this workspace: give ${RUN_REF_HELP} (\`gan-studio runs\` lists them)`);
  }
  const byName = ws.catalog ? findRunsByName(ws.catalog, trimmed) : [];
  if (byName.length === 1) return asRun(byName[0]!);
  if (byName.length > 1) throw ambiguous(trimmed, byName);
  if (opts.folders) {
    for (const dir of [resolve(trimmed), join(ws.layout.runs, trimmed), join(ws.layout.models, trimmed)]) {
      if (isDir(dir)) return { kind: 'folder', dir };
    }
  }
  throw new AppError('NOT_FOUND', `no run "${trimmed}": give ${RUN_REF_HELP} (\`gan-studio runs\` lists them)`);
}
