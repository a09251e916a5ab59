// The CLI side of naming a run: commands that run in this process (generate, interpolate,
// upscale, stylize, eval) resolve `--run`/`--model` through the one resolver the handlers use,
// reading the workspace catalog when there is one (never creating a workspace just to look).
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../contract/errors.js';
import { RUN_REF_HELP } from '../../contract/common.js';
import { openCatalog } from '../../workspace/catalog.js';
import { resolveWorkspace, workspaceLayout } from '../../workspace/paths.js';
import { resolveRunRef, type RunTarget } from '../../workspace/run-ref.js';
import { isModelFile } from '../../handlers/model-import-file.js';

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

/**
 * A model file `--model` names by its path (.safetensors, .onnx; a .pth, to be refused with its
 * conversion): passed on as an absolute path, the batch loads it as is. Null for anything else.
 */
export function modelFileArg(ref: string): string | null {
  if (!isModelFile(ref)) return null;
  const path = resolve(ref);
  return existsSync(path) && statSync(path).isFile() ? path : null;
}

/** `--model` of upscale and eval: a pretrained ESRGAN's name as it is, a model file's path, else a super-resolution run's folder. */
export function resolveModelOrRun(ref: string, workspace: string | undefined, isPretrained: (name: string) => boolean): string {
  if (isPretrained(ref)) return ref;
  const file = modelFileArg(ref);
  if (file) return file;
  try {
    return resolveRunTarget(ref, workspace).dir;
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'NOT_FOUND') throw error;
    throw new AppError('NOT_FOUND', `--model ${ref}: no such run (give ${RUN_REF_HELP}) or model file (.safetensors, .onnx), and not a pretrained model (esrgan-slim, esrgan-medium, esrgan-thick)`);
  }
}

export function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}
