// Pictures the engine reports (training samples, generations, upscales, translations) become
// gallery items when they live inside the workspace (batch outputs in a user's own folder are
// the user's files, not the gallery's).
import { randomUUID } from 'node:crypto';
import { constants, copyFileSync, mkdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { imageSize } from './image-size.js';
import type { Task } from '../contract/common.js';
import type { JobHooks } from '../jobs/job-manager.js';
import { payloadOf } from '../jobs/job-store.js';
import { insertGalleryItems } from '../workspace/gallery-repo.js';
import { getRun, updateRun } from '../workspace/runs-repo.js';
import type { Workspace } from '../workspace/workspace.js';

export function workspaceRelative(ws: Workspace, path: string): string | null {
  const rel = relative(ws.root, path);
  if (!rel || rel.startsWith('..') || rel.startsWith(sep)) return null;
  return rel.split(sep).join('/');
}

/** Inputs bigger than this keep no copy: the item then shows no before/after. */
const MAX_BEFORE_COPY_BYTES = 64 * 1024 * 1024;

/**
 * The input of an upscale or translation that lives outside the workspace (a CLI batch on
 * ~/scans, a folder dropped on the desktop app) is the user's file: it may move or change. The
 * gallery keeps its own copy, so the before/after view of the item keeps working. Best effort:
 * without a copy the item is still recorded, just without a "before".
 */
function keepBeforeCopy(ws: Workspace, id: string, source: string): string | null {
  try {
    if (statSync(source).size > MAX_BEFORE_COPY_BYTES) return null;
    const dir = join(ws.layout.gallery, 'before');
    mkdirSync(dir, { recursive: true });
    const copy = join(dir, `${id}${extname(source).toLowerCase()}`);
    copyFileSync(source, copy, constants.COPYFILE_EXCL);
    return workspaceRelative(ws, copy);
  } catch {
    return null;
  }
}

export function galleryHooks(ws: Workspace): JobHooks {
  return {
    onMetrics(job, step, values) {
      if (!job.runId) return;
      // quality/* values arrive only at checkpoints: keep the last ones between loss updates
      const kept = Object.entries(getRun(ws.catalog, job.runId)?.lastMetrics ?? {}).filter(([k]) => k.startsWith('quality/') && !(k in values));
      updateRun(ws.catalog, job.runId, { step, lastMetrics: { ...Object.fromEntries(kept), ...values } });
    },
    onOutput(job, note) {
      const rel = workspaceRelative(ws, note.path);
      if (!rel) return undefined;
      const runId = note.runId ?? job.runId ?? null;
      const run = runId ? getRun(ws.catalog, runId) : null;
      const input = payloadOf(job).input as { spec?: { task?: Task } };
      const task: Task = run?.task ?? input.spec?.task ?? (note.kind === 'upscale' ? 'superres' : note.kind === 'translation' ? 'cyclegan' : 'generate');
      const size = imageSize(note.path);
      const id = `g-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
      const before = note.beforePath ? workspaceRelative(ws, note.beforePath) ?? keepBeforeCopy(ws, id, note.beforePath) : null;
      insertGalleryItems(ws.catalog, [{
        id, kind: note.kind, task, runId, model: note.model ?? run?.model ?? null, path: rel, thumb: null, beforePath: before,
        width: size?.width ?? 0, height: size?.height ?? 0, step: note.step ?? null, seed: note.seed ?? null,
      }]);
      return id;
    },
  };
}
