// The CLI side of naming a run: commands that run in this process (generate, interpolate,
// upscale, stylize, eval) resolve `--run`/`--model` through the one resolver the handlers use,
// reading the workspace catalog when there is one (never creating a workspace just to look).
import { existsSync } from 'node:fs';
import { AppError } from '../../contract/errors.js';
import { RUN_REF_HELP } from '../../contract/common.js';
import { openCatalog } from '../../workspace/catalog.js';
import { resolveWorkspace, workspaceLayout } from '../../workspace/paths.js';
import { resolveRunRef, type RunTarget } from '../../workspace/run-ref.js';

export { RUN_REF_HELP };

/** Resolves a run id, unique name or folder (also a run trained with --out, or models/<id>). */
export function resolveRunTarget(ref: string, workspace: string | undefined): RunTarget {
  const layout = workspaceLayout(resolveWorkspace(workspace));
  const catalog = existsSync(layout.catalog) ? openCatalog(layout.root) : null;
  try {
    return resolveRunRef({ catalog, layout }, ref, { folders: true });
  } finally {
    catalog?.close();
  }
}

export async function resolveRunDir(ref: string, workspace: string | undefined): Promise<string> {
  return resolveRunTarget(ref, workspace).dir;
}

/** `--model` of upscale and eval: a pretrained ESRGAN's name as it is, else a super-resolution run's folder. */
export function resolveModelOrRun(ref: string, workspace: string | undefined, isPretrained: (name: string) => boolean): string {
  if (isPretrained(ref)) return ref;
  try {
    return resolveRunTarget(ref, workspace).dir;
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'NOT_FOUND') throw error;
    throw new AppError('NOT_FOUND', `--model ${ref}: no such run (give ${RUN_REF_HELP}), and not a pretrained model (esrgan-slim, esrgan-medium, esrgan-thick)`);
  }
}

export function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}
