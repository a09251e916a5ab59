// The BatchSource a training run reads, through the training module's source builders (the
// generate builder lives there; superres and cyclegan register theirs from their own modules,
// imported here when this build has them).
// (importOptional paths are relative to src/jobs/.)
import type { BatchSource } from '../../data/types.js';
import type { ResolvedSpec } from '../../models/types.js';
import { buildTrainSource } from '../../training/source-builders.js';
import type { Workspace } from '../../workspace/workspace.js';
import { importOptional } from '../engine-tasks.js';
import type { TaskContext } from '../reporter.js';

const TASK_SOURCE_MODULES = ['../data/sr-source.js', '../data/unpaired-source.js', '../data/cyclegan-source.js'];

export async function openTrainSource(
  ws: Workspace,
  spec: ResolvedSpec,
  folders: { data?: string; dataA?: string; dataB?: string },
  ctx: TaskContext,
): Promise<BatchSource> {
  for (const m of TASK_SOURCE_MODULES) {
    await importOptional(m, 'training data source').catch(() => null);
  }
  return buildTrainSource(ws, spec, { ...folders, ctx });
}
