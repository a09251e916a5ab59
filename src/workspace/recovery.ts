// Crash recovery for imports. An import registers its dataset as 'importing' with its pid; files
// land in the dataset folder before their catalog rows commit. If the process died (SIGKILL,
// power loss), the dataset is rolled back as a whole — rows and folder — so no half-imported
// dataset is ever listed. Runs on every openWorkspace().
import { rmSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../common/process-alive.js';
import type { Catalog } from './catalog.js';
import { datasetsInState, deleteDatasetRows, getDatasetRow } from './datasets-repo.js';
import type { WorkspaceLayout } from './paths.js';

/** Staging folder of one import (zip extraction). */
export function importStagingDir(layout: WorkspaceLayout, datasetId: string): string {
  return join(layout.staging, `import-${datasetId}`);
}

/** Deletes a dataset's rows and files. Used for rollback and for `datasets delete`. */
export function removeDatasetEverywhere(ws: { layout: WorkspaceLayout; catalog: Catalog }, datasetId: string): void {
  deleteDatasetRows(ws.catalog, datasetId);
  rmSync(join(ws.layout.datasets, datasetId), { recursive: true, force: true });
  rmSync(importStagingDir(ws.layout, datasetId), { recursive: true, force: true });
  rmSync(join(ws.layout.cache, datasetId), { recursive: true, force: true });
}

/** Rolls back imports whose process is gone. Returns the ids rolled back. */
export function recoverInterruptedImports(ws: { layout: WorkspaceLayout; catalog: Catalog }): string[] {
  const rolledBack: string[] = [];
  const host = hostname();
  for (const row of datasetsInState(ws.catalog, 'importing')) {
    // A workspace on a shared drive may be importing on another machine: leave that one be.
    if (row.import_host && row.import_host !== host) continue;
    if (row.import_pid && isProcessAlive(row.import_pid)) continue;
    removeDatasetEverywhere(ws, row.id);
    rolledBack.push(row.id);
  }
  // Folders with no catalog row: the process died between mkdir and the row's insert, or after
  // the rollback's delete and before rmSync. Dataset folders are named by their id.
  for (const name of safeReaddir(ws.layout.datasets)) {
    if (!getDatasetRow(ws.catalog, name)) rmSync(join(ws.layout.datasets, name), { recursive: true, force: true });
  }
  for (const name of safeReaddir(ws.layout.staging)) {
    const m = /^import-(.+)$/.exec(name);
    if (m && !getDatasetRow(ws.catalog, m[1]!)) rmSync(join(ws.layout.staging, name), { recursive: true, force: true });
  }
  return rolledBack;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
