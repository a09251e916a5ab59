// `--run` takes a run folder or a run id in the workspace (runs/<id>/).
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../../contract/errors.js';
import { resolveWorkspace, workspaceLayout } from '../../workspace/paths.js';

export async function resolveRunDir(ref: string, workspace: string | undefined): Promise<string> {
  const candidates = [resolve(ref)];
  // a run id, or the id of an imported TF.js model (models/<id>/), which generate reads as well
  if (/^[A-Za-z0-9._-]+$/.test(ref)) candidates.push(...['runs', 'models'].map((f) => join(workspaceLayout(resolveWorkspace(workspace))[f as 'runs' | 'models'], ref)));
  for (const dir of candidates) {
    if (await stat(dir).then((s) => s.isDirectory(), () => false)) return dir;
  }
  throw new AppError('NOT_FOUND', `no run "${ref}": give a run folder or a run id from \`gan-studio runs\``);
}

export function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}
